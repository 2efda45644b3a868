from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.resources import data_dir

REPO = Path(__file__).resolve().parents[1]

# The fakes' fixtures (fake_ollama, fake_openai, fake_slack), for every test module without re-binding them.
pytest_plugins = ["tests.fakes.ollama", "tests.fakes.openai_compatible", "tests.fakes.slack_api"]


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The knowledge base the package ships."""
    return load_knowledge(data_dir("knowledge"))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge base that a test may break."""
    return Path(shutil.copytree(data_dir("knowledge"), tmp_path / "knowledge"))


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's own .env or environment settings, or reaches their Ollama:
    OLLAMA_HOST points at a port nothing listens on, unless a test starts a fake there."""
    for name in list(os.environ):
        if name.startswith(("LOCALCHECK_", "SLACK_", "OLLAMA_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("LOCALCHECK_DB", str(tmp_path_factory.mktemp("db") / "decisions.db"))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CliRun = Callable[..., Result]


@pytest.fixture
def cli() -> CliRun:
    """Run `localcheck ARGS...` in-process, with extra environment variables."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run
