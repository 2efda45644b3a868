"""hardware.yaml, hosts.yaml and rentals.yaml: devices, the machines they go in, and the prices to rent them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.knowledge.schema.base import LARGEST_FIGURE, Count, KebabId, Listed, Named, Positive, ProviderId, Text

BYTES_PER_GIB = 2**30
Venue = Literal["own-cloud", "gpu-cloud"]
"""Where a rented GPU runs: a hyperscaler instance in the team's own cloud account, or a GPU cloud's."""
Billing = Literal["on-demand", "reserved", "serverless"]


class Hardware(Named):
    """A device (or complete machine) a team may buy or rent for inference."""

    id: KebabId
    name: Text
    aliases: list[Text] = Field(default_factory=list)
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
