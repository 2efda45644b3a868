"""How soon an API starts answering, against the time to the first token a team asked for.

A provider's typical time to the first streamed token is in `knowledge/providers.yaml`, as
one page measured it on one of its models. Reasoning models think before their first visible
token, so no provider figure speaks for them; neither does anything for a provider no page
measured. Unknown is said as unknown: such an API is flagged, never ruled out.
"""

from __future__ import annotations

from typing import Protocol

from bot.assessment import RuledOut
from bot.knowledge.schema.providers import FirstToken, Provider


class Offer(Protocol):
    @property
    def provider(self) -> Provider: ...
    @property
    def reasoning(self) -> bool: ...


class Asked(Protocol):
    @property
    def first_token_s(self) -> float | None: ...
    @property
    def batch(self) -> bool: ...


def typical_first_token(offer: Offer) -> FirstToken | None:
    """What the provider typically takes to the first token, when a page says and it applies."""
    return None if offer.reasoning else offer.provider.first_token


def slow_first_token(asked: Asked, offer: Offer) -> RuledOut | None:
    """Why an API cannot start answering as soon as asked, or None (also when nobody knows)."""
    wanted = asked.first_token_s
    typical = typical_first_token(offer)
    if wanted is None or asked.batch or typical is None or typical.seconds <= wanted:
        return None
    return RuledOut(
        rule="first-token",
        arguments=["latency-and-offline"],
        reason=f"{offer.provider.name} typically takes {typical.seconds:g} s to the first token "
        f"({typical.model}), more than the {wanted:g} s asked for",
    )


def unknown_why(offer: Offer) -> str:
    if offer.reasoning:
        return "it reasons before its first visible token"
    return f"no page we know measured {offer.provider.name}"
