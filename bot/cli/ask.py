"""`localcheck ask`: the whole answer for a workload, as the Slack bot will give it."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from pydantic import ValidationError

from bot.cli.common import fail, open_knowledge
from bot.workload import Workload


def ask_command(
    workload_file: Path = typer.Option(
        ..., "--workload", "-w", help="The workload as a YAML or JSON file (see examples/).", dir_okay=False
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
) -> None:
    """Assess a workload: local, cloud or hybrid, with costs, reasons and sources."""
    from bot.check.assess import assess
    from bot.check.inputs import InvalidWorkload
    from bot.check.resolve import UnknownName
    from bot.render import render_text

    workload = _read_workload(workload_file)
    kb = open_knowledge()
    try:
        assessment = assess(workload, kb)
    except UnknownName as error:
        fail(f"{error.field}: {error}")
    except InvalidWorkload as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps(assessment.model_dump(mode="json"), indent=2))
    else:
        typer.echo(render_text(assessment))


def _read_workload(path: Path) -> Workload:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"--workload: cannot read {path}: {error.strerror or error}")
    except yaml.YAMLError as error:
        fail(f"--workload: {path} is not valid YAML or JSON: {error}")
    if not isinstance(data, dict):
        fail(f"--workload: {path} should hold a mapping of fields, like examples/support-bot.yaml")
    try:
        return Workload.model_validate(data)
    except ValidationError as error:
        problems = [
            f"  {'.'.join(str(p) for p in detail['loc']) or 'workload'}: {detail['msg']}"
            for detail in error.errors(include_url=False)
        ]
        fail(f"--workload: {path} has {len(problems)} problem(s):\n" + "\n".join(problems))
