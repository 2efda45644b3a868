from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeBase
from tests.fakes.http import keep_traffic_local
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import Bot, start_bot


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    keep_traffic_local(monkeypatch)
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def bot(kb: KnowledgeBase, slack: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    running = start_bot(kb, slack, tmp_path / "decisions.db")
    yield running
    running.finish()
