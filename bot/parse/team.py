"""Who would run it: the people who run servers today, and whether anyone carries a pager."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.parse.facts import Fact
from bot.parse.quantities import NUMBER, number_starts, number_value
from bot.parse.text import says_any
from bot.parse.words import anchored

_ROLE = (
    r"(?:sres?|site\s+reliability\s+engineers?|sysadmins?|(?:sys)?admins?|platform\s+engineers?|"
    r"(?:ops|devops|infra(?:structure)?)\s+(?:engineers?|people|folks|guys|staff)|devops|"
    r"ops\b(?!\s*(?:team|time|capacity|work|side|org|group|=|:)))"
)
_TEAM = r"(?:platform|infra(?:structure)?|ops|sre|devops)\s+(?:team|org|group|crew)"
_NO_OPS = re.compile(
    r"no(?:\s+one|body|-one)\s+(?:here\s+|in[- ]house\s+|on\s+the\s+team\s+)?(?:does|do|runs?|handles?|knows|"
    r"manages?|maintains?|touches|looks\s+after)\s+(?:any\s+)?(?:ops|servers?|infra|infrastructure|hardware|devops)|"
    r"no\s+(?:dedicated\s+|in-house\s+|full[- ]time\s+)?(?:sres?|ops\s+(?:team|people|staff|capacity|folks)|devops|"
    r"sysadmins?|admins?|infra(?:structure)?\s+(?:team|people|folks|engineers)|platform\s+team)|zero\s+ops|"
    r"outsource\s+(?:all\s+)?(?:of\s+)?(?:our\s+)?(?:it|ops|infra(?:structure)?)\b",
)
_PART_TIME = re.compile(
    r"(?:part[- ]time\s+(?:sys)?(?:admin|sre|ops|devops)|teilzeit[- ]?admin)"
    r"(?:\s*\(?\s*(?P<days>one|two|three|four|[1-4])\s+days?\s+(?:a|per|each)\s+week)?"
    r"|(?P<fte>half|\d(?:\.\d+)?)\s+(?:an\s+)?fte\b",
)
_STAFF_CUES = (
    ("team", "org", "group", "crew"),
    ("sre", "site reliability", "admin", "platform", "ops", "infra"),
    ("ran", "run", "managed", "operated", "touched"),
    ("person", "people", "strong", "man"),
)
_STAFF = (
    re.compile(
        rf"{_TEAM}\s*(?:is|of|has|:|=|—|–|-|\()?\s*(?:about\s+|~)?{NUMBER}\s*"
        r"(?:people|persons|engineers?|folks|strong)?(?=\W|$)",
    ),
    re.compile(rf"{NUMBER}\s+{_ROLE}"),
    re.compile(
        rf"{NUMBER}\s+(?:person|people|engineers?|devs?|of\s+us|guys?)\s+(?:on\s+the\s+team\s+|here\s+)?"
        r"(?:has|have)\s+(?:ever\s+)?(?:run|ran|managed|operated|touched)\s+(?:a\s+)?"
        r"(?:k8s|kubernetes|servers?|infra|gpus?|clusters?|linux)",
    ),
    re.compile(rf"{NUMBER}[- ](?:person|people|man|strong)\s+{_TEAM}"),
)
_JUST_ME = re.compile(
    rf"(?:ops|infra|servers?)\s*(?:=|is|are|:)\s*(?:just\s+)?me\b(?:\s*(?:\+|and|&)\s*{NUMBER}\s+other)?|"
    r"the\s+only\s+(?:engineer|dev(?:eloper)?|person)\b(?:(?!\b(?:no|not|never|don'?t)\b)[^.;\n]){0,40}?"
    r"(?:everything|servers?|infra)",
)
_NOT_OPS = re.compile(r"(?:a\s+single|one|a\s+lone|only\s+one|just\s+one)\s+(?:data\s+scientist|researcher|analyst)\b")
_ON_CALL = (
    (
        False,
        re.compile(
            r"(?:no(?:\s+one|body|-one)|none\s+of\s+us)\s+(?:\w+\s+)?(?:carries|carry|is\s+on|has|does|do)\s+(?:a\s+)?"
            r"(?:pager|on[- ]?call)|\bno\s+(?:on[- ]?call|pager(?:duty)?)\b|not\s+on[- ]?call|"
            r"without\s+(?:an?\s+)?on[- ]?call|don'?t\s+(?:do|have)\s+(?:an?\s+)?on[- ]?call",
        ),
    ),
    (
        True,
        re.compile(
            r"on[- ]?call\s+rota(?:tion)?|(?:carries|carry|share|sharing|hold|holds)\s+(?:the|a)\s+pager|"
            r"pager\s*duty|pager\s+rota(?:tion)?|follow[- ]the[- ]sun|"
            r"(?:someone|somebody|we'?re|we\s+are|always)\s+(?:is\s+)?on[- ]?call|"
            r"(?:with|has|have|runs?|do)\s+(?:an?\s+|our\s+own\s+)?(?:24/7\s+)?on[- ]?call(?!\s+(?:is|would|will))",
        ),
    ),
)


def team_facts(text: str) -> Iterator[Fact]:
    """People who run servers ("2 SREs", "a part-time admin", "nobody here does ops") and the pager."""
    if fact := _ops_staff(text):
        yield fact
    if says_any(text, ("pager", "on-call", "on call", "oncall", "follow", "rota")):
        for value, pattern in _ON_CALL:
            if match := pattern.search(text):
                yield Fact("on_call", value, match.group(0))
                break


def _ops_staff(text: str) -> Fact | None:
    if match := _NO_OPS.search(text):
        return Fact("ops_staff", 0.0, match.group(0))
    if says_any(text, ("part", "teilzeit", "fte")) and (match := _PART_TIME.search(text)):
        if match["fte"]:
            share = 0.5 if match["fte"] == "half" else number_value(match["fte"])
            return Fact("ops_staff", share, match.group(0))
        days = number_value(match["days"]) if match["days"] else None
        reason = f"{match['days']} days of five" if days else None
        return Fact("ops_staff", days / 5 if days else 0.5, match.group(0), reason)
    staff = (_find(p, text) for p, cues in zip(_STAFF, _STAFF_CUES, strict=True) if says_any(text, cues))
    if match := next((m for m in staff if m), None):
        return Fact("ops_staff", number_value(match["num"], match["mult"]), match.group(0))
    if says_any(text, ("me", "only")) and (match := _JUST_ME.search(text)):
        others = number_value(match["num"], match["mult"]) if match["num"] else 0
        return Fact("ops_staff", 1 + others, match.group(0), "you, and the others you name")
    if says_any(text, ("scientist", "researcher", "analyst")) and (match := _NOT_OPS.search(text)):
        return Fact("ops_staff", 0.0, match.group(0), "nobody named whose job is running servers")
    return None


def _find(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match: tried where numbers begin when the pattern opens on one, else searched for."""
    if pattern.pattern.startswith(NUMBER):
        return next(anchored(pattern, text, number_starts(text)), None)
    return pattern.search(text)
