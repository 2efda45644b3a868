"""Schemas for the files in `knowledge/`.

Each file is a YAML list of entries (or, for defaults, a mapping). An entry is
validated on its own, so an error names the file, the entry and the field.
Cross-references between files are checked in `bot.knowledge.checks`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.units import HOURS_PER_MONTH

KebabId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
ModelId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([.-][a-z0-9]+)*$", max_length=64)]
"""Model ids keep the version dots people write (llama-3.1-8b, qwen2.5-7b)."""
ProviderId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([_-][a-z0-9]+)*$", max_length=64)]
"""Provider ids as genai-prices spells them (huggingface_groq, x-ai), and GPU clouds alike."""
QuantId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=16)]
"""Quantisation ids keep llama.cpp's spelling in lower case (q4_k_m), as users type them."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LARGEST_FIGURE = 1e12
"""No figure in the knowledge base comes near it: a larger one is a typo, and would overflow the sums."""
Positive = Annotated[float, Field(gt=0, le=LARGEST_FIGURE)]
Count = Annotated[int, Field(gt=0, le=LARGEST_FIGURE)]

Stance = Literal["local", "cloud", "depends"]
"""Which side an argument favours: running locally, a cloud API, or it depends."""

QualityTier = Literal["basic", "good", "strong", "near-frontier"]
"""How capable an open model is, from small helpers to the best open weights.

Frontier quality is what only the best hosted APIs reach; no open model is given
that tier, which is how the checker knows a frontier need rules local out.
"""

QUALITY_ORDER: tuple[str, ...] = ("basic", "good", "strong", "near-frontier", "frontier")
"""Tiers from weakest to strongest; `frontier` is reached only by hosted APIs."""

ApiQualityTier = Literal["basic", "good", "strong", "near-frontier", "frontier"]

BYTES_PER_GIB = 2**30

# Short phrases only: a quote is there to let a reader find the passage, not to
# reproduce the text.
MAX_QUOTE_WORDS = 20


class Entry(BaseModel):
    """Common settings: unknown fields are errors, so a typo cannot pass silently; nor can .inf or .nan."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Listed(Entry):
    """An entry of a list file, known by its id."""

    id: str


class CitedSource(Listed):
    """A text or public reference that arguments cite."""

    id: KebabId
    title: Text
    kind: Literal["text", "reference"]
    """`text`: one of the texts the project began from; `reference`: public material."""
    file: str | None = None
    """For a `text`: its file name in the shared sources folder."""
    url: str | None = None
    publisher: str | None = None

    @model_validator(mode="after")
    def _text_has_file(self) -> CitedSource:
        if self.kind == "text" and not self.file:
            raise ValueError("a source of kind 'text' needs 'file', its name in the shared sources folder")
        return self


class Citation(Entry):
    """Where an argument comes from: a source id and, optionally, a short phrase from it."""

    source: KebabId
    quote: str | None = None
    """A short phrase copied exactly from the source, so a reader can find the passage."""
    locator: str | None = None
    """Where in the source: a section heading, an article number, a speaker."""

    @model_validator(mode="after")
    def _quote_is_short(self) -> Citation:
        if self.quote is not None and len(self.quote.split()) > MAX_QUOTE_WORDS:
            raise ValueError(f"quote is longer than {MAX_QUOTE_WORDS} words; cite a short phrase")
        return self


class Figure(Entry):
    """A number an argument rests on, kept as data so answers can check and reuse it."""

    name: Text
    value: float
    unit: Text


class Argument(Listed):
    """One reason that bears on local versus cloud, stated in the project's own words."""

    id: KebabId
    title: Text
    stance: Stance
    claim: Text
    applies_when: Text
    """The situations in which the argument carries weight."""
    cited: list[Citation] = Field(min_length=1)
    figures: list[Figure] = []
    counters: list[KebabId] = []
    """Ids of arguments this one answers or weakens."""


class Named(Listed):
    """An entry people refer to by name: its id, its name, and the other ways they write it."""

    name: str
    aliases: list[Text] = []

    def spellings(self) -> list[str]:
        """Every name this entry answers to (`knowledge check` keeps them unique across entries)."""
        return [self.id, self.name, *self.aliases]


