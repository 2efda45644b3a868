"""`localcheck decisions browse`: the log in a browser (Datasette), private decisions left out unless asked."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import typer

from bot.cli.common import fail
from bot.cli.log import open_log, reporting_log_problems
from bot.cli.settings import load_settings
from bot.decisions.browse import database_name, datasette_command, metadata
from bot.hints import command


@reporting_log_problems()
def browse_command(
    include_private: bool = typer.Option(
        False, "--include-private", help="Show decisions from private channels and DMs too (off by default)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8001, "--port", min=1, max=65535),
    print_metadata: bool = typer.Option(
        False, "--print-metadata", help="Print the Datasette metadata instead, for running Datasette yourself."
    ),
) -> None:
    """Review the log in a browser with Datasette: public channels and the CLI only, unless asked."""
    path = load_settings().db
    if not path.is_file():
        fail(f"No decision log at {path} yet: every answer is logged there (`{command('ask ...')}`).", code=1)
    open_log()  # opening brings an older log's schema up to date: the queries read what m011 added
    shown = metadata(path, include_private=include_private)
    if print_metadata:
        typer.echo(json.dumps(shown, indent=2))
        return
    if importlib.util.find_spec("datasette") is None:
        install = f"{shlex.quote(sys.executable)} -m pip install 'datasette>=0.65'"
        fail(f"Datasette is not installed: `{install}` adds it (the `browse` extra), then run this again.", code=1)
    if include_private:
        typer.secho("Private decisions included: anyone who can open the page reads them.", err=True, fg="yellow")
    with tempfile.TemporaryDirectory() as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(shown))
        route = importlib.import_module("datasette.utils").tilde_encode(database_name(path))  # as its URLs write it
        typer.echo(f"Browse the log at http://{host}:{port}/{route} (Ctrl-C stops it).", err=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C stops Datasette, and this with it, quietly
            subprocess.run(  # noqa: S603 - our interpreter, running Datasette on our own file
                [sys.executable, *datasette_command(path, metadata_file, host=host, port=port)], check=False
            )
