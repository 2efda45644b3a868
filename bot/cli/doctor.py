"""`localcheck doctor`: check the knowledge base, the decision log, the model and Slack."""

from __future__ import annotations

import typer

from bot.cli.settings import load_settings

MARKS = {"ok": "ok", "failed": "FAILED", "not configured": "not configured"}


def doctor_command() -> None:
    """Check everything the bot needs and say how to fix what is missing."""
    from bot.doctor import run_checks

    failed = 0
    for check in run_checks(load_settings()):
        colour = {"ok": "green", "failed": "red"}.get(check.state)
        typer.secho(f"{check.name:<15} {MARKS[check.state]:<15} {check.detail}", fg=colour)
        if check.fix:
            typer.echo(f"{'':<31} fix: {check.fix}")
        failed += check.state == "failed"
    if failed:
        raise typer.Exit(1)
