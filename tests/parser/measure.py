"""Facts taken over facts expected on the parser corpora, by class: `python -m tests.parser.measure [-v]`.

Rules only, no model. `-v` lists every message the reader does not read perfectly.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from bot.knowledge.loader import load_knowledge
from bot.parse import parse
from bot.resources import data_dir
from tests.parser.scoring import CORPORA, Score, load, score


def main(verbose: bool) -> None:
    kb = load_knowledge(data_dir("knowledge"))
    for name in CORPORA:
        by_class: dict[str, Score] = defaultdict(Score)
        perfect = 0
        items = load(name)
        for item in items:
            result = score(item, parse(item["text"], kb))
            total = by_class[item.get("class", "all")]
            total.expected += result.expected
            total.taken += result.taken
            total.misread.update({f"{len(total.misread)}": v for v in result.misread.values()})
            perfect += result.perfect
            if verbose and not result.perfect:
                print(f"  [{item.get('class', '')}] {item['text'][:90]!r}")
                print(f"    missed {result.missed} misread {result.misread}")
        expected = sum(s.expected for s in by_class.values())
        taken = sum(s.taken for s in by_class.values())
        misread = sum(len(s.misread) for s in by_class.values())
        print(
            f"{name}: {len(items)} messages, facts taken {taken}/{expected} ({taken / expected:.0%}), "
            f"misreadings {misread}, read perfectly {perfect}/{len(items)}"
        )
        if len(by_class) > 1:
            for cls, s in sorted(by_class.items()):
                print(f"  {cls:<13} {s.taken:>3}/{s.expected:<3} misreadings {len(s.misread)}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
