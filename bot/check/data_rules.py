"""Where the data may go: which options a team's data rules allow, and which rule bars the rest.

    must-stay (air-gapped, classified, "nothing may leave")  premises only
    own-cloud ("stays in our cloud account / VPC")           premises, rented instances in that account
    under-contract (a DPA, a BAA, zero data retention)       and providers that offer those terms
    in-region (GDPR, "must be processed in the UK")          and providers that keep it in the region
    may-leave                                                anywhere

An offline site is premises only whatever the data. A provider the team's own contract
already covers (`data_providers`) may take the data under any rule but the first two.
"""

from __future__ import annotations

from typing import Protocol

from bot.assessment import RuledOut, Where
from bot.knowledge.schema.providers import Provider


class DataNeeds(Protocol):
    """What the data rules read of a workload (`Inputs` has it, and so does an API request)."""

    @property
    def data_policy(self) -> str: ...
    @property
    def data_reasons(self) -> tuple[str, ...]: ...
    @property
    def data_terms(self) -> tuple[str, ...]: ...
    @property
    def data_region(self) -> str | None: ...
    @property
    def data_providers(self) -> tuple[str, ...]: ...
    @property
    def offline(self) -> bool: ...


IP_REASONS = frozenset({"ip", "source-code", "trade-secret", "confidential"})
TERMS_FOR_REASONS = (
    (frozenset({"phi", "hipaa"}), "baa"),
    (frozenset({"pii", "gdpr"}), "dpa"),
    (IP_REASONS, "no-training"),
)
"""Under contract, what each reason for care asks of a provider when the team names no terms."""
TERM_NAMES = {
    "dpa": "data processing agreement",
    "baa": "HIPAA business associate agreement",
    "zdr": "zero data retention",
    "no-training": "promise not to train on the data",
}


def required_terms(inputs: DataNeeds) -> tuple[str, ...]:
    """The terms a provider must offer to receive the data under contract."""
    if inputs.data_terms:
        return inputs.data_terms
    reasons = set(inputs.data_reasons)
    return tuple(term for covering, term in TERMS_FOR_REASONS if covering & reasons) or ("dpa",)


def region(inputs: DataNeeds) -> str | None:
    """The region the data must stay in: said, or the EU for GDPR; None when only "our region" was said."""
    if inputs.data_region:
        return inputs.data_region
    return "eu" if "gdpr" in inputs.data_reasons else None


def barred(inputs: DataNeeds, where: Where, provider: Provider | None = None) -> RuledOut | None:
    """Why the data may not be processed `where` (by `provider`), or None when it may."""
    if where == "premises":
        return None
    if inputs.offline:
        return RuledOut(
            rule="offline",
            arguments=["latency-and-offline"],
            reason="it has to work without an internet connection",
        )
    policy = inputs.data_policy
    if policy == "must-stay":
        arguments = ["data-residency-and-regulation"]
        if IP_REASONS & set(inputs.data_reasons):
            arguments.append("keep-ip-in-house")
        why = ", ".join(inputs.data_reasons) or "the team's rules"
        reason = f"the data may not leave the premises ({why})"
        return RuledOut(rule="data-must-stay", arguments=arguments, reason=reason)
    if where == "own-cloud" or policy == "may-leave":
        return None
    if policy == "own-cloud":
        return RuledOut(
            rule="data-own-cloud",
            arguments=["data-residency-and-regulation"],
            reason="the data must stay in the team's own cloud account",
        )
    if provider is not None and provider.id in inputs.data_providers:
        return None
    if policy == "under-contract":
        missing = [term for term in required_terms(inputs) if provider is None or not provider.offers(term)]
        if not missing:
            return None
        return RuledOut(
            rule="data-contract",
            arguments=["data-residency-and-regulation"],
            reason=f"we know of no {' or '.join(TERM_NAMES[t] for t in missing)} from {_name(provider)}",
        )
    wanted = region(inputs)
    if provider is not None and any(
        t.term == f"region-{wanted}" if wanted else t.term.startswith("region-") for t in provider.terms
    ):
        return None
    where_to = f"the {wanted.upper()}" if wanted else "its region"
    return RuledOut(
        rule="data-in-region",
        arguments=["data-residency-and-regulation"],
        reason=f"the data must stay in {where_to}, and {_name(provider)} offers no processing there that we know of",
    )


def _name(provider: Provider | None) -> str:
    return provider.name if provider is not None else "the provider"
