"""What every command shares: the knowledge base named by the settings, and friendly exits."""

from __future__ import annotations

from typing import NoReturn

import typer

from bot.cli.settings import load_settings
from bot.knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge


def open_knowledge(*, priced: bool = False) -> KnowledgeBase:
    """The knowledge base named by the settings, or a clear exit listing what is wrong.

    `priced`: also check that genai-prices can price every API model, as a command that
    prices an answer needs (and the others need not load genai-prices for).
    """
    root = load_settings().knowledge_dir
    try:
        kb = load_knowledge(root)
    except KnowledgeError as error:
        report_problems(f"The knowledge base in {root}", error.problems)
        raise typer.Exit(1) from error
    if priced:
        from bot.knowledge.checks import price_problems

        if problems := price_problems(kb):
            report_problems(f"The knowledge base in {root}", problems)
            raise typer.Exit(1)
    return kb


def report_problems(what: str, problems: list) -> None:
    typer.secho(f"{what} has {len(problems)} problem(s):", err=True, fg="red")
    for problem in problems:
        typer.echo(f"  {problem}", err=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop with a one-line explanation instead of a traceback."""
    typer.secho(message, err=True, fg="red")
    raise typer.Exit(code)
