"""The checker's answer: a verdict with the numbers and the cited findings behind it.

This is what the writer explains, the CLI prints, Slack shows and the decision
log stores; it holds facts only, never prose from a model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Verdict = Literal["local", "cloud", "hybrid", "need-more-info"]
Side = Literal["local", "cloud", "hybrid", "neutral"]


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
    hardware_usd: float
    rental_usd: float
    power_usd: float
    setup_labour_usd: float
    ops_labour_usd: float


class Speeds(Record):
    decode_tokens_per_s: float
    aggregate_tokens_per_s: float
    prefill_tokens_per_s: float
    time_to_first_token_s: float
    concurrency: int
    requests_per_s: float
    """Requests one replica completes per second."""


class LocalOption(Record):
    hardware: str
    hardware_name: str
    count: int
    """All devices, spares included."""
    devices_per_replica: int
    replicas: int
    spare: int
    owned_devices: int
    rented: bool
    model: str
    model_name: str
    quant: str
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


class Flip(Record):
    what: str
    value: float
    text: str


class Assessment(Record):
    verdict: Verdict
    leaning: Literal["local", "cloud", "hybrid"] | None = None
    """With need-more-info: the answer under the assumptions made."""
    confidence: float
    question: str | None = None
    """The one fact that would settle the answer, asked plainly."""
    workload: dict[str, WorkloadField]
    local: LocalOption | None
    local_unavailable: str | None = None
    cloud: CloudOption
    hybrid: HybridOption | None = None
    break_even_tokens_per_day: float | None = None
    payback_months: float | None = None
    flips_if: list[Flip] = []
    findings: list[Finding]
    notes: list[str] = []
    """About how the question was read: text left unread, values set aside."""
    knowledge_version: str
    prices: str

    @property
    def confidence_label(self) -> str:
        return "high" if self.confidence >= 0.75 else "medium" if self.confidence >= 0.5 else "low"

    @property
    def cited_arguments(self) -> list[str]:
        """Every argument id the findings cite, in order of first citation."""
        return list(dict.fromkeys(a for finding in self.findings for a in finding.arguments))