class Hardware(Named):
    """A device (or complete machine) a team may buy or rent for inference."""

    id: KebabId
    name: Text
    aliases: list[Text] = []
    kind: Literal["gpu", "unified", "cpu"]
    """`gpu`: a card or module that needs a host; `unified`: a complete machine whose
    memory is shared by CPU and GPU; `cpu`: a CPU-only server."""
    memory_gb: Positive
    """As vendors state it; memory sizes are binary, so "24 GB" is 24 GiB."""
    usable_memory_fraction: Annotated[float, Field(gt=0, le=1)]
    """Share of the memory a model may occupy (the OS keeps part of unified memory)."""
    memory_bandwidth_gbps: Positive
    fp16_tflops: Positive
    """Dense FP16 tensor throughput, without sparsity."""
    fp8: bool = False
    """Has FP8 tensor cores (Ada Lovelace, Hopper, Blackwell; AMD CDNA 3): a serving engine
    keeps the weights in FP8 and multiplies at twice the dense FP16 rate."""
    purchase_usd: Positive | None = None
    """Street or list price of the device; for `gpu` the card alone, without its host. None when
    it is only rented (rentals.yaml)."""
    datacenter_licence: bool = True
    """False for NVIDIA GeForce cards, whose driver licence forbids datacenter deployment."""
    power_load_w: Positive
    power_idle_w: Positive
    source: Text
    as_of: date
    notes: str | None = None

    @property
    def usable_gb(self) -> float:
        """Memory a model may occupy, in decimal GB like every model size here."""
        return self.memory_gb * BYTES_PER_GIB / 1e9 * self.usable_memory_fraction

    @model_validator(mode="after")
    def _plausible(self) -> Hardware:
        if self.power_idle_w > self.power_load_w:
            raise ValueError("power_idle_w is above power_load_w")
        return self


class ApiModelRef(Entry):
    """A hosted API model, named as genai-prices knows it."""

    provider: Text
    model: Text


class ApiModel(Named):
    """A hosted API model: what genai-prices calls it, the names people use, how capable it is."""

    id: ModelId
    name: Text
    aliases: list[Text] = []
    provider: Text
    model: Text
    """Provider and model as genai-prices names them."""
    quality_tier: ApiQualityTier
    reason: Text
    """Why this tier: the benchmark standing or comparison it rests on."""
    reasoning: bool = False
    """Bills hidden reasoning tokens as output (defaults.yaml's reasoning_output_multiplier)."""
    fine_tune: ApiModelRef | None = None
    """genai-prices' price for serving a fine-tune of this model, where the provider sells one."""
    retires_on: date | None = None
    """The day its provider shuts it down: from then on requests to it fail (genai-prices may
    still price it)."""
    retirement_source: Text | None = None
    """Where that date is announced."""
    as_of: date

    @model_validator(mode="after")
    def _retirement_cited(self) -> ApiModel:
        if (self.retires_on is None) != (self.retirement_source is None):
            raise ValueError("give retires_on and retirement_source together, or neither")
        return self

    def retired(self, on: date) -> bool:
        """Whether its provider has shut it down by `on`."""
        return self.retires_on is not None and self.retires_on <= on

    @property
    def ref(self) -> ApiModelRef:
        return ApiModelRef(provider=self.provider, model=self.model)

    def spellings(self) -> list[str]:
        return [*super().spellings(), self.model, f"{self.provider}/{self.model}"]


