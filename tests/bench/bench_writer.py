"""Benchmark of the writer's prompt: how many tokens a model is given, over varied workloads.

Run with `./dev bench`; prints figures, asserts nothing. Target (issue 5): <= 1,500 tokens,
small enough for small local models.
"""

from __future__ import annotations

import statistics

from bot.check.assess import assess
from bot.knowledge.loader import load_knowledge
from bot.resources import data_dir
from bot.write.facts import approx_tokens, prompt_facts
from tests.bench.workloads import workload_mix


def main() -> None:
    kb = load_knowledge(data_dir("knowledge"))
    system = (data_dir("prompts") / "write_system.txt").read_text()
    sizes = [approx_tokens(system + prompt_facts(assess(w, kb), kb)) for w in workload_mix(500)]
    cuts = statistics.quantiles(sizes, n=100)
    print(
        f"writer prompt: ~{statistics.median(sizes):,.0f} tokens median, p99 ~{cuts[98]:,.0f}, "
        f"max ~{max(sizes):,} over {len(sizes)} varied workloads (4 characters a token)"
    )


if __name__ == "__main__":
    main()
