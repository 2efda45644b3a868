"""models.yaml, api_models.yaml and quantisations.yaml: open weights, hosted APIs, their quality, weight formats."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from bot.knowledge.schema.base import Count, Entry, ModelId, Named, Positive, QuantId, Text

QualityTier = Literal["basic", "good", "strong", "near-frontier"]
"""How capable an open model is, from small helpers to the best open weights.

Frontier quality is what only the best hosted APIs reach; no open model is given
that tier, which is how the checker knows a frontier need rules local out.
"""

ApiQualityTier = Literal["basic", "good", "strong", "near-frontier", "frontier"]
"""How capable a hosted API is: an open model's tiers, and `frontier`, which only hosted APIs reach."""

QUALITY_ORDER: tuple[str, ...] = get_args(ApiQualityTier)
"""Tiers from weakest to strongest."""


class ApiModelRef(Entry):
    """A hosted API model, named as genai-prices knows it."""

    provider: Text
    model: Text


class ApiModel(Named):
    """A hosted API model: what genai-prices calls it, the names people use, how capable it is."""

    id: ModelId
    name: Text
    aliases: list[Text] = Field(default_factory=list)
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
    aliases: list[Text] = Field(default_factory=list)
    ollama_tags: list[Text] = Field(default_factory=list)
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
    measured_weights_gb: dict[QuantId, Positive] = Field(default_factory=dict)
    """Size of published weight files per quantisation, when known; it beats
    parameters x bits, since formats keep some tensors at higher precision."""
    comparable_api_models: list[ApiModelRef] = Field(min_length=1)
    hosted: list[ApiModelRef] = Field(default_factory=list)
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
