"""`localcheck serve` re-checks on its schedule and tells the decision's own thread, as a real process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.check.assess import assess
from bot.decisions.records import SlackOrigin
from bot.decisions.store import DecisionLog
from bot.knowledge.loader import KnowledgeBase
from bot.parse import parse
from tests.conftest import REPO, _closed_port
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import SECRET

BOUGHT = "20M tokens a day on llama3.3:70b, 2 SREs run our servers, the data stays in our AWS account"


def test_serve_posts_a_flipped_verdict_into_its_thread_once(
    slack: FakeSlack, kb: KnowledgeBase, tmp_path: Path
) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    hardware = knowledge / "hardware.yaml"
    hardware.write_text(
        re.sub(r"purchase_usd: (\d+)", lambda m: f"purchase_usd: {int(m.group(1)) * 20}", hardware.read_text())
    )
    db = tmp_path / "served.db"
    workload = parse(BOUGHT, kb).workload
    DecisionLog(db).record(
        question=BOUGHT,
        workload=workload,
        assessment=assess(workload, kb),
        source="mention",
        slack=SlackOrigin(team="T1", channel="C1", thread="1700000000.000100", user="U1", public=True),
    )
    env = {
        **os.environ,
        "SLACK_API_URL": slack.url + "/api/",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "LOCALCHECK_DB": str(db),
        "LOCALCHECK_KNOWLEDGE_DIR": str(knowledge),
        "LOCALCHECK_RECHECK_HOURS": str(0.5 / 3600),  # every half second
    }
    command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(_closed_port())]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        [post] = slack.wait_for("chat.postMessage", timeout=60)
        time.sleep(1.5)  # a few more rounds pass
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert post.params["channel"] == "C1" and post.params["thread_ts"] == "1700000000.000100"
    assert "Rent GPUs and run it yourself" in post.params["text"]
    assert len(slack.calls_to("chat.postMessage")) == 1, stderr
    assert len(DecisionLog(db).db.execute("select * from revisit_posts").fetchall()) == 1
    assert "re-checking the logged decisions every" in stderr and "Traceback" not in stderr
