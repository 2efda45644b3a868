"""The checker's answer: a verdict with the numbers and the cited findings behind it.

This is what the writer explains, the CLI prints, Slack shows and the decision
log stores; it holds facts only, never prose from a model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Verdict = Literal["local", "rent", "cloud", "hybrid", "need-more-info"]
"""local: hardware bought or already owned; rent: GPUs rented by the hour and self-hosted;
cloud: a hosted API; hybrid: a combination."""
Side = Literal["local", "rent", "cloud", "hybrid", "neutral"]
OptionKind = Literal["buy", "owned", "rent", "api", "hybrid"]
Where = Literal["premises", "own-cloud", "provider"]
"""Where an option processes the data: on the team's premises, in its own cloud account, or at a provider."""


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class Finding(Record):
    rule: str
    favours: Side
    arguments: list[str]
    """Ids in knowledge/arguments.yaml this finding rests on."""
    summary: str
    numbers: dict[str, float | int | str] = {}
    decisive: bool = False
    """A constraint that rules an option out, whatever it costs."""


class WorkloadField(Record):
    value: Any
    how: Literal["stated", "assumed", "inferred"]
    span: str | None = None
    reason: str | None = None


class LocalBreakdown(Record):
    """A month of self-hosting by part, as shown: the parts of the checker's `LocalCost` (which the
    sizing search builds by the hundred, so it is a plain slotted class), rounded to cents."""

    hardware_usd: float
    rental_usd: float
    power_usd: float
    setup_labour_usd: float
    ops_labour_usd: float
    on_call_usd: float = 0.0
    """On-call pay for a round-the-clock service."""


SpeedSource = Literal["estimated", "measured"]
"""Where a speed came from: the speed model, or `localcheck calibrate` timing the team's own hardware."""


class Speeds(Record):
    decode_tokens_per_s: float
    aggregate_tokens_per_s: float
    prefill_tokens_per_s: float
    time_to_first_token_s: float
    concurrency: int
    requests_per_s: float
    """Requests one replica completes per second."""
    source: SpeedSource = "estimated"
    tensor_parallel: int = 1


class LocalOption(Record):
    hardware: str
    hardware_name: str
    count: int
    """All devices, spares included."""
    devices_per_replica: int
    replicas: int
    """Copies of the model serving, at every site."""
    spare: int
    """Spare hosts, idle until one fails."""
    hosts: int = 1
    """Machines, spares and every site included (rented instances too)."""
    host: str | None = None
    """The kind of host bought, by its id in hosts.yaml (none when rented)."""
    sites: int = 1
    availability: float | None = None
    """The uptime this layout gives, when one was asked for or implied."""
    redundancy_usd: float = 0.0
    """What the spare hosts and the second site add a month."""
    service_level: str | None = None
    labour_hours_per_month: float = 0.0
    owned_devices: int
    rented: bool
    rental: str | None = None
    """The rental price used, by its id in rentals.yaml, when the devices are rented."""
    model: str
    model_name: str
    quant: str
    """The weight format served (a vLLM-style engine serves FP8 or 16-bit weights)."""
    engine: str | None = None
    """The serving stack: llama.cpp (Ollama) or vllm (a vLLM-style engine)."""
    monthly_usd: float
    capex_usd: float
    breakdown: LocalBreakdown
    speeds: Speeds
    utilisation: float
    memory_gb: float
    available_gb: float


class CloudOption(Record):
    api_model: str
    provider: str
    model: str
    monthly_usd: float
    """Everything by API, the frontier share included."""
    per_request_usd: float
    tokens_per_month: float
    priced_with: list[str] = []
    """The price levers applied: the batch API's discount, cached prompt tokens, hidden reasoning tokens."""
    frontier_api_model: str | None = None
    frontier_share: float | None = None
    frontier_monthly_usd: float | None = None


class HybridOption(Record):
    monthly_usd: float
    local_monthly_usd: float
    cloud_monthly_usd: float
    local_share: float
    """Share of all requests served locally; the API takes the rest (peaks, outages, frontier share)."""
    hardware: str
    count: int


