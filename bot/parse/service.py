"""What the service must do: availability, latency, an offline site, steadiness, batch and one-off work."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.quantities import DECIMAL, NUMBER, number_value

_NINES = {"two": 0.99, "three": 0.999, "four": 0.9999, "five": 0.99999}
# Any number is read before a "% uptime", so "199.9%" or "-99.9%" is refused rather than read as 99.9%;
# only "% up" keeps to the nines, since "traffic is 30% up" says nothing about uptime.
_AVAILABILITY = re.compile(
    rf"(?P<pct>{DECIMAL})\s*%\s*(?:uptime|availability|available|sla)|(?P<pct_up>9(?<![\w.]9)\d(?:\.\d+)?)\s*%\s*up\b|"
    rf"(?:uptime|availability|sla)\s+(?:of\s+|target\s+(?:of\s+)?|:\s*)?(?P<pct2>{DECIMAL})\s*%|"
    r"(?P<nines>two|three|four|five)\s+nines",
)
_LATENCY = re.compile(
    rf"(?:under|below|within|less\s+than|<|in)\s*(?P<num>{DECIMAL})\s*(?P<unit>ms|milliseconds?|s|secs?|seconds?)\b",
)
_OFFLINE = re.compile(
    r"air[- ]?gapped|no\s+internet|without\s+(?:an?\s+)?internet|disconnected|no\s+connectivity|"
    r"\boffline\b(?!\s+(?:batch|processing|jobs?|evaluation|evals?))",
)
_STABLE = re.compile(
    r"(?:steady|predictable|consistent|stable|deterministic)\s+(?:latency|response\s+times?|speed|performance)|"
    r"(?:latency|response\s+times?)\s+(?:needs?\s+to\s+be|must\s+be|should\s+be|has\s+to\s+be|is)\s+"
    r"(?:stable|steady|predictable|consistent)",
)
_BATCH = re.compile(
    r"\bnightly|\bovernight|\bbatch|\bbackfill|\bbulk\s+(?:processing|job|run)|offline\s+(?:processing|jobs?)"
)
_ONE_OFF = re.compile(r"one[- ]off|one[- ]time|\bonce\b|single\s+run|\bmigration|\bbackfill")
_DURATION = re.compile(
    rf"(?:over|for|in|within|taking|lasting)?\s*(?:about\s+)?{NUMBER}[- ]?(?P<unit>weeks?|months?|days?)\b"
)


def service_facts(text: str) -> Iterator[Fact]:
    """Availability, latency, offline use, steadiness, batch work, one-off jobs."""
    if match := _AVAILABILITY.search(text):
        pct = match["pct"] or match["pct_up"] or match["pct2"]
        value = round(number_value(pct) / 100, 6) if pct else _NINES[match["nines"].lower()]
        yield Fact("availability", value, match.group(0))
    if match := re.search(r"\bsub[- ]second\b", text):
        yield Fact("latency_s", 1.0, match.group(0), "sub-second read as within a second")
    for match in _LATENCY.finditer(text):
        context = text[max(0, match.start() - 60) : match.end() + 30].lower()
        if re.search(r"latenc|respon|answer|repl|return|first\s+token|ttft|p9\d|wait", context):
            value = number_value(match["num"]) / (1000 if match["unit"].lower().startswith("m") else 1)
            yield Fact("latency_s", value, match.group(0))
            break
    if match := _OFFLINE.search(text):
        yield Fact("offline", True, match.group(0))
    if match := _STABLE.search(text):
        yield Fact("stable_latency", True, match.group(0))
    if match := _BATCH.search(text):
        yield Fact("batch", True, match.group(0))
    if match := _ONE_OFF.search(text):
        duration = _DURATION.search(text[match.start() : match.end() + 80]) or _DURATION.search(
            text[max(0, match.start() - 60) : match.start()]
        )
        if duration:
            amount = number_value(duration["num"], duration["mult"])
            unit = duration["unit"].lower()
            months = amount / 4 if unit.startswith("week") else amount / 30.4 if unit.startswith("day") else amount
            yield Fact("one_off_months", months, f"{match.group(0)} … {duration.group(0).strip()}")
        else:
            yield Fact("one_off_months", 1.0, match.group(0), "a one-off job with no duration given: a month")
