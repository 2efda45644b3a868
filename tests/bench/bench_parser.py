"""Benchmark of the parser: time to read a 2,000-character message without a model.

Run with `./dev bench`; prints figures, asserts nothing. Target (issue 4): p99 < 5 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from bot.knowledge.loader import load_knowledge
from bot.parse import parse
from bot.resources import data_dir

CORPUS = [
    item
    for name in ("corpus.yaml", "corpus_fresh.yaml")
    for item in yaml.safe_load((Path(__file__).parents[1] / "parser" / name).read_text())
]
LENGTH = 2_000
ROUNDS = 20


def messages() -> list[str]:
    """Each corpus message grown to 2,000 characters with the chatter real threads carry."""
    chatter = " Also, sprint 42 ends Friday and the retro moved to 3pm; who is ordering lunch? :ramen:"
    grown = []
    for item in CORPUS:
        text = item["text"]
        while len(text) < LENGTH:
            text += chatter
        grown.append(text[:LENGTH])
    return grown


def main() -> None:
    kb = load_knowledge(data_dir("knowledge"))
    texts = messages()
    for text in texts:  # compile the name patterns once, as a running bot has
        parse(text, kb)
    times = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            parse(text, kb)
            times.append(time.perf_counter() - started)
    cuts = statistics.quantiles(times, n=100)
    print(
        f"parser: {len(texts)} messages of {LENGTH:,} characters x {ROUNDS} rounds: "
        f"p50 {statistics.median(times) * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms, "
        f"max {max(times) * 1000:.2f} ms (no model)"
    )


if __name__ == "__main__":
    main()
