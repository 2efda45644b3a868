"""Where the data may go, as teams say it.

    "air-gapped", "nothing may leave our network", PHI, PII, ITAR, PCI   must-stay
    "stays in our AWS account", "inside our VPC"                        own-cloud
    "a BAA with AWS", "our DPA with Anthropic covers it", "zero retention"  under-contract
    "GDPR", "must be processed in the UK"                               in-region
    "public data", "nothing confidential", "source code is fine to send"  may-leave

A contract or a cloud account said outright outranks the care a kind of data would call for
on its own: "patient notes, but we have a BAA with AWS" may go to a provider with a BAA. A kind
of data said not to be there ("no customer data") or allowed out ("source code is fine to send")
is no reason for care. Data said to be public and personal at once is read the careful way, and
the answer asks which it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.knowledge.loader import KnowledgeBase
from bot.parse.facts import Fact
from bot.parse.names import mentions
from bot.parse.text import says_any

_REASONS = (
    (
        r"\bpii\b|personally\s+identifiable|personal\s+(?:data|info(?:rmation)?|details)|customer\s+data|"
        r"data\s+is\s+(?:very\s+)?personal|(?:very|highly)\s+personal|names,?\s+(?:and\s+|\+\s*)?(?:addresses|e-?mails|phone)|"
        r"(?:customer|employee|user|patient)\s+names|\bferpa\b|student\s+records|\bhr\s+(?:files|records|data)|"
        r"employee\s+records",
        "pii",
    ),
    (
        r"\bphi\b|patient|medical\s+(?:records?|info(?:rmation)?|data|histor(?:y|ies)|notes)|health\s+(?:data|records?)|"
        r"clinical|patientendaten|donn[ée]es\s+m[ée]dicales",
        "phi",
    ),
    (r"\bhipaa\b", "hipaa"),
    (r"\bitar\b|export[- ]controll?ed|export\s+control", "export-control"),
    (r"\bpci(?:[- ]dss)?\b|cardholder|card\s+numbers|credit\s+card\s+(?:data|numbers)", "pci"),
    (r"attorney[- ]client|\bprivileged\b|legal\s+privilege", "privileged"),
    (r"\bcui\b|controlled\s+unclassified", "cui"),
    (r"\bclassified\b|(?<!trade )(?<!trade-)\b(?:top\s+)?secret\b(?!s)", "classified"),
    (r"source[- ]code|our\s+code(?:base)?\s+(?:can'?t|cannot|must\s+not|may\s+not)", "source-code"),
    (r"intellectual\s+property|\bip\b|trade\s+secrets?|proprietary", "ip"),
    (r"\bconfidential\b", "confidential"),
)
_REASON_CUES = {
    "pii": ("pii", "personal", "customer", "names", "ferpa", "student", "hr ", "employee"),
    "phi": ("phi", "patient", "medical", "health", "clinical", "donn"),
    "hipaa": ("hipaa",),
    "export-control": ("itar", "export"),
    "pci": ("pci", "cardholder", "card"),
    "privileged": ("attorney", "privilege"),
    "cui": ("cui", "controlled"),
    "classified": ("classified", "secret"),
    "source-code": ("source", "code"),
    "ip": ("intellectual", "ip", "secret", "proprietary"),
    "confidential": ("confidential",),
}
"""Words each kind of data is said with: its pattern is searched for only where one of them is."""
_REASON_PATTERNS = tuple((re.compile(pattern), tag, _REASON_CUES[tag]) for pattern, tag in _REASONS)
_SOFT_REASONS = ("ip", "confidential", "source-code")
_NEGATED = re.compile(r"\b(?:no|not|nothing|none|never|zero|without|isn'?t|aren'?t|non)\b(?:\s+\S+){0,3}?[\s-]*$")
_ALLOWED_OUT = re.compile(
    r"[^.;\n]{0,30}?(?:(?:is|are)\s+(?:fine|ok|okay|allowed|cleared)\s+to\s+(?:send|share|leave|go|use)|"
    r"(?:can|may)\s+(?:be\s+sent|leave|go\s+out|be\s+shared)|policy\s+allows)",
)
_DENIED = re.compile(r"\b(?:nothing|none|no|not|never|nobody|no\s+one|neither|nor)\b|n't\b")
"""Words that turn "may leave" round: "customer PII, so nothing may leave"."""
_CANNOT_LEAVE = re.compile(
    r"(?:nothing|none\s+of\s+it|no\s+data)\s+(?:may|can|is\s+allowed\s+to|should|must)\s+(?:ever\s+)?leave|"
    r"(?:can'?t|cannot|can\s+not|must\s+not|mustn'?t|may\s+not|never|not\s+allowed\s+to|shouldn'?t|won'?t)\s+"
    r"(?:be\s+)?(?:leave|go(?!\s+(?:down|offline|wrong|live|up))|be\s+sent|sent|go\s+out|leave\s+our|be\s+shared|send)|"
    r"no\s+third[- ]part(?:y|ies)|(?:won'?t|don'?t|doesn'?t|not)\s+(?:allow|permit|let)\s+(?:any\s+)?third[- ]part|"
    r"stays?\s+(?:on[- ]prem|in[- ]house|inside|on\s+our\s+network)|air[- ]?gapped|"
    r"(?:no|never|not)\b[^.;\n]{0,30}outside\s+(?:our|the)\s+(?:walls|network|building|premises|firewall|dc|"
    r"data\s*cent(?:er|re))|darf\s+nichts\s+raus|d[üu]rfen\s+nicht\s+raus|ne\s+(?:doit|peut)\s+pas\s+sortir|"
    r"no\s+puede\s+salir",
)
_OWN_CLOUD = re.compile(
    r"(?:our|its|their)\s+own\s+(?:cloud|aws|gcp|azure)(?:\s+(?:account|tenancy|tenant|subscription|project))?"
    r"|(?:our|its|their)\s+vpc\b"
    r"|(?:in|inside|within)\s+our\s+(?:aws|gcp|azure|google\s+cloud|cloud)\s+"
    r"(?:account|tenancy|tenant|subscription|project|environment)",
)
_TERMS = (
    ("baa", re.compile(r"baa(?<=\bbaa)s?\b|business\s+associate\s+(?:agreement|addendum)")),
    ("dpa", re.compile(r"dpa(?<=\bdpa)s?\b|data\s+processing\s+(?:agreement|addendum)")),
    ("zdr", re.compile(r"zero[- ](?:data[- ])?retention|zdr(?<=\bzdr)\b")),
)
_GDPR = re.compile(r"(?:gdpr|dsgvo|rgpd)\b")
_REGION_WORDS = (
    ("eu", r"eu|eea|europe|european\s+union|germany|france|deutschland|der\s+eu|europa"),
    ("uk", r"uk|britain|united\s+kingdom|england"),
    ("us", r"us|usa|united\s+states"),
)
_REGION_NAMES = "|".join(words for _, words in _REGION_WORDS)
_RESIDENCY = re.compile(
    rf"\b(?P<before>{_REGION_NAMES})[- ](?:data[- ])?residency|data\s+residency|"
    r"(?:stay|remain|kept|be\s+kept|hosted|stored|processed|(?:must|has\s+to|have\s+to|needs?\s+to)\s+be)"
    rf"\s+(?:with)?in\s+(?:the\s+)?(?P<region>{_REGION_NAMES}|switzerland|country|region)\b"
    r"(?!\s+(?:office|offices|hq|building|campus))|\b(?P<only>eu|uk|us)[- ]only\b|"
    r"in\s+(?:deutschland|der\s+eu|europa)\s+bleiben|rester\s+en\s+(?:france|europe)",
)
_PUBLIC = re.compile(
    r"public\s+(?:\w+\s+){0,2}(?:data|posts?|content|documents?|pages?|filings?|info(?:rmation)?|datasets?)|"
    r"(?:all|only)\s+public|open\s+(?:government\s+)?data(?:sets?)?\b|"
    r"(?:data|it|everything)\s+is\s+(?:all\s+)?public\b",
)
_NOT_SENSITIVE = re.compile(
    r"nothing\s+(?:\w+\s+){0,3}?(?:is\s+)?(?:sensitive|confidential|private|personal)|not\s+sensitive|no\s+sensitive|"
    r"none\s+of\s+(?:it|this|the\s+data)\s+is\s+(?:sensitive|confidential|personal|private)|synthetic\s+(?:\w+\s+)?data",
)
_OWN_CLOUD_CUES = ("vpc", "account", "tenan", "subscription", "project", "environment", "own ")
_RESIDENCY_CUES = (
    *("residency", "only", "stay", "remain", "kept", "hosted", "stored", "processed", "bleiben", "rester"),
    *("must be", "has to be", "have to be", "needs to be", "need to be"),
)
CONTRACT_WINDOW = 60
"""Characters either side of "BAA" or "DPA" where the provider it is with is named."""


def data_facts(kb: KnowledgeBase, text: str) -> Iterator[Fact]:
    """Where the data may be processed, why, and under which terms or in which region."""
    reasons, cleared = _reasons(text)
    tags = [tag for tag, _ in reasons]
    spans = [m.group(0) for _, m in reasons]
    own_cloud = _OWN_CLOUD.search(text) if says_any(text, _OWN_CLOUD_CUES) else None
    leave = _CANNOT_LEAVE.search(text.replace(own_cloud.group(0), " ") if own_cloud else text)
    terms = [(term, m) for term, pattern in _TERMS if (m := pattern.search(text))]
    gdpr = _GDPR.search(text)
    residency = _RESIDENCY.search(text) if says_any(text, _RESIDENCY_CUES) else None
    public = _PUBLIC.search(text)
    if leave:
        yield from _policy("must-stay", tags or ["confidential"], [*spans, leave.group(0)])
    elif own_cloud:
        yield from _policy("own-cloud", tags, [*spans, own_cloud.group(0)])
    elif terms:
        said = [m.group(0) for _, m in terms]
        yield from _policy("under-contract", tags, [*spans, *said])
        yield Fact("data_terms", [term for term, _ in terms], "; ".join(said))
        if providers := _contract_providers(kb, text, [m for _, m in terms]):
            yield Fact("data_providers", [p for p, _ in providers], "; ".join(span for _, span in providers))
    elif [t for t in tags if t not in _soft_reasons(residency)] or (reasons and not (gdpr or residency)):
        yield from _policy("must-stay", tags, spans)
        if free := _free_words(public or _NOT_SENSITIVE.search(text), cleared):
            yield Fact("data_policy", "may-leave", free, doubt=_CONFLICT.format(free=free, kept="; ".join(spans)))
    elif gdpr or residency:
        found = [*reasons, *((tag, m) for tag, m in (("gdpr", gdpr), ("residency", residency)) if m)]
        yield from _policy("in-region", [tag for tag, _ in found], [m.group(0) for _, m in found])
        if (where := _region(gdpr, residency)) is not None:
            yield Fact("data_region", where, (residency or gdpr).group(0))  # type: ignore[union-attr]
    elif public:
        yield from _policy("may-leave", ["public"], [public.group(0)])
    elif free := _free_words(_NOT_SENSITIVE.search(text), cleared):
        yield from _policy("may-leave", [], [free])


def _soft_reasons(residency: re.Match[str] | None) -> tuple[str, ...]:
    """Kinds of data a region rule governs on its own: personal data kept in a named region is GDPR's
    rule ("customer PII, must be processed in the EU"), not a ban on every provider."""
    if residency is not None and _region(None, residency) is not None:
        return (*_SOFT_REASONS, "pii")
    return _SOFT_REASONS


def _free_words(said: re.Match[str] | None, cleared: str | None) -> str | None:
    """The words saying the data may go: "public data", "nothing sensitive", "no customer data"."""
    return said.group(0) if said else cleared


_CONFLICT = "You said '{free}' but also '{kept}': may this data leave your systems, or must it stay?"


def _reasons(text: str) -> tuple[list[tuple[str, re.Match[str]]], str | None]:
    """The kinds of data said to be there, and the words of one said not to be, or allowed out."""
    found: list[tuple[str, re.Match[str]]] = []
    cleared = None
    for pattern, tag, cues in _REASON_PATTERNS:
        for match in pattern.finditer(text) if says_any(text, cues) else ():
            before = re.split(r"[.;,:!?\n(]", text[max(0, match.start() - 40) : match.start()])[-1]
            if _NEGATED.search(before):
                cleared = cleared or f"{before.strip()} {match.group(0)}".strip()
            elif (allowed := _ALLOWED_OUT.match(text, match.end())) and not _DENIED.search(allowed.group(0)):
                cleared = cleared or text[match.start() : allowed.end()]
            else:
                found.append((tag, match))
                break
    return found, cleared


def _policy(policy: str, reasons: list[str], spans: list[str]) -> Iterator[Fact]:
    span = "; ".join(spans)
    yield Fact("data_policy", policy, span)
    if reasons:
        yield Fact("data_reasons", reasons, span)


def _contract_providers(kb: KnowledgeBase, text: str, said: list[re.Match[str]]) -> list[tuple[str, str]]:
    """Providers named next to the contract: "our DPA with Anthropic covers it"."""
    found: dict[str, str] = {}
    for match in said:
        start = max(0, match.start() - CONTRACT_WINDOW)
        for mention in mentions(kb, "providers", text[start : match.end() + CONTRACT_WINDOW]):
            found.setdefault(mention.entry_id, text[start + mention.start : start + mention.end])
    return list(found.items())


def _region(gdpr: re.Match[str] | None, residency: re.Match[str] | None) -> str | None:
    """The region named, or the EU for GDPR alone; None for "our region"."""
    named = (residency["region"] or residency["only"] or residency["before"] or residency[0]) if residency else ""
    for region, words in _REGION_WORDS:
        if re.search(rf"\b(?:{words})\b", named):
            return region
    return "eu" if gdpr is not None else None
