"""Cloud API prices, from genai-prices' offline snapshot (imported only when needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib.metadata import version
from typing import Protocol, TypeVar

from bot.knowledge.schema.models import ApiModelRef

# Prices that change over time are read as of a fixed instant per process, so one
# answer never mixes two price lists.
_PRICED_AT = datetime.now(tz=UTC)


def pricing_date() -> date:
    """The day prices are read as of: also the day against which a model counts as shut down."""
    return _PRICED_AT.date()


@cache
def price_data_version() -> str:
    """Which genai-prices snapshot the prices come from, and when a fetched one was fetched, for the record."""
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    if snapshot.from_auto_update:
        fetched = snapshot.timestamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"genai-prices' newest list, fetched {fetched}"
    return f"genai-prices {version('genai-prices')}"


class PricesNotRefreshed(RuntimeError):
    """The newest price list could not be fetched; the prices in use stay as they were."""


def refresh_prices(url: str | None = None, timeout_s: float = 10.0) -> str:
    """Fetch genai-prices' newest price list and price with it from now on; returns where it came from and when.

    Opt-in (it needs the network): the bundled snapshot is what answers use otherwise.
    """
    import httpx2
    from genai_prices import UpdatePrices, data_snapshot
    from genai_prices.update_prices import DEFAULT_UPDATE_URL

    source = url or DEFAULT_UPDATE_URL
    try:
        snapshot = UpdatePrices(url=source, request_timeout=httpx2.Timeout(timeout_s)).fetch()
    except (httpx2.HTTPError, OSError, ValueError, TypeError, KeyError) as error:
        raise PricesNotRefreshed(f"could not fetch the newest prices from {source}: {error}") from error
    data_snapshot.set_custom_snapshot(snapshot)
    _forget_prices()
    return f"{price_data_version()} from {source}"


class _Cache(Protocol):
    def cache_clear(self) -> None: ...


CacheT = TypeVar("CacheT", bound=_Cache)
# Caches above this module (the checker's offers) worked out from the price list; they
# register here, so the price list need not know who reads it.
_WORKED_OUT_FROM_PRICES: list[_Cache] = []


def worked_out_from_prices(cached: CacheT) -> CacheT:
    """Mark a cache as worked out from the price list: a refreshed list drops it too."""
    _WORKED_OUT_FROM_PRICES.append(cached)
    return cached


def _forget_prices() -> None:
    """Drop every price worked out from the previous list, so no answer mixes two."""
    for cached in (price_data_version, request_cost_usd, unpriced_reason, *_WORKED_OUT_FROM_PRICES):
        cached.cache_clear()


@lru_cache(maxsize=16_384)
def request_cost_usd(api: ApiModelRef, input_tokens: int, output_tokens: int, cached_tokens: int = 0) -> float:
    """What one request of this size costs, with the provider's tiered prices applied.

    `cached_tokens` of the input are billed at the cached rate. Raises `LookupError` when
    genai-prices does not know the model. Cached: the price list is fixed for the process
    and the checker asks the same question often.
    """
    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens, cache_read_tokens=cached_tokens or None)
    result = calc_price(usage, api.model, provider_id=api.provider, genai_request_timestamp=_PRICED_AT)
    return float(result.total_price)


@cache
def unpriced_reason(api: ApiModelRef) -> str | None:
    """None when genai-prices can price this model; otherwise why not."""
    try:
        request_cost_usd(api, 1_000, 1_000)
    except LookupError as error:
        return str(error)
    return None


@dataclass(frozen=True)
class ApiPrice:
    """An API model's base price per million tokens (small requests; tiers may raise it)."""

    provider: str
    model: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float


def find_api_prices(search: str) -> list[ApiPrice]:
    """API models whose provider or model id contains `search`, with their base prices."""
    from genai_prices import data_snapshot

    needle = search.casefold()
    found = []
    for provider in data_snapshot.get_snapshot().providers:
        for model in provider.models:
            if needle not in f"{provider.id}/{model.id}".casefold():
                continue
            api = ApiModelRef(provider=provider.id, model=model.id)
            try:
                # Per token at a small request size, so long-context tiers do not apply.
                per_input = request_cost_usd(api, 1_000, 0) * 1_000
                per_output = request_cost_usd(api, 0, 1_000) * 1_000
            except (LookupError, ValueError, TypeError):
                continue  # not priced per token (images, audio, embeddings by the request)
            found.append(ApiPrice(provider.id, model.id, per_input, per_output))
    return found
