"""Work that can wait, and work done once.

"nightly", "can sit in the queue for hours", "needed by next morning", "weekly batch"   batch
"one-off migration … over 3 months", "a backlog … within 3 weeks", "500 calls in total"  one_off_months
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.periods import find_duration

_BATCH = re.compile(
    r"nightly|overnight|batch|backfill|bulk\s+(?:processing|job|run)|offline\s+(?:processing|jobs?)|"
    r"(?:no\s*one|nobody|no-one)(?:'?s|\s+is)?\s+(?:\w+\s+)?waiting|nobody\s+waits|not\s+(?:time[- ])?critical|"
    r"(?:sit|wait)\s+in\s+(?:a|the)\s+queue|queue[ds]?\s+for\s+(?:hours|a\s+few\s+hours|a\s+while|a\s+day)|"
    r"fire[- ]and[- ]forget|turnaround\s+of|same[- ]day|next[- ]day|"
    r"by\s+(?:\d{1,2}\s*(?:am|pm)\s+)?(?:the\s+)?(?:next|following)\s+(?:day|morning)|by\s+(?:tomorrow|next)\s+morning|"
    r"async(?<=\basync)(?:hronous(?:ly)?)?\b(?!\s+(?:is\s+not|isn'?t))|cron(?<=\bcron)\b|"
    r"quarterly\s+(?:run|job|batch|report)|once\s+a\s+(?:month|week|quarter)|no\s+rush|can\s+wait|"
    r"wait\s+(?:until|till)\s+(?:tomorrow|the\s+next|next)|"
    r"latency\s+(?:is\s+)?(?:irrelevant|doesn'?t\s+matter)",
)
ONE_OFF = re.compile(
    r"one[- ]off|one[- ]time|one[- ]shot|once(?<=\bonce)\b(?!\s+(?:a|an|per|every|each|daily|weekly|monthly)\b)|"
    r"single\s+run|migrat|backfill|backlog|in\s+total|total\s+of|all(?<=\ball)\s+in\b|in(?<=\bin)\s+one\s+go|"
    r"re(?<=\bre)-?(?:index|process|summari[sz]e|classify|tag|embed|run)\b|hackathon|poc(?<=\bpoc)\b|pilot|"
    r"demo(?<=\bdemo)\b|proof\s+of\s+concept",
)
ONE_OFF_MONTHS = 1.0
"""A one-off job with no duration said is priced as a month's work, and says so."""


def job_facts(text: str) -> Iterator[Fact]:
    """Batch work, and a one-off job with how long it runs."""
    if match := _BATCH.search(text):
        yield Fact("batch", True, match.group(0))
    if match := ONE_OFF.search(text):
        if said := find_duration(text, match.start(), match.end() + 80) or find_duration(
            text, max(0, match.start() - 80), match.start()
        ):
            yield Fact("one_off_months", said.months, f"{match.group(0)} … {said.span}")
        else:
            yield Fact(
                "one_off_months",
                ONE_OFF_MONTHS,
                match.group(0),
                "a one-off job with no duration given: a month",
            )
