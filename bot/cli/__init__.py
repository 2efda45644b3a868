"""Runs the `localcheck` command, a thin adapter over the core as the Slack app is.

Subcommands live in their own modules and import what they need when they run,
so `localcheck --help` stays fast and never loads langchain or Slack.
"""

from __future__ import annotations

import typer

from bot import __version__
from bot.cli.ask import ask_command
from bot.cli.browse import browse_command
from bot.cli.calibrate import calibrate_command
from bot.cli.decisions import decisions_app
from bot.cli.doctor import doctor_command
from bot.cli.estimate import estimate_command
from bot.cli.knowledge import knowledge_app
from bot.cli.serve import serve_command
from bot.cli.settings import settings_command

app = typer.Typer(
    name="localcheck",
    help="Should this LLM workload run locally or on a cloud API? Numbers, reasons and sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(knowledge_app, name="knowledge")
decisions_app.command("browse")(browse_command)
app.add_typer(decisions_app, name="decisions")
app.command("ask")(ask_command)
app.command("estimate")(estimate_command)
app.command("calibrate")(calibrate_command)
app.command("doctor")(doctor_command)
app.command("serve")(serve_command)
app.command("settings")(settings_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"localcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Should this LLM workload run locally or on a cloud API? Numbers, reasons and sources."""


def main() -> None:
    app()
