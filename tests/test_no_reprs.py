"""No Python repr reaches a reader: not in the card, the text answer, the writer's facts, or a re-check's post."""

from __future__ import annotations

import json
import re

import pytest

from bot.check.assess import assess
from bot.cli.render import render_text
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from bot.revisit import causes, what_moved
from bot.slack import answer_card
from bot.slack.aging import post_text
from bot.write.facts import prompt_facts
from bot.write.template import template_text

REPR = re.compile(r"\b[A-Z]\w+\(\w+=|\[['\"]|\{['\"]\w+['\"]:|\bNone\b")
QUESTIONS = (
    "we have 2x 4090 already; 2M tokens a day on llama3.1:8b, the data has PHI and HIPAA and PII, 1 SRE",
    "runs today on 2x 4090 and one H100, 500k requests a day, the data is ITAR and confidential, uptime 99.9%",
    "each of our 900 staff asks ~3 questions a day on gpt-4o, personal data processed in the EU only",
    "is self-hosting worth it for us?",
)


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_repr_in_any_answer_surface(question: str, kb: KnowledgeBase) -> None:
    workload = parse(question, kb).workload
    assessment = assess(workload, kb)
    card = [
        text
        for block in answer_card.card(assessment, "01M8CF5QFWV1YH49NF4EE7GTWM")
        for text in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(block))
    ]
    surfaces = {
        "card": "\n".join(card) + answer_card.card_text(assessment),
        "text answer": render_text(assessment),
        "template": template_text(assessment),
        "writer's facts": prompt_facts(assessment, kb),
        "re-check post": post_text(
            assessment,
            assessment,
            what_moved(assessment, assessment, 0.2) or ["verdict held"],
            causes(assessment, assessment, 0.2),
        ),
    }
    for surface, text in surfaces.items():
        assert not REPR.search(text), f"{surface}: {REPR.search(text)} in {text!r}"
