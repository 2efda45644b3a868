"""`localcheck ask`: the whole answer for a workload, as the Slack bot will give it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import yaml
from pydantic import ValidationError

from bot.cli.common import as_text, checked_name, fail, open_knowledge
from bot.cli.settings import load_settings
from bot.hints import command
from bot.knowledge.loader import load_yaml
from bot.workload import Workload

if TYPE_CHECKING:
    from bot.answer import Answer, Question
    from bot.assessment import Assessment
    from bot.knowledge.loader import KnowledgeBase

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
    refine_id: str | None = typer.Option(
        None, "--refine", metavar="DECISION_ID", help="Change a logged decision's workload: 'what if we double it?'"
    ),
    no_llm: bool = typer.Option(False, "--no-llm", help="Rules only: no model is asked to help."),
    as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON."),
    currency: str | None = typer.Option(
        None, "--currency", metavar="CODE", help="Show amounts in this currency (EUR, GBP, ...); the log keeps USD."
    ),
    chart: Path | None = typer.Option(
        None,
        "--chart",
        metavar="FILE.png",
        help="Also draw the cost chart there, and the tornado chart beside it.",
        dir_okay=False,
    ),
) -> None:
    """Should this workload run locally or on a cloud API? Costs, reasons and sources."""
    from bot.cli.render import render_text

    if (text is None) == (workload_file is None) or (refine_id and workload_file):
        fail("Give the workload either as text or with --workload FILE.\n" + HOW_TO_ASK)
    text = as_text(text) if text is not None else None
    refine_id = checked_name("--refine", refine_id) if refine_id is not None else None
    started = time.perf_counter()
    kb = open_knowledge(priced=True)
    question, parent_id = _question(text, workload_file, refine_id)
    result = _answer(question, kb, no_llm=no_llm, currency=currency)
    if result.assessment is None:
        fail(_nothing_read(text or "", result.notes) + HOW_TO_ASK)
    assessment, shown = result.assessment, result.shown or result.assessment
    if not as_json:
        typer.echo(render_text(shown))
    written = _write(result.events, show=not as_json and not no_llm)
    charts = _draw_charts(chart, result.workload, assessment, shown, kb) if chart is not None else None
    said = text if text is not None else f"(workload file {workload_file})"
    decision_id, not_logged = _log(said, result.workload, assessment, written, parent_id, time.perf_counter() - started)
    if as_json:
        typer.echo(json.dumps(_reply(assessment, shown, written, decision_id, charts), indent=2))
    elif decision_id:
        typer.echo(f"Logged as decision {decision_id} (`{command(f'decisions show {decision_id[:10]}')}`).")
    if not_logged:
        fail(not_logged, code=1)


def _question(text: str | None, workload_file: Path | None, refine_id: str | None) -> tuple[Question, str | None]:
    """What was asked, and the id of the logged decision it refines, if it does."""
    from bot.answer import Question

    if workload_file is not None:
        return Question(workload=_read_workload(workload_file)), None
    if refine_id is not None:
        from bot.cli.log import logged_decision, open_log

        parent = logged_decision(open_log(), refine_id)
        return Question(text or "", previous=parent.workload), parent.id
    return Question(text or ""), None


def _answer(question: Question, kb: KnowledgeBase, *, no_llm: bool, currency: str | None) -> Answer:
    """The answer on the one answer path, or a one-line exit naming the option or field at fault."""
    from bot.answer import answer
    from bot.check.inputs import InvalidWorkload
    from bot.currency import UnknownCurrency
    from bot.knowledge.resolve import UnknownName

    try:
        # The CLI has no team profile: the defaults alone, as a team that has set none.
        return answer(
            question,
            kb,
            load_settings(),
            measured=_measured(),
            read_with_model=not no_llm,
            write_with_model=not no_llm,
            currency=checked_name("--currency", currency) if currency is not None else None,
            with_sensitivity=True,
        )
    except UnknownCurrency as error:
        fail(f"--currency: {error}")
    except UnknownName as error:
        fail(f"{error.field}: {error}")
    except InvalidWorkload as error:
        fail(str(error))


def _reply(
    assessment: Assessment, shown: Assessment, written: Any, decision_id: str | None, charts: list[Path] | None
) -> dict[str, Any]:
    """What `--json` prints: the assessment in US dollars, the currency the text used, the words, the log's id."""
    return {
        **assessment.model_dump(mode="json"),
        "shown_in": shown.shown_in.model_dump(mode="json") if shown.shown_in else None,
        "recommendation": written.text,
        "writer": written.writer,
        "fallback_reason": written.fallback_reason,
        "decision_id": decision_id,
        **({"charts": [str(path) for path in charts]} if charts is not None else {}),
    }


def _draw_charts(path: Path, workload: Workload, assessment: Any, shown: Any, kb: Any) -> list[Path]:
    """The cost chart at `path` and the tornado beside it; a chart that cannot be drawn or written costs a
    note on stderr, never the answer."""
    if not path.parent.is_dir():  # said before drawing, which takes a while
        typer.echo(f"--chart: could not write {path}: no folder {path.parent}", err=True)
        return []
    try:
        from bot.charts import beside, chart_files

        written = []
        for name, png in chart_files(workload, assessment, kb, shown.shown_in):
            target = beside(path, name)
            target.write_bytes(png)
            written.append(target)
    except OSError as error:
        typer.echo(f"--chart: could not write {path}: {error.strerror or error}", err=True)
        return []
    except Exception as error:  # noqa: BLE001 - the answer stands without its chart
        typer.echo(f"--chart: the chart could not be drawn ({type(error).__name__}: {error})", err=True)
        return []
    typer.echo("Charts: " + ", ".join(str(p) for p in written), err=True)  # stderr: --json stays one document
    return written