class OpenModel(Named):
    """An open-weight model a team can run itself."""

    id: ModelId
    name: Text
    aliases: list[Text] = []
    ollama_tags: list[Text] = []
    params_b: Positive
    """Total parameters in billions (for a mixture of experts, all experts)."""
    active_params_b: Positive | None = None
    """Parameters read per token, for a mixture of experts; absent for a dense model."""
    layers: Count
    kv_heads: Count
    head_dim: Count
    max_context: Count
    sliding_window: Count | None = None
    """Tokens a sliding-window attention layer keeps, for models that interleave them."""
    full_attention_layers: Count | None = None
    """With `sliding_window`: how many layers attend over the whole context."""
    quality_tier: QualityTier
    default_quant: QuantId = "q4_k_m"
    measured_weights_gb: dict[QuantId, Positive] = {}
    """Size of published weight files per quantisation, when known; it beats
    parameters x bits, since formats keep some tensors at higher precision."""
    comparable_api_models: list[ApiModelRef] = Field(min_length=1)
    hosted: list[ApiModelRef] = []
    """Providers selling these same weights by API, as genai-prices names them; they are
    rated at this model's quality tier."""
    license: Text
    source: Text
    as_of: date
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> OpenModel:
        if self.active_params_b is not None and self.active_params_b > self.params_b:
            raise ValueError("active_params_b is above params_b")
        if (self.sliding_window is None) != (self.full_attention_layers is None):
            raise ValueError("give sliding_window and full_attention_layers together, or neither")
        if self.full_attention_layers is not None and self.full_attention_layers > self.layers:
            raise ValueError("full_attention_layers is above layers")
        return self

    def spellings(self) -> list[str]:
        return [*super().spellings(), *self.ollama_tags]

    @property
    def is_moe(self) -> bool:
        return self.active_params_b is not None

    @property
    def params_read_per_token_b(self) -> float:
        return self.active_params_b if self.active_params_b is not None else self.params_b


class Quantisation(Named):
    """A weight format and how many bytes each weight takes in it."""

    id: QuantId
    name: Text
    """As llama.cpp and Ollama spell it, e.g. Q4_K_M."""
    bits_per_weight: Annotated[float, Field(gt=0, le=32)]
    """Average bits per weight including block scales, as llama.cpp reports it."""
    quality_note: Text
    source: Text

    @property
    def bytes_per_weight(self) -> float:
        return self.bits_per_weight / 8


DataTermKind = Literal["dpa", "baa", "zdr", "no-training", "region-eu", "region-us", "region-uk"]
"""What a provider offers for data the team may send only under terms: a data processing
agreement, a HIPAA business associate agreement, zero data retention, no training on API
data by default, processing kept in a region."""
ProviderKind = Literal["model-vendor", "model-host", "marketplace", "hyperscaler", "gpu-cloud"]
Venue = Literal["own-cloud", "gpu-cloud"]
"""Where a rented GPU runs: a hyperscaler instance in the team's own cloud account, or a GPU cloud's."""
Billing = Literal["on-demand", "reserved", "serverless"]


class DataTerm(Entry):
    term: DataTermKind
    detail: Text
    source: Text
    as_of: date


class FirstToken(Entry):
    """How long a provider's API typically takes to start answering, as one page measured it."""

    seconds: Positive
    model: Text
    """The model measured: other models of the provider may be faster or slower."""
    source: Text
    as_of: date


class Provider(Named):
    """Who serves an API or rents out GPUs, and the terms data may be sent under."""

    id: ProviderId
    name: Text
    aliases: list[Text] = []
    kind: ProviderKind
    terms: list[DataTerm] = []
    batch_discount: Annotated[float, Field(gt=0, lt=1)] | None = None
    """Share taken off the price for work sent through the provider's batch API."""
    batch_source: Text | None = None
    first_token: FirstToken | None = None
    """Typical time to the first streamed token of a non-reasoning model; None when no page says."""
    source: Text
    as_of: date
    notes: str | None = None

    def offers(self, term: str) -> bool:
        return any(t.term == term for t in self.terms)

    @model_validator(mode="after")
    def _batch_cited(self) -> Provider:
        if (self.batch_discount is None) != (self.batch_source is None):
            raise ValueError("give batch_discount and batch_source together, or neither")
        return self


class Rental(Listed):
    """A price for renting one GPU of a kind by the hour from one provider."""

    id: KebabId
    hardware: KebabId
    provider: ProviderId
    venue: Venue
    billing: Billing
    term_months: Positive | None = None
    """For reserved billing: the commitment."""
    usd_per_gpu_hour: Positive
    """For a multi-GPU instance, its price over its GPUs."""
    min_gpus: Count = 1
    """GPUs in the smallest instance with this GPU: rent is paid in multiples of it."""
    instance: Text | None = None
    source: Text
    as_of: date
    notes: str | None = None

    @model_validator(mode="after")
    def _term_for_reserved(self) -> Rental:
        if (self.billing == "reserved") != (self.term_months is not None):
            raise ValueError("give term_months for reserved billing, and only then")
        return self