class RuledOut(Record):
    """Why an option does not meet the team's needs: the rule, the arguments it rests on, in words."""

    rule: str
    arguments: list[str]
    reason: str


class ServingOption(Record):
    """One way to serve the workload, priced, with where the data goes and whether it qualifies."""

    kind: OptionKind
    label: str
    where: Where
    meets_needs: bool
    ruled_out_by: RuledOut | None = None
    monthly_usd: float | None
    """None for a one-off job, which is priced whole in `job_usd`."""
    job_usd: float | None = None
    provider: str | None = None
    api_model: str | None = None
    """provider/model as genai-prices names it."""
    hardware: str | None = None
    devices: int | None = None
    hosts: int | None = None
    sites: int | None = None
    labour_hours_per_month: float | None = None
    billing: str | None = None
    """How it is paid: on-demand, reserved or serverless rent; an API's batch price; a fine-tune's."""
    engine: str | None = None
    """For self-hosted kinds: the serving stack, llama.cpp (Ollama) or vllm (a vLLM-style engine)."""

    @property
    def verdict(self) -> str:
        return {"buy": "local", "owned": "local", "rent": "rent", "api": "cloud", "hybrid": "hybrid"}[self.kind]

    @property
    def cost_usd(self) -> float:
        """What it costs in the unit the answer compares: a month, or the whole of a one-off job."""
        return self.job_usd if self.job_usd is not None else self.monthly_usd or 0.0


class Flip(Record):
    what: str
    value: float
    text: str


class Sensitivity(Record):
    """How far one assumption may move before the verdict turns (`bot.check.sensitivity`)."""

    what: str
    """volume, engineer_cost, electricity, hardware_price, hardware_life, utilisation or api_price."""
    label: str
    today: float
    holds_from: float
    holds_to: float
    """The values tried between which the verdict held (the search's bounds where it never turned)."""
    text: str
    below: Flip | None = None
    above: Flip | None = None
    """Where it turns below and above today's value, with what it turns to."""


class ShownIn(Record):
    """The currency an answer's amounts are shown in, at a dated rate from knowledge/currencies.yaml.

    Amounts in an assessment's number fields stay in US dollars (the log keeps them so); an
    assessment carrying this one is a copy for reading, whose sentences give their amounts in it."""

    code: str
    symbol: str
    spellings: list[str]
    usd_per_unit: float
    source: str
    as_of: str


class Assessment(Record):
    verdict: Verdict
    leaning: Literal["local", "rent", "cloud", "hybrid"] | None = None
    """With need-more-info: the answer under the assumptions made."""
    confidence: float
    question: str | None = None
    """The one fact that would settle the answer, asked plainly (the first of `questions`)."""
    questions: list[str] = []
    """Every question the answer asks, at most two, most telling first: what would settle it."""
    workload: dict[str, WorkloadField]
    local: LocalOption | None
    local_unavailable: str | None = None
    cloud: CloudOption
    hybrid: HybridOption | None = None
    options: list[ServingOption] = []
    """Every way to serve it that was priced: the best of each kind, cheapest first, and the
    cheapest of those ruled out, with why."""
    chosen: str | None = None
    """The label of the option the verdict picks (none when it needs more information)."""
    named_api: ServingOption | None = None
    """The API the team named, priced beside the cheapest that does the same job."""
    break_even_tokens_per_day: float | None = None
    payback_months: float | None = None
    flips_if: list[Flip] = []
    sensitivity: list[Sensitivity] = []
    """What the verdict hinges on, narrowest first; computed for answers people read, not by `assess`."""
    findings: list[Finding]
    notes: list[str] = []
    """About how the question was read: text left unread, values set aside."""
    knowledge_version: str
    prices: str
    shown_in: ShownIn | None = None
    """For reading in a team's own currency (see `bot.currency.localised`); none: US dollars."""

    @property
    def confidence_label(self) -> str:
        return "high" if self.confidence >= 0.75 else "medium" if self.confidence >= 0.5 else "low"

    @property
    def cited_arguments(self) -> list[str]:
        """Every argument id the findings cite, in order of first citation."""
        return list(dict.fromkeys(a for finding in self.findings for a in finding.arguments))
