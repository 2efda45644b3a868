"""What, where and who: models and quality, data rules, service needs, the team, money."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.names import Mention, mentions, says_api
from bot.parse.quantities import DECIMAL, NUMBER, WORD_NUMBERS, number_value
from bot.parse.unknown import unknown_model_facts


def model_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """The API model used, the open model to run, the quality needed, a frontier share."""
    share = _frontier_share(text)
    if share is not None:
        yield share
    apis = list(mentions(kb, "api_models", text))
    models = list(mentions(kb, "models", text))
    # "Mistral Small through their API" names the hosted model; otherwise the open one.
    apis = [a for a in apis if not _overlaps(a, models) or says_api(text, a.end)]
    models = [m for m in models if not _overlaps(m, apis)]
    # "GPT-4o-class" or "Llama 70B-level is fine" names a quality, not a model to use.
    for mention in sorted(apis, key=lambda m: (not _switched_to(text, m), m.start)):
        if quality := _as_a_class(text, mention, kb.api_models[mention.entry_id].quality_tier):
            yield quality
        else:
            yield Fact("api_model", mention.entry_id, text[mention.start : mention.end])
    for mention in sorted(models, key=lambda m: (not _switched_to(text, m), m.start)):
        if quality := _as_a_class(text, mention, kb.models[mention.entry_id].quality_tier):
            yield quality
        else:
            yield Fact("model", mention.entry_id, text[mention.start : mention.end])
    yield from unknown_model_facts(kb, text)
    rest = text.replace(share.span, " ") if share is not None else text
    for pattern, tier in _QUALITY:
        if match := pattern.search(rest):
            yield Fact("quality", tier, match.group(0))


_CLASS = re.compile(r"[\s-]*(?:level|class|quality|grade|equivalent|or\s+better|tier)\b")


def _as_a_class(text: str, mention: Mention, tier: str) -> Fact | None:
    after = text[mention.end : mention.end + 24]
    if not _CLASS.match(after):
        return None
    return Fact("quality", tier, text[mention.start : mention.end] + after.split(",")[0].rstrip())


def _overlaps(mention: Mention, others: list[Mention]) -> bool:
    return any(mention.start < o.end and o.start < mention.end for o in others)


def _switched_to(text: str, mention: Mention) -> bool:
    """ "…no wait, we moved to o3": a later correction outranks the first mention."""
    before = text[max(0, mention.start - 30) : mention.start]
    return bool(
        re.search(
            r"(?:moved|switched|migrated|changed|went)\s+(?:over\s+)?to\s+$|now\s+(?:on|using|use)\s+$|"
            r"instead\s+(?:of\s+\S+\s+)?(?:we\s+)?(?:use\s+)?$",
            before,
        )
    )


def _frontier_share(text: str) -> Fact | None:
    """ "10% need frontier reasoning"; "100% need it" is the quality all of them need."""
    for pattern in _FRONTIER_SHARES:
        if match := pattern.search(text):
            share = number_value(match["pct"]) / 100
            return (
                Fact("quality", "frontier", match.group(0))
                if share == 1
                else Fact("frontier_share", share, match.group(0))
            )
    return None


_QUALITY = (
    (
        re.compile(
            r"\b(?:frontier|state[- ]of[- ]the[- ]art|sota|best\s+(?:model|available|possible)|top[- ]tier\s+model)"
        ),
        "frontier",
    ),
    (re.compile(r"\b(?:7|8)b[- ]?(?:class|level)|\b(?:7|8)b\s+(?:model\s+)?is\s+(?:fine|enough|ok|plenty)"), "good"),
    (re.compile(r"\b70b[- ]?(?:class|level)|\b70b\s+(?:is|would\s+be)\s+(?:fine|enough|ok)"), "strong"),
    (
        re.compile(
            r"\b(?:small|tiny)\s+model\s+(?:is|would\s+be)\s+(?:fine|enough|ok|plenty)|\bsimple\s+classification|"
            r"(?:fine|ok|enough|good)\s+with\s+a\s+(?:small|tiny)\s+model"
        ),
        "basic",
    ),
)
_HARD = r"(?:frontier|(?:deep|hard|complex|multi[- ]step)\b[^.;\n]{0,30}reasoning|the\s+best|gpt-?5|opus|sonnet|\bo3\b)"
_FRONTIER_SHARES = (
    re.compile(
        rf"(?P<pct>{DECIMAL})\s*%\s*(?:of\s+(?:them|those|the\s+\w+|requests|queries|tickets|cases|traffic)\s+)?"
        rf"(?:need|needs|require|requires)\b[^.;\n]{{0,40}}?{_HARD}[^.;\n]*",
    ),
    re.compile(
        rf"{_HARD}[^.;\n]{{0,30}}?\bfor\s+(?:about\s+|around\s+|~)?(?P<pct>{DECIMAL})\s*%\s+of",
    ),
)


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


_OWNED_CUE = re.compile(
    r"(?:we|i)\s+(?:have|own|got|already\s+(?:have|own))|we'?ve\s+got|i'?ve\s+got|^\s*have\s+an?\b|"
    r"home\s*lab|in\s+my\s+lab|sitting\s+(?:idle|around|unused)|idle|unused|"
    r"spare|lying\s+around|under\s+(?:my|our)\s+desk|in\s+(?:our|the)\s+(?:rack|closet|office|server\s+room)|our\s+own",
)
_COUNT_AFTER = re.compile(
    rf"[^.(\n]{{0,20}}\(\s*(?P<count>\d+|{'|'.join(w for w in WORD_NUMBERS if w not in ('few', 'several', 'a', 'an'))})"
    r"\s+of\s+them",
)
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$")
_COUNT_BEFORE = re.compile(
    rf"(?P<count>{DECIMAL}|(?:a|the)\s+(?:pair|couple)\s+of|"
    rf"{'|'.join(w for w in WORD_NUMBERS if w not in ('few', 'several'))})"
    r"\s*(?:x\s*|×\s*)?(?:nvidia\s+|geforce\s+|apple\s+|amd\s+|mac\s+studios?\s+)?$",
)


def hardware_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Hardware the team already owns (with how many), or hardware it is considering."""
    owned: dict[str, float] = {}
    spans: list[str] = []
    considering: Mention | None = None
    for mention in mentions(kb, "hardware", text):
        clause = _clause_around(text, mention)
        count, said_from = _count(text, mention)
        if _OWNED_CUE.search(clause) or _OURS_BEFORE.search(text[max(0, mention.start - 30) : mention.start]):
            # One device named twice ("a Framework Desktop with the Ryzen AI Max+ 395") is one device.
            owned[mention.entry_id] = max(owned[mention.entry_id], count) if mention.entry_id in owned else count
            spans.append(text[said_from : mention.end])
        elif considering is None:
            considering = mention
    if owned:
        yield Fact("owned", [{"hardware": h, "count": n} for h, n in owned.items()], "; ".join(spans))
    if considering is not None and considering.entry_id not in owned:
        yield Fact("hardware", considering.entry_id, text[considering.start : considering.end])


