"""A workspace's defaults saved before hardware was stored as knowledge ids are carried over, none lost."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from bot.decisions.migrations import MIGRATIONS, migrate
from bot.decisions.store import DecisionLog
from bot.decisions.teams import team_defaults
from bot.knowledge.loader import KnowledgeBase
from bot.workload import OwnedHardware


def a_log_before_m012(path: Path, typed: dict[str, str]) -> None:
    """A log as the release before m012 left it, with each team's hardware as it was typed."""
    old = Database(path)
    everything = list(MIGRATIONS)
    MIGRATIONS[:] = [m for m in everything if m.__name__ < "m012"]
    try:
        migrate(old)
    finally:
        MIGRATIONS[:] = everything
    for team, text in typed.items():
        old["team_defaults"].insert({"team_id": team, "currency": "USD", "owned_hardware": text})
    old.close()


def test_hardware_typed_before_m012_is_read_into_ids_on_first_use_and_unreadable_text_is_kept(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = tmp_path / "old.db"
    a_log_before_m012(path, {"T1": "2 x RTX 4090 and an A100", "T2": "3 x RTX 4099"})
    log = DecisionLog(path)
    assert team_defaults(log, "T1", kb).owned_hardware == [
        OwnedHardware(hardware="rtx-4090", count=2),
        OwnedHardware(hardware="a100-80gb", count=1),
    ]
    unreadable = team_defaults(log, "T2", kb)
    assert unreadable.owned_hardware == [] and "RTX 4099" in unreadable.set_aside[0]
    rows = {r["team_id"]: r for r in log.db["team_defaults"].rows}
    assert rows["T1"]["owned_hardware_unread"] is None and "rtx-4090" in rows["T1"]["owned_hardware"]
    assert rows["T2"]["owned_hardware_unread"] == "3 x RTX 4099", "kept for the team to fix"
