"""`localcheck ask`: the whole answer for a workload, as the Slack bot will give it."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from pydantic import ValidationError

from bot.cli.common import fail, open_knowledge
from bot.cli.settings import load_settings
from bot.workload import Workload


HOW_TO_ASK = (
    "Tell me about the workload in your own words, for example:\n"
    '  localcheck ask "about 2M tokens a day through gpt-4o-mini for support tickets; the tickets contain '
    'customer PII and nobody here runs servers"\n'
    "Volume (requests or tokens a day), the model or API, whether the data may leave, and who runs servers "
    "matter most."
)


def ask_command(
    text: str | None = typer.Argument(None, help="The workload in your own words."),
    workload_file: Path | None = typer.Option(
        None, "--workload", "-w", help="The workload as a YAML or JSON file instead (see examples/).", dir_okay=False
    ),
    no_llm: bool = typer.Option(False, "--no-llm", help="Rules only: no model is asked to help."),
    as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
) -> None:
    """Should this workload run locally or on a cloud API? Costs, reasons and sources."""
    from bot.check.assess import assess
    from bot.check.inputs import InvalidWorkload
    from bot.check.resolve import UnknownName
    from bot.render import render_text

    if (text is None) == (workload_file is None):
        fail("Give the workload either as text or with --workload FILE.\n" + HOW_TO_ASK)
    kb = open_knowledge()
    notes: list[str] = []
    if workload_file is not None:
        workload = _read_workload(workload_file)
    else:
        from bot.parse import parse

        parsed = parse(text or "", kb)
        if not no_llm and (text or "").strip():
            from bot.parse.assist import assist

            parsed = assist(parsed, text or "", kb, load_settings())
        if not parsed.understood:
            fail(("I found nothing about a workload in that. " if (text or "").strip() else "") + HOW_TO_ASK)
        workload, notes = parsed.workload, parsed.notes
    try:
        assessment = assess(workload, kb).model_copy(update={"notes": notes})
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