def _count(text: str, mention: Mention) -> tuple[float, int]:
    """How many ("two 4090s", "the couple of L40S", "the 3090s (4 of them)"), and where a count before begins.

    Left as read (a "-2" or "2.5" is refused by the workload's bounds, with a note), never rounded.
    """
    reach = max(0, mention.start - 25)
    if before := _COUNT_BEFORE.search(text[reach : mention.start]):
        return number_value(before["count"]), reach + before.start()
    if after := _COUNT_AFTER.match(text[mention.end : mention.end + 40]):
        return number_value(after["count"]), mention.start
    return 1, mention.start


def _clause_around(text: str, mention: Mention) -> str:
    """The sentence around a mention, at most 80 characters either side (searched only that far,
    so a message naming hardware a thousand times is not read a thousand times over)."""
    reach = max(0, mention.start - 80)
    start = max(text.rfind(".", reach, mention.start), text.rfind("\n", reach, mention.start), reach)
    stop = mention.end + 80
    ends = [i for i in (text.find(".", mention.end, stop), text.find("\n", mention.end, stop)) if i != -1]
    return text[start : min([*ends, stop])]


_CURRENCY = r"(?P<cur>\$|€|£|usd|eur|euros?|gbp|pounds?|cents?|ct|¢|p\b|pence)"
_KWH = re.compile(rf"(?:(?P<pre>\$|€|£)\s*)?(?P<num>{DECIMAL})\s*{_CURRENCY}?\s*(?:/|per|a|an)\s*kwh")
_HOURLY = re.compile(
    rf"(?P<pre>\$|€|£)\s*(?P<num>{DECIMAL})\s*(?P<k>k)?\s*(?:/|per|an?)\s*(?P<per>h|hr|hour|year|yr|annum)\b",
)
_MINUS_BEFORE = re.compile(r"(?<![\w.])[-−]$")
"""A minus before the currency sign ("-$80/h") is the price's own: it is refused, not dropped."""


def money_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Electricity price and engineer cost, converted to US dollars."""
    d = kb.defaults
    rates = {
        "$": 1.0,
        "usd": 1.0,
        "€": d.usd_per_eur.value,
        "eur": d.usd_per_eur.value,
        "euro": d.usd_per_eur.value,
        "euros": d.usd_per_eur.value,
        "£": d.usd_per_gbp.value,
        "gbp": d.usd_per_gbp.value,
        "pound": d.usd_per_gbp.value,
        "pounds": d.usd_per_gbp.value,
    }
    if match := _KWH.search(text):
        value, said = _signed(text, match)
        currency = (match["pre"] or match["cur"] or "$").lower()
        if currency in ("cents", "cent", "ct", "¢"):
            value, currency = value / 100, "$"
        elif currency in ("p", "pence"):
            value, currency = value / 100, "£"
        converted = value * rates.get(currency, 1.0)
        reason = None if rates.get(currency, 1.0) == 1.0 else f"converted at {rates[currency]:g} USD per {currency}"
        yield Fact("electricity_usd_per_kwh", converted, said, reason)
    for match in _HOURLY.finditer(text):
        context = text[max(0, match.start() - 80) : match.end() + 40].lower()
        if not re.search(
            r"engineer|\beng\b|developer|dev\b|sre|people|salar|labou?r|loaded|staff|hire|contractor|\brate\b", context
        ):
            continue
        value, said = _signed(text, match)
        value *= 1000 if match["k"] else 1
        rate = rates[match["pre"].lower()]
        yearly = match["per"].lower() in ("year", "yr", "annum")
        hourly = value * rate / (d.engineer_hours_per_year.value if yearly else 1)
        notes = [f"{value:,.0f} a year over {d.engineer_hours_per_year.value:,.0f} hours"] if yearly else []
        if rate != 1.0:
            notes.append(f"converted at {rate:g} USD per {match['pre']}")
        yield Fact("engineer_hourly_usd", hourly, said, "; ".join(notes) or None)
        break


def _signed(text: str, match: re.Match[str]) -> tuple[float, str]:
    """A price and the words it was read from, with a minus before its currency sign ("-$80/h") as its own."""
    if match["pre"] and _MINUS_BEFORE.search(text, max(0, match.start() - 2), match.start()):
        return -number_value(match["num"]), text[match.start() - 1 : match.end()].strip()
    return number_value(match["num"]), match.group(0).strip()