class Currency(Listed):
    """What one unit of a currency is worth in US dollars, and how it is written."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    """The ISO 4217 code."""
    name: Text
    symbol: Text
    """Written before an amount; a symbol of letters ("CHF") is followed by a space."""
    spellings: list[Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]]
    usd_per_unit: Positive
    source: Text
    as_of: date
    notes: str | None = None


class HostClass(Listed):
    """What devices are housed in: the machine around the cards, its price and power, what it takes."""

    id: KebabId
    name: Text
    takes: list[KebabId] = Field(min_length=1)
    """Hardware ids this host holds; a device is only proposed in a host that takes it."""
    devices_max: Count
    whole: bool = False
    """Sold only with every slot filled (an HGX system's eight modules)."""
    price_usd: Annotated[float, Field(ge=0, le=LARGEST_FIGURE)]
    """What the host adds to its devices' own price."""
    power_w: Annotated[float, Field(ge=0, le=LARGEST_FIGURE)]
    """What the host draws beside its devices, at load."""
    source: Text
    as_of: date
    notes: str | None = None


class Default(Entry):
    """One assumption used when a team has not said otherwise."""

    value: Annotated[float, Field(le=LARGEST_FIGURE)]
    unit: Text
    reason: Text


class QualityDefault(Entry):
    value: ApiQualityTier
    reason: Text


class Defaults(Entry):
    """The assumptions behind every answer. Each one carries its reason."""

    electricity_usd_per_kwh: Default
    pue: Default
    engineer_hourly_usd: Default
    setup_hours: Default
    setup_hours_business_hours: Default
    setup_hours_round_the_clock: Default
    rented_setup_share: Default
    ops_hours_per_month: Default
    ops_hours_business_hours: Default
    ops_hours_round_the_clock: Default
    on_call_hours_per_month: Default
    on_call_response_minutes: Default
    on_call_rotation_people: Default
    setup_hours_per_extra_site: Default
    ops_hours_per_extra_site: Default
    host_availability: Default
    site_availability: Default
    implied_availability: Default
    amortisation_months: Default
    hours_per_month: Default
    runtime_overhead_gb: Default
    split_penalty_per_device: Default
    requests_per_day: Default
    input_tokens: Default
    output_tokens: Default
    peak_to_average: Default
    interactive_tokens_per_s: Default
    interactive_first_token_s: Default
    no_ops_staff_factor: Default
    low_utilisation: Default
    cost_tie_margin: Default
    ops_hours_per_extra_server: Default
    rate_limit_tokens_per_minute: Default
    labour_share_high: Default
    bursty_peak_to_average: Default
    tiny_api_bill_usd: Default
    contender_cost_ratio: Default
    engineer_hours_per_year: Default
    reasoning_output_multiplier: Default
    quality_tier: QualityDefault

    @model_validator(mode="after")
    def _in_range(self) -> Defaults:
        for name, default in self:
            if isinstance(default, Default) and default.value < 0:
                raise ValueError(f"{name}: a default may not be negative")
            if name in _MORE_THAN_ZERO and isinstance(default, Default) and default.value == 0:
                raise ValueError(f"{name}: must be more than 0 (answers count in it or divide by it)")
        if self.pue.value < 1:
            raise ValueError("pue: power usage effectiveness is 1.0 or more")
        if self.hours_per_month.value != HOURS_PER_MONTH:  # volumes are read "a month" in this length too
            raise ValueError(f"hours_per_month: a month is {HOURS_PER_MONTH:g} hours, a twelfth of a 365-day year")
        for name in _FRACTIONS:
            if not 0 < getattr(self, name).value < 1:
                raise ValueError(f"{name}: a fraction between 0 and 1")
        return self


_FRACTIONS = ("host_availability", "site_availability", "implied_availability", "rented_setup_share")
"""Defaults that are shares or uptimes: 0 and 1 are never meant (an answer divides by their complement)."""


_MORE_THAN_ZERO = frozenset(
    {
        "amortisation_months",
        "hours_per_month",
        "on_call_response_minutes",
        "on_call_rotation_people",
        "requests_per_day",
        "input_tokens",
        "output_tokens",
        "peak_to_average",
        "interactive_tokens_per_s",
        "interactive_first_token_s",
        "no_ops_staff_factor",
        "engineer_hours_per_year",
        "reasoning_output_multiplier",
    }
)
"""Defaults that are counts, rates or divisors: zero is never meant."""

_IGNORED_IN_NAMES = str.maketrans("", "", " \t\n\r\f\v\u00a0_.-")


def normalise_name(name: str) -> str:
    """The form names are compared in: case, spaces, dashes, dots and underscores ignored."""
    return name.casefold().translate(_IGNORED_IN_NAMES)


Engine = Literal["llama.cpp", "vllm"]
"""A serving stack. `llama.cpp`: llama.cpp and Ollama, on desktops, Macs and APUs (layers
split across devices, a few parallel slots). `vllm`: a continuous-batching engine for
workstation and datacenter GPUs (vLLM, SGLang, TensorRT-LLM, NIM): tensor parallelism
within a host, FP8 weights where the hardware has them."""


class CalibrationPoint(Listed):
    """A published speed measurement the speed model is fitted to or tested on."""

    id: KebabId
    hardware: KebabId
    model: ModelId
    quant: QuantId
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    """How many devices the model was split across (layers for llama.cpp, tensor parallel for vllm)."""
    engine: Engine = "llama.cpp"
    fits: bool = True
    """False records a published out-of-memory: the model did not load."""
    decode_tokens_per_s: Positive | None = None
    """Single-stream generation speed (llama-bench tg128)."""
    prefill_tokens_per_s: Positive | None = None
    """Prompt processing speed (llama-bench pp512)."""
    concurrency: Annotated[int, Field(ge=1, le=100_000)] = 1
    """Requests served at once (a batch size, a benchmark's concurrency or parallel sequences)."""
    input_tokens: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    output_tokens: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    """The size of each request in a batched or first-token measurement."""
    aggregate_tokens_per_s: Positive | None = None
    """Output tokens per second across all `concurrency` requests."""
    includes_prefill: bool = True
    """False when `aggregate_tokens_per_s` times generation only (llama-batched-bench S_TG),
    with `input_tokens` already in each sequence's cache."""
    time_to_first_token_ms: Positive | None = None
    """Time to the first token of an `input_tokens` prompt, at `concurrency` 1."""
    inter_token_latency_ms: Positive | None = None
    """Time between tokens of one stream; at `concurrency` 1 it is single-stream decode."""
    backend: Text
    held_out: bool = False
    """Held out of the fit, to test the model's error on points it never saw."""
    source: Text
    as_of: date
    notes: str | None = None

    @model_validator(mode="after")
    def _measured_if_it_ran(self) -> CalibrationPoint:
        speeds = (
            self.decode_tokens_per_s,
            self.prefill_tokens_per_s,
            self.aggregate_tokens_per_s,
            self.time_to_first_token_ms,
            self.inter_token_latency_ms,
        )
        if self.fits and not any(speeds):
            raise ValueError("a point that ran needs a speed")
        if not self.fits and any(speeds):
            raise ValueError("an out-of-memory point has no speeds")
        if (self.aggregate_tokens_per_s or self.time_to_first_token_ms) and self.input_tokens is None:
            raise ValueError("a batched or first-token measurement needs input_tokens")
        if self.aggregate_tokens_per_s and self.output_tokens is None:
            raise ValueError("a batched measurement needs output_tokens")
        return self

    @property
    def single_stream_tokens_per_s(self) -> float | None:
        """Single-stream decode, as llama-bench gives it or from one stream's inter-token latency."""
        if self.decode_tokens_per_s:
            return self.decode_tokens_per_s
        if self.inter_token_latency_ms and self.concurrency == 1:
            return 1000 / self.inter_token_latency_ms
        return None
