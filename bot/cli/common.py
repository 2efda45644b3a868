"""What every command shares: the knowledge base named by the settings, and friendly exits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import typer

from bot.cli.settings import load_settings
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.problems import KnowledgeError


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
        from bot.knowledge.price_checks import price_problems

        if problems := price_problems(kb):
            report_problems(f"The knowledge base in {root}", problems)
            raise typer.Exit(1)
    return kb


def report_problems(what: str, problems: list) -> None:
    typer.secho(f"{what} has {len(problems)} problem(s):", err=True, fg="red")
    for problem in problems:
        typer.echo(f"  {problem}", err=True)


MAX_NAME = 200
"""Longer than any id, name or search term: past it an argument is something else pasted in."""


def checked_name(option: str, value: str) -> str:
    """A name, id or search term given on the command line, or a one-line exit when it cannot be one."""
    if len(value) > MAX_NAME:
        fail(f"{option}: {len(value):,} characters is too long for a name (at most {MAX_NAME}).")
    return as_text(value)


def as_text(value: str) -> str:
    """An argument as UTF-8 text: bytes the shell passed that are not UTF-8 become U+FFFD, not
    surrogates that nothing downstream (the terminal, the decision log) can write."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop with a one-line explanation instead of a traceback."""
    typer.secho(message, err=True, fg="red")
    raise typer.Exit(code)


def columns(rows: Sequence[tuple[str, ...]], *, rule: bool = False) -> list[str]:
    """Rows as lines of columns, each column as wide as its widest cell; with `rule`, a line of dashes
    under the first row."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    if rule:
        lines.insert(1, "  ".join("-" * width for width in widths))
    return lines
