"""`localcheck decisions ...`: review what was asked, what the bot said, and what became of it."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from bot.cli.common import fail, open_knowledge
from bot.cli.log import logged_decision, open_log, report_pending, reporting_log_problems
from bot.cli.settings import load_settings
from bot.decisions.problems import reading
from bot.numbers import money

if TYPE_CHECKING:
    from bot.decisions.records import Status

decisions_app = typer.Typer(help="Review, search and revisit the logged decisions.", no_args_is_help=True)


class Format(StrEnum):
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _since(value: str | None) -> date | None:
    return None if value is None else _date(value, "--since")


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date like 2026-01-31.")


@decisions_app.command("list")
@reporting_log_problems()
def list_command(
    verdict: str | None = typer.Option(None, "--verdict", help="local, cloud, hybrid or need-more-info."),
    status: str | None = typer.Option(None, "--status", help="proposed, adopted, rejected or superseded."),
    since: str | None = typer.Option(None, "--since", help="Only decisions from this date on (YYYY-MM-DD)."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The latest decisions, newest first."""
    log = open_log()
    _print_decisions(log.list(verdict=verdict, status=status, since=_since(since), limit=limit), as_json)
    report_pending(log)


@decisions_app.command("search")
@reporting_log_problems()
def search_command(
    text: str = typer.Argument(..., help="Words in the question or the recommendation."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Decisions whose question or recommendation has all these words, best first."""
    from bot.decisions.fts import MAX_WORDS, search_terms

    terms = search_terms(text)
    if not terms.words:
        fail("Nothing to search for: give words from the question or the recommendation, like `triage`.")
    if terms.left_out:
        typer.secho(
            f"Searched for the first {MAX_WORDS} different words; {terms.left_out:,} more were left out.", err=True
        )
    log = open_log()
    _print_decisions(log.search(text, limit=limit), as_json)
    report_pending(log)


def _print_decisions(found: list[Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json", exclude_none=True) for d in found], indent=2))
        return
    if not found:
        typer.echo("No decisions match.")
        return
    for d in found:
        local = money(d.local_monthly_usd, places=0) if d.local_monthly_usd is not None else "-"
        question = d.question if len(d.question) <= 70 else d.question[:67] + "..."
        typer.echo(
            f"{d.id}  {d.created[:10]}  {d.verdict:<14} {d.status:<10} local {local:>9}  "
            f"cloud {money(d.cloud_monthly_usd, places=0) if d.cloud_monthly_usd is not None else '-'}  {question}"
        )


@decisions_app.command("show")
@reporting_log_problems()
def show_command(decision_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """One decision in full: the question, the answer as given, and what became of it."""
    from bot.cli.render import render_text

    log = open_log()
    decision = logged_decision(log, decision_id)
    report_pending(log)
    if as_json:
        typer.echo(json.dumps(decision.model_dump(mode="json", exclude_none=True), indent=2))
        return
    typer.echo(
        f"Decision {decision.id}, {decision.created} ({decision.source}), status {decision.status}"
        + (f" by {decision.status_by} at {decision.status_at}" if decision.status_by else "")
    )
    if decision.parent_id:
        typer.echo(f"Refines {decision.parent_id}")
    if decision.pending:
        typer.echo("Not yet in the log: it waits in the spool beside it.")
    typer.echo(f"Question: {decision.question}\n")
    typer.echo(decision.recommendation or render_text(decision.assessment))


def _status(decision_id: str, status: Status, by: str) -> None:
    log = open_log()
    decision = log.set_status(logged_decision(log, decision_id).id, status, by)
    typer.echo(f"{decision.id} is now {decision.status} (by {decision.status_by}).")
    report_pending(log)


@decisions_app.command("adopt")
@reporting_log_problems()
def adopt_command(decision_id: str, by: str = typer.Option("cli", "--by", help="Who decided.")) -> None:
    """Record a decision as the team's; an adopted decision it refines becomes superseded."""
    _status(decision_id, "adopted", by)


@decisions_app.command("reject")
@reporting_log_problems()
def reject_command(decision_id: str, by: str = typer.Option("cli", "--by", help="Who decided.")) -> None:
    """Record that the team decided against this answer."""
    _status(decision_id, "rejected", by)


@decisions_app.command("feedback")
@reporting_log_problems()
def feedback_command(
    decision_id: str,
    helpful: bool = typer.Option(..., "--helpful/--not-helpful"),
    by: str = typer.Option("cli", "--by"),
) -> None:
    """Say whether an answer helped."""
    log = open_log()
    log.add_feedback(logged_decision(log, decision_id).id, helpful=helpful, user=by)
    typer.echo("Thanks, noted.")
    report_pending(log)


@decisions_app.command("stats")
@reporting_log_problems()
def stats_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts by verdict and status, each answer's costs summed, and what the adopted choices cost."""
    log = open_log()
    stats = log.stats()
    report_pending(log)
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
        return
    typer.echo(f"{stats['decisions']} decisions (every answer logged: refinements and quick estimates count too)")
    typer.echo("by verdict: " + (", ".join(f"{k} {v}" for k, v in sorted(stats["by_verdict"].items())) or "-"))
    typer.echo("by status:  " + (", ".join(f"{k} {v}" for k, v in sorted(stats["by_status"].items())) or "-"))
    considered = stats["monthly_usd_considered"]
    local, cloud = money(considered["local"], places=0), money(considered["cloud"], places=0)
    typer.echo(
        f"summed over every answer, a month: {local} for the best self-hosted options, {cloud} for the cheapest APIs"
    )
    adopted = stats["by_status"].get("adopted", 0)
    typer.echo(
        f"the options the {adopted} adopted decision(s) chose: {money(stats['monthly_usd_adopted'], places=0)} a month"
        + (
            f" ({adopted - stats['adopted_priced']} one-off or undecided, not counted)"
            if stats["adopted_priced"] < adopted
            else ""
        )
    )
    feedback = stats["feedback"]
    typer.echo(f"feedback: {feedback.get('helpful', 0)} helpful, {feedback.get('not_helpful', 0)} not helpful")


EXPORT_COLUMNS = (
    "id",
    "created",
    "source",
    "verdict",
    "status",
    "status_by",
    "local_monthly_usd",
    "cloud_monthly_usd",
    "knowledge_version",
    "parent_id",
    "question",
)


@decisions_app.command("export")
@reporting_log_problems()
def export_command(
    output_format: Format = typer.Option(Format.csv, "--format"),
    since: str | None = typer.Option(None, "--since"),
) -> None:
    """All decisions as CSV, JSON (with workloads and assessments) or a Markdown table."""
    log = open_log()
    rows = list(log.rows(since=_since(since)))
    report_pending(log)
    if output_format is Format.json:
        for row in rows:
            with reading(log.path, row):
                row["workload"], row["assessment"] = json.loads(row["workload"]), json.loads(row["assessment"])
        typer.echo(json.dumps(rows, indent=2))
    elif output_format is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        typer.echo("| " + " | ".join(EXPORT_COLUMNS) + " |")
        typer.echo("|" + " --- |" * len(EXPORT_COLUMNS))
        for row in rows:
            cells = [
                "" if row[c] is None else str(row[c]).replace("|", "\\|").replace("\n", " ") for c in EXPORT_COLUMNS
            ]
            typer.echo("| " + " | ".join(cells) + " |")


@decisions_app.command("revisit")
@reporting_log_problems()
def revisit_command(
    since: str | None = typer.Option(None, "--since"),
    threshold: float = typer.Option(0.2, "--threshold", min=0.0, help="Cost change that counts (0.2 = 20%)."),
    refresh_prices: bool = typer.Option(
        False, "--refresh-prices", help="Fetch genai-prices' newest price list first (needs the network)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Re-assess stored workloads with today's knowledge and prices; list what no longer holds."""
    from bot.knowledge.prices import PricesNotRefreshed, price_data_version
    from bot.knowledge.prices import refresh_prices as fetch_prices
    from bot.revisit import revisit

    kb = open_knowledge()
    if refresh_prices:
        try:
            typer.echo(f"Prices: {fetch_prices(load_settings().prices_url)}.", err=True)
        except PricesNotRefreshed as error:
            typer.secho(f"{error}; re-checking with {price_data_version()}.", err=True, fg="yellow")
    log = open_log()
    cutoff = _since(since)
    # on stderr, so that --json and the list stay clean for a pipe
    with typer.progressbar(
        log.rows(since=cutoff), length=log.count(since=cutoff), label="Re-checking", file=sys.stderr
    ) as rows:
        changes = list(revisit(log, kb, threshold=threshold, rows=rows))
    if as_json:
        typer.echo(json.dumps([vars(c) for c in changes], indent=2))
        return
    if not changes:
        typer.echo(f"Every decision still holds with today's knowledge base and prices ({price_data_version()}).")
        return
    for change in changes:
        typer.echo(f"{change.id}  {change.created[:10]}  {change.question[:70]}")
        if change.causes:
            typer.echo(f"    what moved: {', '.join(change.causes)}")
        for what in change.moved:
            typer.echo(f"    {what}")


@decisions_app.command("purge")
@reporting_log_problems()
def purge_command(
    before: str = typer.Option(..., "--before", help="Delete decisions older than this date (YYYY-MM-DD)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete old decisions and their feedback."""
    cutoff = _date(before, "--before")
    if not yes and not typer.confirm(f"Delete every decision logged before {cutoff}?"):
        raise typer.Exit(1)
    typer.echo(f"Deleted {open_log().purge(cutoff)} decision(s).")
