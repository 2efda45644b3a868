"""Who would run it: the people who run servers today."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.quantities import NUMBER, number_value

_NO_OPS = re.compile(
    r"no(?:\s+one|body)\s+(?:here\s+|on\s+the\s+team\s+)?(?:does|do|runs?|handles?|knows|manages?|maintains?)\s+"
    r"(?:any\s+)?(?:ops|servers?|infra|infrastructure|hardware|devops)|"
    r"(?:we\s+have\s+|there\s+are\s+|with\s+)?no\s+(?:sres?|ops\s+(?:team|people|staff|capacity)|devops|sysadmins?|"
    r"admins?|infra(?:structure)?\s+team|platform\s+team)|zero\s+ops",
)
_PART_TIME = re.compile(r"part[- ]time\s+(?:sys)?(?:admin|sre|ops|devops)|teilzeit[- ]?admin")
_STAFF = (
    re.compile(rf"(?:platform|infra(?:structure)?|ops|sre|devops)\s+team\s+of\s+{NUMBER}"),
    re.compile(
        rf"{NUMBER}\s+(?:sres?|ops\s+(?:engineers?|people)|devops\s+(?:engineers?|people)|sysadmins?|"
        rf"platform\s+engineers?|infra(?:structure)?\s+engineers?|(?:sys)?admins?)\b",
    ),
)


def team_facts(text: str) -> Iterator[Fact]:
    if match := _NO_OPS.search(text):
        yield Fact("ops_staff", 0.0, match.group(0))
    elif match := _PART_TIME.search(text):
        yield Fact("ops_staff", 0.5, match.group(0))
    elif match := next((m for pattern in _STAFF if (m := pattern.search(text))), None):
        yield Fact("ops_staff", number_value(match["num"], match["mult"]), match.group(0))
