"""Issue 12: availability as hosts and sites, labour by service level, hosts that exist, and the
time to the first token apart from the time to the whole answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from bot.assessment import Assessment
from bot.check.assess import assess
from bot.check.costs import Fleet, power_usd_per_month
from bot.check.hosts import host_classes, layout, redundancy
from bot.check.resolving import resolve_inputs
from bot.knowledge.loader import KnowledgeBase
from bot.slack.answer_card import card
from bot.workload import Workload
from tests.conftest import CliRun
from tests.strategies import workloads

ON_PREMISES = {"data_policy": "must-stay", "data_reasons": ["confidential"]}
SEVENTY_B = {"requests_per_day": 20_000, "model": "llama3.1:70b", "ops_staff": 2, **ON_PREMISES}
HOST_UP, SITE_UP = 0.995, 0.99982


def answer(kb: KnowledgeBase, **fields: Any) -> Assessment:
    return assess(Workload.model_validate(fields), kb)


def self_hosted(result: Assessment) -> list[Any]:
    return [o for o in result.options if o.kind in ("buy", "owned", "rent")]


# --- Hosts that exist ---------------------------------------------------------


def test_every_device_has_a_host_and_whole_machines_are_their_own(kb: KnowledgeBase) -> None:
    for hardware in kb.hardware.values():
        hosts = host_classes(kb, hardware.id)
        assert hosts, hardware.id
        if hardware.kind != "gpu":
            assert all(host.devices_max == 1 and host.price_usd == 0 for host in hosts), hardware.id


@pytest.mark.parametrize("hardware", ["H100", "H200", "A100"])
def test_sxm_modules_are_bought_eight_at_a_time_in_an_hgx_system(kb: KnowledgeBase, hardware: str) -> None:
    result = answer(kb, requests_per_day=5_000, model="llama3.1:8b", hardware=hardware, ops_staff=2, **ON_PREMISES)
    assert result.local is not None and result.local.host == "hgx"
    assert result.local.count % 8 == 0 and result.local.hosts == result.local.count // 8


def test_a_model_needing_three_geforce_cards_is_never_put_in_one_desktop(kb: KnowledgeBase) -> None:
    # Llama 3.1 70B with 30k-token prompts needs a third 24 GB card; a desktop holds two. (Batch
    # work, so only memory decides.)
    job = {"requests_per_day": 500, "model": "llama3.1:70b", "hardware": "RTX 4090", "batch": True, **ON_PREMISES}
    result = answer(kb, **job, input_tokens=30_000)
    assert result.local is None and "does not fit in one host" in (result.local_unavailable or "")
    with_two = answer(kb, **job, input_tokens=4_000)
    assert with_two.local is not None and with_two.local.devices_per_replica == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workloads())
def test_every_plan_fits_the_hosts_it_is_put_in(kb: KnowledgeBase, workload: Workload) -> None:
    result = assess(workload, kb)
    if result.local is None or result.local.rented:
        return
    host = kb.hosts[result.local.host or ""]
    assert result.local.hardware in host.takes
    assert result.local.devices_per_replica <= host.devices_max
    assert result.local.count <= result.local.hosts * host.devices_max


def test_eight_h100s_draw_about_ten_kilowatts_at_full_load(kb: KnowledgeBase) -> None:
    inputs = resolve_inputs(kb, Workload(requests_per_day=1_000, model="llama3.1:70b"))
    fleet = Fleet(kb.hardware["h100-sxm"], layout(kb, "hgx", 8, 1, None), 0, 0, None, 1.0)
    watts = power_usd_per_month(inputs.rates, fleet) / inputs.rates.usd_per_watt
    assert watts == pytest.approx(10_200, rel=0.02)


# --- Availability as structure ----------------------------------------------


def test_spares_are_whole_hosts_and_four_nines_take_a_second_site() -> None:
    assert redundancy(1, 0.99, HOST_UP, SITE_UP).spares_per_site == 0  # one host gives 99.5%
    three_nines = redundancy(1, 0.999, HOST_UP, SITE_UP)
    assert (three_nines.sites, three_nines.spares_per_site) == (1, 1)
    assert redundancy(1, 0.9999, HOST_UP, SITE_UP).sites == 2  # more than one Tier III site gives
    assert not redundancy(1, 0.99999999, HOST_UP, SITE_UP).reachable
    # More serving hosts fail more often: never fewer spares for a bigger fleet.
    spares = [redundancy(n, 0.999, HOST_UP, SITE_UP).spares_per_site for n in (1, 5, 20, 100)]
    assert spares == sorted(spares) and spares[-1] > spares[0]


def test_uptime_targets_add_whole_hosts_then_a_site_at_a_price(kb: KnowledgeBase) -> None:
    plain, three, four = (answer(kb, **SEVENTY_B, availability=a) for a in (0.99, 0.999, 0.9999))
    assert plain.local and three.local and four.local
    assert (plain.local.spare, plain.local.sites) == (0, 1)
    assert three.local.spare >= 1 and three.local.sites == 1 and three.local.hosts > plain.local.hosts
    assert four.local.sites == 2 and four.local.breakdown.on_call_usd > 0
    assert 0 < three.local.redundancy_usd < three.local.monthly_usd
    assert plain.local.monthly_usd < three.local.monthly_usd < four.local.monthly_usd


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workloads(data_policy="must-stay", data_reasons=["pii"], ops_staff=3, on_call=None))
def test_a_higher_uptime_target_never_costs_less_to_run_yourself(kb: KnowledgeBase, workload: Workload) -> None:
    costs = []
    for target in (0.99, 0.999, 0.9999):
        result = assess(workload.model_copy(update={"availability": target}), kb)
        if result.local is None:
            return
        costs.append(result.local.monthly_usd)
    assert costs == sorted(costs)


def test_customer_facing_work_assumes_three_nines_visibly_and_a_stated_target_wins(kb: KnowledgeBase) -> None:
    implied = answer(kb, **SEVENTY_B, customer_facing=True)
    field = implied.workload["availability"]
    assert field.how == "assumed" and field.value == 0.999 and "outside the team" in (field.reason or "")
    assert implied.local is not None and implied.local.spare >= 1
    stated = answer(kb, **SEVENTY_B, customer_facing=True, availability=0.99)
    assert stated.workload["availability"].how == "stated"
    assert stated.local is not None and stated.local.spare == 0


# --- Labour by service level -------------------------------------------------


def labour(kb: KnowledgeBase, **fields: Any) -> float:
    result = answer(kb, **{**SEVENTY_B, **fields})
    assert result.local is not None
    return result.local.labour_hours_per_month


def test_labour_grows_with_the_service_level(kb: KnowledgeBase) -> None:
    best_effort = labour(kb)
    office = labour(kb, service_hours="office")
    around_the_clock = labour(kb, service_hours="24/7")
    assert best_effort < office < around_the_clock
    assert around_the_clock - office > 150  # the on-call pay dwarfs the upkeep


def test_each_level_is_said_with_its_reason(kb: KnowledgeBase) -> None:
    for fields, level in (
        ({}, "best effort"),
        ({"service_hours": "office"}, "business hours"),
        ({"customer_facing": True}, "business hours"),
        ({"on_call": True}, "round the clock with someone on call"),
        ({"availability": 0.9995}, "round the clock with someone on call"),
    ):
        result = answer(kb, **{**SEVENTY_B, **fields})
        shown = result.workload["service_level"]
        assert (shown.value, shown.how) == (level, "inferred") and shown.reason, fields


def test_rented_and_running_hardware_pay_less_setup(kb: KnowledgeBase) -> None:
    base = {"requests_per_day": 20_000, "model": "llama3.1:8b", "ops_staff": 1, "hardware": "L40S"}
    result = answer(kb, **base, data_policy="own-cloud")
    rented = next(o for o in result.options if o.kind == "rent")
    bought = next(o for o in result.options if o.kind == "buy")
    assert rented.labour_hours_per_month < bought.labour_hours_per_month
    buying = answer(kb, **base, **ON_PREMISES)
    running = answer(kb, **base, **ON_PREMISES, owned=[{"hardware": "L40S", "count": 4}])
    assert buying.local and running.local and running.local.owned_devices == running.local.count
    setup = buying.local.breakdown.setup_labour_usd
    assert running.local.breakdown.setup_labour_usd == pytest.approx(
        setup * kb.defaults.rented_setup_share.value, abs=0.01
    )


def test_more_hosts_and_sites_take_more_hours(kb: KnowledgeBase) -> None:
    one = answer(kb, **SEVENTY_B, availability=0.99)
    spare = answer(kb, **SEVENTY_B, availability=0.999)
    assert one.local and spare.local and spare.local.hosts > one.local.hosts
    assert spare.local.breakdown.ops_labour_usd > one.local.breakdown.ops_labour_usd


def test_nobody_running_servers_still_doubles_the_work_but_not_the_on_call_pay(kb: KnowledgeBase) -> None:
    staffed = answer(kb, **{**SEVENTY_B, "ops_staff": 3}, on_call=True)
    unstaffed = answer(kb, **{**SEVENTY_B, "ops_staff": 0}, service_hours="office")
    office = answer(kb, **{**SEVENTY_B, "ops_staff": 3}, service_hours="office")
    assert unstaffed.local and office.local and staffed.local
    assert unstaffed.local.breakdown.ops_labour_usd == pytest.approx(2 * office.local.breakdown.ops_labour_usd)
    assert staffed.local.breakdown.on_call_usd == pytest.approx(183 * 100)
    assert "no-ops-staff" in {f.rule for f in unstaffed.findings}


@pytest.mark.parametrize(
    "need",
    [
        {"service_hours": "24/7"},
        {"on_call": True},
        {"customer_facing": True, "service_hours": "24/7"},
        {"availability": 0.9999},
    ],
)
def test_round_the_clock_with_nobody_to_run_servers_rules_self_hosting_out(kb: KnowledgeBase, need: dict) -> None:
    result = answer(kb, requests_per_day=3_000, model="llama3.1:8b", ops_staff=0, **need)
    first = result.findings[0]
    assert first.rule == "round-the-clock" and first.decisive and "$18,300" in first.summary
    assert result.verdict == "cloud"
    for option in self_hosted(result):
        assert option.ruled_out_by is not None and option.ruled_out_by.rule == "round-the-clock"


def test_a_team_too_small_for_a_rotation_is_told_so(kb: KnowledgeBase) -> None:
    small = answer(kb, **{**SEVENTY_B, "ops_staff": 2}, service_hours="24/7")
    large = answer(kb, **{**SEVENTY_B, "ops_staff": 8}, service_hours="24/7")
    on_call = next(f for f in small.findings if f.rule == "on-call")
    assert "fewer run servers here than the 6 a rotation needs" in on_call.summary
    assert "rotation needs" not in next(f for f in large.findings if f.rule == "on-call").summary


# --- Time to the first token, and to the whole answer -------------------------


def test_first_token_and_whole_answer_are_separate_needs(kb: KnowledgeBase) -> None:
    base = {"requests_per_day": 2_000, "model": "llama3.1:70b", "offline": True}
    first = answer(kb, **base, first_token_s=0.5)
    assert first.verdict == "local" and first.local and first.local.speeds.time_to_first_token_s <= 0.5
    whole = answer(kb, **base, latency_s=0.5)
    assert whole.local is None and "whole answer takes" in (whole.local_unavailable or "")
    roomy = answer(kb, **base, latency_s=30)
    assert roomy.verdict == "local"


def test_an_api_slower_to_its_first_token_is_ruled_out_and_an_unmeasured_one_flagged(kb: KnowledgeBase) -> None:
    result = answer(kb, requests_per_day=5_000, api_model="gpt-4o", first_token_s=0.5, data_policy="may-leave")
    named = result.named_api
    assert named is not None and named.ruled_out_by is not None and named.ruled_out_by.rule == "first-token"
    assert "0.76 s" in named.ruled_out_by.reason
    finding = next(f for f in result.findings if f.rule == "first-token")
    assert "unknown" in finding.summary and "measure it" in finding.summary
    relaxed = answer(kb, requests_per_day=5_000, api_model="gpt-4o", first_token_s=2, data_policy="may-leave")
    assert relaxed.named_api is not None and relaxed.named_api.ruled_out_by is None


def test_a_reasoning_model_has_no_known_first_token(kb: KnowledgeBase) -> None:
    result = answer(kb, requests_per_day=5_000, api_model="gpt-6-luna", first_token_s=0.5, data_policy="may-leave")
    assert result.named_api is not None and result.named_api.ruled_out_by is None  # unknown, not ruled out


# --- Through the real surfaces -------------------------------------------------


def ask_json(cli: CliRun, fields: dict[str, Any]) -> dict[str, Any]:
    path = Path("workload.yaml")
    path.write_text(yaml.safe_dump(fields))
    result = cli("ask", "--workload", str(path), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_options_carry_hosts_sites_devices_and_labour(cli: CliRun) -> None:
    found = ask_json(cli, {**SEVENTY_B, "availability": 0.9999, "ops_staff": 6})
    own = [o for o in found["options"] if o["kind"] in ("buy", "owned", "rent")]
    assert own
    for option in own:
        assert option["hosts"] >= 2 and option["sites"] == 2 and option["devices"] >= option["hosts"]
        assert option["labour_hours_per_month"] > 183
    for option in (o for o in found["options"] if o["kind"] == "api"):
        assert option["hosts"] is None and option["labour_hours_per_month"] is None
    local = found["local"]
    assert local["sites"] == 2 and local["redundancy_usd"] > 0 and local["breakdown"]["on_call_usd"] == 18_300


def test_the_answer_says_what_the_spare_and_the_on_call_cost(cli: CliRun) -> None:
    path = Path("workload.yaml")
    path.write_text(yaml.safe_dump({**SEVENTY_B, "availability": 0.999, "on_call": True}))
    text = cli("ask", "--workload", str(path)).output
    service = next(line for line in text.splitlines() if line.startswith("Service:"))
    assert "round the clock with someone on call" in service
    assert "1 spare host $" in service and "on-call pay $18,300 a month" in service
    assert "engineer-hours a month" in service


def test_the_slack_card_shows_hosts_sites_and_the_on_call_compactly(kb: KnowledgeBase) -> None:
    result = answer(kb, **{**SEVENTY_B, "ops_staff": 6}, availability=0.9999)
    text = json.dumps(card(result, "01HX", buttons=False))
    assert "2 hosts at 2 sites" in text and "on-call pay $18,300" in text


# --- The knowledge behind it ---------------------------------------------------


def test_a_host_that_takes_unknown_hardware_or_a_device_no_host_takes_is_named(
    cli: CliRun, knowledge_copy: Path
) -> None:
    hosts = knowledge_copy / "hosts.yaml"
    hosts.write_text(hosts.read_text().replace("    - rtx-4090\n", "    - rtx-4099\n"))
    result = cli("knowledge", "check", env={"LOCALCHECK_KNOWLEDGE_DIR": str(knowledge_copy)})
    assert result.exit_code == 1
    assert (
        "hosts.yaml" in result.output
        and "entry 'workstation', field 'takes': unknown hardware 'rtx-4099'" in result.output
    )
    assert "entry 'rtx-4090': no host in hosts.yaml takes this device" in result.output


def test_every_first_token_figure_names_its_model_and_page(kb: KnowledgeBase) -> None:
    measured = {p.id: p.first_token for p in kb.providers.values() if p.first_token}
    assert {"openai", "anthropic", "google"} <= measured.keys()
    for figure in measured.values():
        assert figure is not None and figure.model and "(" in figure.source and 0 < figure.seconds < 10