def _measured() -> Any:
    """Speeds timed with `localcheck calibrate`; a log that cannot be read has none, and the answer estimates."""
    from bot.decisions.measurements import CLI_TEAM, measured_speeds
    from bot.decisions.store import DecisionLog

    try:
        return measured_speeds(DecisionLog.from_settings(load_settings()), CLI_TEAM)
    except Exception:  # noqa: BLE001 - the answer never depends on the log being readable
        return {}


def _write(events: Any, *, show: bool) -> Any:
    """The recommendation in words, printed a checked unit at a time as the model writes it, when `show`."""
    from bot.write import Delta, Done, Reset

    if show:
        typer.echo("\nIn words:")
    for event in events:
        if show and isinstance(event, Delta):
            typer.echo(event.text, nl=False)
        elif show and isinstance(event, Reset):
            typer.secho(f"\n[withdrawn: {event.reason}]\n", fg="yellow")
        elif isinstance(event, Done):
            if show:
                reason = event.written.fallback_reason
                typer.echo(
                    f"\n({'the template, since ' + reason if reason else 'written by ' + event.written.writer})\n"
                )
            return event.written
    raise AssertionError("write_events always ends with Done")


def _log(
    question: str, workload: Workload, assessment: Any, written: Any, parent_id: str | None, seconds: float
) -> tuple[str | None, str | None]:
    """Log the answer: its id, or the line to exit with after the answer when it could not be kept.

    A log that cannot be written keeps the decision in its spool (said on stderr);
    only when the spool cannot be written either is the decision lost, and the
    command then fails after giving the answer.
    """
    from bot.cli.log import report_pending
    from bot.decisions.problems import NotLogged
    from bot.decisions.store import DecisionLog

    settings = load_settings()
    try:
        log = DecisionLog.from_settings(settings)
        decision_id = log.record(
            question=question,
            workload=workload,
            assessment=assessment,
            source="refine" if parent_id else "cli",
            parent_id=parent_id,
            duration_ms=round(seconds * 1000, 1),
            recommendation=written.text,
            writer=written.writer,
            fallback_reason=written.fallback_reason,
        )
    except NotLogged as error:
        return None, f"This decision was not logged: {error}. Fix: {error.problem.fix}."
    except Exception as error:  # noqa: BLE001 - whatever broke, the user keeps their answer and hears of it
        return None, f"This decision was not logged in {settings.db}: {error}"
    report_pending(log)
    return decision_id, None


def _nothing_read(text: str, notes: list[str]) -> str:
    """Why a question gave nothing to answer: what was set aside, if anything was."""
    if notes:
        return "I found nothing I could use in that:\n" + "".join(f"  - {note}\n" for note in notes)
    return "I found nothing about a workload in that. " if text.strip() else ""


MAX_WORKLOAD_BYTES = 1_000_000
"""A workload file is a few lines (see examples/); past a megabyte it is some other file."""
MAX_PROBLEMS_SHOWN = 20


def _read_workload(path: Path) -> Workload:
    """The workload in a YAML or JSON file, or a one-line exit saying what is wrong with the file."""
    try:
        with path.open("rb") as file:  # read at most a byte past the limit, whatever the file is
            raw = file.read(MAX_WORKLOAD_BYTES + 1)
    except OSError as error:
        fail(f"--workload: cannot read {path}: {error.strerror or error}")
    if len(raw) > MAX_WORKLOAD_BYTES:
        fail(f"--workload: {path} is over {MAX_WORKLOAD_BYTES:,} bytes; a workload is a few lines, like examples/")
    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        fail(f"--workload: {path} is not UTF-8 text (byte 0x{raw[error.start]:02x} on line {line}); save it as UTF-8")
    except yaml.YAMLError as error:
        fail(f"--workload: {path} is not valid YAML or JSON{_yaml_problem(error, raw)}")
    except RecursionError:
        fail(f"--workload: {path} is nested too deeply to be a workload")
    if not isinstance(data, dict):
        fail(f"--workload: {path} should hold a mapping of fields, like examples/support-bot.yaml")
    try:
        return Workload.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        problems = [
            f"  {'.'.join(str(p) for p in detail['loc'])[:80] or 'workload'}: {detail['msg']}"
            for detail in details[:MAX_PROBLEMS_SHOWN]
        ]
        if len(details) > MAX_PROBLEMS_SHOWN:
            problems.append(f"  …and {len(details) - MAX_PROBLEMS_SHOWN:,} more")
        fail(f"--workload: {path} has {len(details)} problem(s):\n" + "\n".join(problems))


def _yaml_problem(error: yaml.YAMLError, raw: bytes) -> str:
    """Where and what, on one line: " (line 3): expected ',' or ']'"."""
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow, at a position
        line = raw[: error.position].count(b"\n") + 1
        return f" (line {line}): {error.reason}"
    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark else ""
    return f"{where}: {getattr(error, 'problem', None) or ' '.join(str(error).split())}"
