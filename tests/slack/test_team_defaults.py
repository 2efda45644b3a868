"""Team defaults are checked when saved, with a workload's limits in USD; a bad stored row breaks nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.slack import blocks
from tests.conftest import CliRun
from tests.fakes.slack_api import FakeSlack
from tests.slack.harness import QUESTION, TEAM, Bot, answered, posted_cards, wait_until


def save_defaults(bot: Bot, **values: str) -> dict[str, Any]:
    """Submit App Home's defaults form; returns Slack's answer to the submission ({} when accepted)."""
    state: dict[str, Any] = {
        field: {"value": {"type": "plain_text_input", "value": values.get(field, "")}}
        for field in ("electricity_price", "engineer_hourly_cost", "owned_hardware")
    }
    state["currency"] = {
        "value": {"type": "static_select", "selected_option": {"value": values.get("currency", "USD")}}
    }
    view = {"id": "V3", "type": "modal", "callback_id": blocks.VIEW_DEFAULTS, "state": {"values": state}}
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U1", "team_id": TEAM}, "view": view}
    reply = bot.interaction({**payload, "api_app_id": "A1", "token": "x", "trigger_id": "t"})
    assert reply.status == 200
    return reply.json() if reply.body else {}


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"electricity_price": "9", "currency": "GBP"}, "electricity_price", "At most 5 USD a kWh; 9 GBP is 11.51 USD"),
        ({"electricity_price": "4.8", "currency": "EUR"}, "electricity_price", "4.8 EUR is 5.20 USD"),
        ({"electricity_price": "5.01"}, "electricity_price", "At most 5 USD a kWh."),
        ({"electricity_price": "inf"}, "electricity_price", "finite number"),
        ({"electricity_price": "-0.2"}, "electricity_price", "At least 0"),
        ({"electricity_price": "nan"}, "electricity_price", "finite number"),
        ({"electricity_price": "20 cents"}, "electricity_price", "Please give a number."),
        ({"engineer_hourly_cost": "4800", "currency": "EUR"}, "engineer_hourly_cost", "At most 5000 USD an hour"),
        ({"engineer_hourly_cost": "1e9"}, "engineer_hourly_cost", "At most 5000 USD an hour."),
        ({"owned_hardware": "2 x Quantum Flux 9000"}, "owned_hardware", "Unknown hardware 'Quantum Flux 9000'"),
        (
            {"owned_hardware": "2 x RTX 4090, 1 x RTX 4099"},
            "owned_hardware",
            "Unknown hardware 'RTX 4099'. Did you mean",
        ),
        ({"owned_hardware": "a toaster and 2 x A100"}, "owned_hardware", "Unknown hardware 'a toaster'"),
    ],
)
def test_defaults_beyond_a_workloads_limits_are_refused_beside_the_field(
    values: dict[str, str], field: str, says: str, bot: Bot
) -> None:
    answer = save_defaults(bot, **values)
    assert answer["response_action"] == "errors" and says in answer["errors"][field], answer
    assert bot.log.db.execute("select count(*) from team_defaults").fetchone()[0] == 0


@pytest.mark.parametrize(
    "values",
    [
        {"electricity_price": "3", "currency": "GBP"},
        {"electricity_price": "0.32", "engineer_hourly_cost": "4500", "currency": "EUR"},
        {"owned_hardware": "2 x RTX 4090 and a Mac Studio M2 Ultra"},
        {"engineer_hourly_cost": "0"},
    ],
)
def test_defaults_within_limits_are_saved(values: dict[str, str], bot: Bot, slack: FakeSlack) -> None:
    assert save_defaults(bot, **values) == {}
    assert slack.wait_for("views.publish")


BAD_ROWS = {
    "9 GBP a kWh saved before the check": {"electricity_price": 9.0, "currency": "GBP"},
    "negative engineer cost": {"engineer_hourly_cost": -5.0},
    "hardware since gone from the knowledge base": {"owned_hardware": '[{"hardware": "quantum-flux", "count": 3}]'},
    "hardware typed before it was read when saved, unreadable": {"owned_hardware_unread": "3 x Quantum Flux"},
    "hardware that is not a list of ids": {"owned_hardware": "2 x RTX 4090"},
    "a currency we do not know": {"electricity_price": 0.3, "currency": "XYZ"},
    "text where a number belongs": {"electricity_price": "cheap", "engineer_hourly_cost": 9e99},
    "hardware that is not text": {"owned_hardware": 42},
}


@pytest.fixture(params=list(BAD_ROWS))
def bad_row(request: pytest.FixtureRequest, bot: Bot) -> str:
    """A stored row no form would let through, written straight into the log."""
    row = {"team_id": TEAM, "currency": "USD", "updated_by": "U1", **BAD_ROWS[request.param]}
    bot.log.db.table("team_defaults").insert(row)
    bot.log.db.conn.commit()
    return str(request.param)


def test_a_bad_stored_default_is_set_aside_and_every_answer_still_works(
    bad_row: str, bot: Bot, slack: FakeSlack, cli: CliRun
) -> None:
    decision_id, ts = answered(bot, slack)
    card = json.dumps(posted_cards(slack)[0].params["blocks"])
    assert "team's default" in card and "was set aside" in card
    bot.click(blocks.ACTION_ADOPT, decision_id, thread_ts=ts)
    wait_until(lambda: bot.log.get(decision_id).status == "adopted")
    bot.click(blocks.ACTION_CHANGE, decision_id, thread_ts=ts)
    assert slack.wait_for("views.open")
    bot.message("what if we double it?", channel="C1", thread_ts=ts)
    refined = wait_until(lambda: [d for d in bot.log.list() if d.parent_id == decision_id])
    assert refined and bot.log.get(refined[0].id).workload
    estimate = bot.command("about 2M tokens a day on gpt-4o-mini").json()
    assert "was set aside" in json.dumps(estimate["blocks"])
    shown = cli("decisions", "show", decision_id, env={"LOCALCHECK_DB": str(bot.log.path)})
    assert shown.exit_code == 0 and decision_id in shown.output
    bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.0"})
    assert "was set aside" in json.dumps(slack.wait_for("views.publish")[0].params["view"])


def test_a_bad_stored_default_keeps_the_good_ones(bot: Bot, slack: FakeSlack) -> None:
    row = {
        "team_id": TEAM,
        "electricity_price": 0.4,
        "engineer_hourly_cost": -1.0,
        "owned_hardware_unread": "2 x RTX 4090",
    }
    bot.log.db.table("team_defaults").insert({**row, "currency": "EUR"})
    bot.log.db.conn.commit()
    decision_id, _ = answered(bot, slack, "about 2M tokens a day on gpt-4o-mini")
    workload = bot.log.get(decision_id).workload
    assert workload is not None and workload.electricity_usd_per_kwh == pytest.approx(0.4 * 1.0824)
    assert workload.owned[0].hardware == "rtx-4090" and workload.engineer_hourly_usd is None


def test_an_answer_still_comes_when_the_defaults_cannot_be_read(bot: Bot, slack: FakeSlack) -> None:
    bot.log.db.execute("drop table team_defaults")
    bot.log.db.conn.commit()
    assert answered(bot, slack, QUESTION)[0]


def test_hardware_is_saved_as_knowledge_ids_and_shown_back_as_names_that_read_the_same(
    bot: Bot, slack: FakeSlack
) -> None:
    assert save_defaults(bot, owned_hardware="2x rtx4090 plus a Mac Studio M2 Ultra") == {}
    assert slack.wait_for("views.publish")
    [row] = bot.log.db.execute("select owned_hardware from team_defaults").fetchall()
    saved = json.loads(row[0])
    assert saved == [{"hardware": "rtx-4090", "count": 2}, {"hardware": "m2-ultra-192gb", "count": 1}]
    bot.click(blocks.ACTION_EDIT_DEFAULTS, "")
    form = slack.wait_for("views.open")[0].params["view"]
    typed = next(b for b in form["blocks"] if b["block_id"] == "owned_hardware")["element"]["initial_value"]
    assert "2 x NVIDIA GeForce RTX 4090" in typed and "Mac Studio" in typed
    assert save_defaults(bot, owned_hardware=typed) == {}, "what the form shows is read back as it was"
    assert slack.wait_for("views.publish", count=2)
    assert json.loads(bot.log.db.execute("select owned_hardware from team_defaults").fetchone()[0]) == saved


def test_hardware_typed_before_it_was_read_when_saved_is_read_once_and_stored_as_ids(
    bot: Bot, slack: FakeSlack
) -> None:
    bot.log.db.table("team_defaults").insert({"team_id": TEAM, "currency": "USD", "owned_hardware_unread": "a 4090"})
    bot.log.db.conn.commit()
    decision_id, _ = answered(bot, slack, "about 2M tokens a day on gpt-4o-mini")
    workload = bot.log.get(decision_id).workload
    assert workload is not None and workload.owned[0].hardware == "rtx-4090"
    row = bot.log.db.execute("select owned_hardware, owned_hardware_unread from team_defaults").fetchone()
    assert json.loads(row[0]) == [{"hardware": "rtx-4090", "count": 1}] and row[1] is None


def test_unreadable_hardware_from_before_is_kept_for_the_team_to_fix(bot: Bot, slack: FakeSlack) -> None:
    bot.log.db.table("team_defaults").insert(
        {"team_id": TEAM, "currency": "USD", "owned_hardware_unread": "2 x RTX 4099"}
    )
    bot.log.db.conn.commit()
    answered(bot, slack, "about 2M tokens a day on gpt-4o-mini")
    card = json.dumps(posted_cards(slack)[0].params["blocks"])
    assert "2 x RTX 4099" in card and "Did you mean" in card
    kept = bot.log.db.execute("select owned_hardware_unread from team_defaults").fetchone()[0]
    assert kept == "2 x RTX 4099", "not dropped"
