"""What the service must do: availability, the hours it is used, who depends on it, an offline site."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.periods import hours_window
from bot.parse.quantities import DECIMAL, number_value
from bot.parse.text import says_any

_NINES = {
    "two": 0.99,
    "three": 0.999,
    "four": 0.9999,
    "five": 0.99999,
    "2": 0.99,
    "3": 0.999,
    "4": 0.9999,
    "5": 0.99999,
}
# Any number is read before a "% uptime", so "199.9%" or "-99.9%" is refused rather than read as 99.9%;
# only "% up" keeps to the nines, since "traffic is 30% up" says nothing about uptime.
_AVAILABILITY = re.compile(
    rf"(?P<pct>{DECIMAL})\s*%\s*(?:uptime|availability|available|sla|slo|of\s+the\s+(?:time|month|year))|"
    r"(?P<pct_up>9(?<![\w.]9)\d(?:\.\d+)?)\s*%\s*up\b|"
    rf"(?:uptime|availability|sla|slo)\s+(?:\w+\s+){{0,3}}?(?:target\s+|of\s+|is\s+|:\s*|=\s*)*(?P<pct2>{DECIMAL})\s*%|"
    rf"\b(?:be\s+)?up\s+(?:for\s+)?(?P<pct3>{DECIMAL})\s*%|"
    r"(?:bound|committed|contracted|sla\s+is|slo\s+is|uptime\s+of)\s+(?:to\s+)?(?:an?\s+)?"
    r"(?P<bare>9\d(?:\.\d+)?)\b(?!\s*%|\.\d)|"
    r"(?P<nines>two|three|four|five|[2-5])\s+nines",
)
_ALWAYS_UP = re.compile(
    r"(?:can|must|should|may)(?:n?'t|\s*not|\s+never)\s+(?:ever\s+)?(?:go\s+down|be\s+(?:down|offline|unavailable))|"
    r"never\s+(?:go|goes|be)\s+(?:down|offline)|(?:zero|no)\s+downtime|\balways[- ]on\b|"
    r"downtime\s+(?:is\s+not|isn'?t)\s+an\s+option|can'?t\s+afford\s+(?:any\s+)?downtime",
)
ALWAYS_UP = 0.999
_FACING = re.compile(
    r"(?:customer|client|patient|public|consumer|guest)[- ]facing|"
    r"(?:customers|clients|patients|end[- ]users|external\s+users|the\s+public|visitors)\b(?:\s*\([^)]{0,40}\))?"
    r"\s+(?:\w+\s+){0,4}?(?:use|uses|hit|hits|rely|relies|see|sees|chat|chats|talk|depend|depends|access|interact)\b|"
    r"(?:sla|slo|uptime)\s+(?:to|with|for)\s+(?:our\s+)?(?:clients|customers)|"
    r"public\s+(?:chat\s*bot|website|site|app|portal|assistant)|on\s+our\s+(?:public\s+)?website|"
    r"for\s+our\s+(?:customers|clients|patients)",
)
_ROUND_THE_CLOCK = re.compile(
    r"24\s*/\s*7|24x7|round[- ]the[- ]clock|around\s+the\s+clock|24\s+hours\s+a\s+day|"
    r"(?:through|overnight|all)\s+(?:the\s+)?night|at\s+any\s+hour|any\s+time\s+of\s+(?:the\s+)?day|"
    r"every\s+time\s*zone|all\s+time\s*zones|outside\s+(?:office|business|working)\s+hours\s+(?:too|as\s+well)",
)
_NOT_ROUND_THE_CLOCK = re.compile(r"(?:not|n'?t|no\s+need\s+to\s+be)\s+(?:\w+\s+)?$")
_OFFICE = re.compile(
    r"(?:office|business|working|work)\s+hours|\b9\s*(?:-|–|to)\s*5\b|nine\s+to\s+five|"
    r"(?:down|off|offline|unavailable)\s+(?:\w+\s+){0,2}?(?:nights?|weekends?|overnight)|"
    r"mon(?:day)?\s*(?:-|–|to)\s*fri(?:day)?|weekdays?\s+only",
)
_OFFLINE = re.compile(
    r"air[- ]?gapped|no\s+internet|without\s+(?:an?\s+)?internet|disconnected|no\s+connectivity|"
    r"(?<!be )(?<!go )(?<!goes )(?<!going )(?<!is )(?<!being )\boffline\b"
    r"(?!\s+(?:batch|processing|jobs?|evaluation|evals?))",
)


_AVAILABILITY_CUES = ("%", "nine", "sla", "slo", "uptime", "availab", "bound", "committed", "contracted")
_ALWAYS_UP_CUES = ("down", "never", "always", "offline", "unavailable")
_FACING_CUES = (
    "facing",
    "customer",
    "client",
    "patient",
    "public",
    "user",
    "visitor",
    "website",
    "sla",
    "slo",
    "uptime",
)
_HOURS_CUES = ("24", "clock", "night", "hour", "time", "outside", "9", "nine", "weekend", "mon", "weekday", "h/")
_OFFLINE_CUES = ("offline", "air", "internet", "disconnect", "connectivity")


def service_facts(text: str) -> Iterator[Fact]:
    """Availability, when it is used and by whom, an offline site."""
    if says_any(text, _AVAILABILITY_CUES) and (match := _AVAILABILITY.search(text)):
        pct = match["pct"] or match["pct_up"] or match["pct2"] or match["pct3"] or match["bare"]
        value = round(number_value(pct) / 100, 6) if pct else _NINES[match["nines"].lower()]
        yield Fact("availability", value, match.group(0))
    elif says_any(text, _ALWAYS_UP_CUES) and (match := _ALWAYS_UP.search(text)):
        yield Fact("availability", ALWAYS_UP, match.group(0), f"'{match.group(0)}' read as {ALWAYS_UP:.1%} uptime")
    if says_any(text, _HOURS_CUES) and (hours := _service_hours(text)):
        yield hours
    if says_any(text, _FACING_CUES) and (match := _FACING.search(text)):
        yield Fact("customer_facing", True, match.group(0))
    if says_any(text, _OFFLINE_CUES) and (match := _OFFLINE.search(text)):
        yield Fact("offline", True, match.group(0))


def _service_hours(text: str) -> Fact | None:
    """Around the clock ("24/7", "through the night"), or office hours ("9 to 5", "down nights and weekends")."""
    if match := _ROUND_THE_CLOCK.search(text):
        if not _NOT_ROUND_THE_CLOCK.search(text, max(0, match.start() - 30), match.start()):
            return Fact("service_hours", "24/7", match.group(0))
        return Fact("service_hours", "office", text[max(0, match.start() - 30) : match.end()].split(",")[-1].strip())
    if match := _OFFICE.search(text):
        return Fact("service_hours", "office", match.group(0))
    if window := hours_window(text):
        return Fact("service_hours", "office", window.span)
    return None
