"""The hostile and the good model texts of tests/write/*.yaml, filled in against real assessments.

Texts use placeholders ({local_usd}, {hardware}, ...) for the figures an
assessment computes, so they stay right when prices or the knowledge change.
A hostile case is a good answer with one hostile unit put in; that unit must
never be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.numbers import human_count, usd
from bot.parse import parse
from bot.resources import data_dir

HERE = Path(__file__).parent
QUESTIONS = {
    "local": "we push about 2M tokens a day through gpt-4o-mini for support tickets; the tickets contain customer PII",
    "cloud": "about 50k requests a day through gpt-4o-mini, nobody here runs servers, public data",
    # Hosted open weights undercut a new self-hosted base (issue 11); hardware already owned does not. Sixteen
    # H100s: eight make one HGX system, and a fleet that must buy a second one for the peak loses to hosts.
    "hybrid": "we own 16 x H100; 5M requests a day on llama3.1:8b; 10% of them need frontier reasoning; 3 SREs; "
    "public data",
    "need-more-info": "support bot, the tickets contain PII, we need frontier quality",
}


@dataclass(frozen=True)
class Hostile:
    id: str
    against: str
    reply: str
    """The whole text the model sends."""
    unit: str
    """The hostile part, which must never be shown."""
    problem: str
    """Words of the problem the check should name."""


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(data_dir("knowledge"))


@cache
def assessment(kind: str) -> Assessment:
    kb = knowledge()
    found = assess(parse(QUESTIONS[kind], kb).workload, kb)
    assert found.verdict == kind, f"the {kind} question is now answered {found.verdict}"
    return found


def placeholders(a: Assessment) -> dict[str, str]:
    labour = next((f.numbers["labour_monthly_usd"] for f in a.findings if f.rule == "labour"), 0.0)
    values: dict[str, Any] = {
        "cloud_usd": usd(a.cloud.monthly_usd),
        "api": a.cloud.api_model,
        "break_even": human_count(a.break_even_tokens_per_day or 0),
        "labour_usd": usd(float(labour)),
        "question": a.question or "",
        "frontier_api": a.cloud.frontier_api_model or "",
    }
    if a.local:
        values |= {
            "local_usd": usd(a.local.monthly_usd),
            "hardware": a.local.hardware_name,
            "model": a.local.model_name,
            "busy": f"{a.local.utilisation:.0%}",
            "count": a.local.count,
        }
    if a.hybrid:
        values |= {"hybrid_usd": usd(a.hybrid.monthly_usd), "local_share": f"{a.hybrid.local_share:.0%}"}
    return {name: str(value) for name, value in values.items()}


def good_texts() -> list[tuple[str, str]]:
    """(assessment kind, text) for every good text."""
    entries = yaml.safe_load((HERE / "good_texts.yaml").read_text())
    return [(e["against"], e["text"].format(**placeholders(assessment(e["against"])))) for e in entries]


def hostile_texts() -> list[Hostile]:
    data = yaml.safe_load((HERE / "hostile_texts.yaml").read_text())
    cases = []
    for entry in data["cases"]:
        against = entry.get("against", "local")
        values = placeholders(assessment(against))
        unit = entry["text"].format(**values) * entry.get("repeat", 1)
        lines = data["base"][against].format(**values).splitlines(keepends=True)
        at = entry.get("at", 3)
        unit_line = unit if unit.endswith("\n") else unit + "\n"
        lines[at : at + int(entry.get("replace", False))] = [unit_line]
        cases.append(Hostile(entry["id"], against, "".join(lines), unit.strip(), entry["problem"]))
    return cases
