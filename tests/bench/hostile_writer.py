"""Hostile model texts against the real writer: how many reach a reader, and the longest wait for an answer.

Every hostile text of tests/write/hostile_texts.yaml is served by a fake Ollama
on 127.0.0.1 (on the first try and on the retry) to `write_events`, as the CLI
and Slack consume it; a hostile unit found in any text the writer released
counts as shown. One more model trickles its answer a byte at a time, to
measure that the deadline holds. `measure()` is called by the hostile-input
benchmark; run this module to print its figures.
"""

from __future__ import annotations

import os
import time

from bot.assessment import Assessment
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.write import Delta, write_events
from tests.fakes.ollama import FakeOllama
from tests.write.corpus import assessment, good_texts, hostile_texts, knowledge

TRICKLE_TIMEOUT_S = 0.3
"""The trickling model's LOCALCHECK_LLM_TIMEOUT: the answer must come within about that."""


def measure() -> dict[str, float]:
    kb = knowledge()
    shown_hostile, longest = 0, 0.0
    cases = hostile_texts()
    trickled = next(text for kind, text in good_texts() if kind == "local")
    saved = {name: os.environ.get(name) for name in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"  # the fake is local; no proxy between
    try:
        with FakeOllama() as fake:
            settings = Settings(llm="ollama", model="llama3.1:8b", ollama_host=fake.url, llm_timeout_s=5)
            fake.replies = [trickled]
            _released(assessment("local"), kb, settings)  # loads langchain: once a process, not a stall
            for case in cases:
                fake.replies = [case.reply]
                shown, seconds = _released(assessment(case.against), kb, settings)
                shown_hostile += case.unit in shown
                longest = max(longest, seconds)
            fake.replies, fake.byte_delay_s = [trickled], 0.005
            settings = settings.model_copy(update={"llm_timeout_s": TRICKLE_TIMEOUT_S})
            longest = max(longest, _released(assessment("local"), kb, settings)[1])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {"cases": len(cases) + 1, "hostile_texts_shown": shown_hostile, "longest_stall_s": round(longest, 2)}


def _released(a: Assessment, kb: KnowledgeBase, settings: Settings) -> tuple[str, float]:
    """All the text the writer released, and the seconds from the request to Done."""
    started = time.monotonic()
    events = list(write_events(a, kb, settings))
    return "".join(e.text for e in events if isinstance(e, Delta)), time.monotonic() - started


if __name__ == "__main__":
    print(measure())
