"""What a model's text may never carry, whatever the assessment: markup that acts, links, and injected text.

Slack broadcasts and mentions, links other than the knowledge base's own
sources, links hidden behind words, brackets that are not argument ids,
invisible characters, and text that speaks for someone else ("ignore previous
instructions", "as an AI") or asks the reader to click, log in or hand over
credentials. Problems describe what was found without repeating it, since
they are shown and logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CITATION = re.compile(r"\[([a-z0-9][a-z0-9.-]*)\]")
_BRACKETED = re.compile(r"\[([^\]\n]*)\]")
_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ID_LIST = re.compile(rf"{_ID}(?:\s*[,;]?\s*{_ID})*")
"""Argument ids are kebab-case: anything else in brackets is described, never repeated, in a problem."""
_SLACK_SPECIAL = re.compile(r"<\s*[!@#]|<!?(?:channel|here|everyone)>|(?<![\w.])@(?:channel|here|everyone)\b", re.I)
_ANGLED = re.compile(r"<[^\s<>][^<>\n]*>")
_MARKDOWN_LINK = re.compile(r"\]\(\s*[^)\s]+\s*\)|!\[")
_URL = re.compile(
    r"\b(?:https?|ftp|mailto|file|javascript|data|tel|sms|slack):[^\s<>|\"'`)\]]+|\bwww\.[^\s<>|\"'`)\]]+"
    r"|\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|ai|co|dev|app|info|biz|xyz|me|ly|gg|sh|us|uk"
    r"|de|eu|ru|cn|top|site|online|link|click|zip|mov|tk|ml|ga|cf|gq|to|cc|tv|so|gl|in|fr|nl|it|es|pl|br|au|ca|jp"
    r"|page|live|cloud|support|help|login|security)\b(?:/[^\s<>|\"'`)\]]*)?",
    re.IGNORECASE,
)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_INJECTED = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules|guidelines"
    r"|messages?|context|directives?|(?:the |everything )?above|previous|prior|earlier)\b"
    r"|\bas an ai\b|\bas a (?:large )?language model\b|\bi(?:'m| am) (?:just )?an? (?:ai|language model|assistant)\b"
    r"|\bai language model\b|\bsystem prompt\b|\bdeveloper mode\b|\bjailbr\w*|\byou are now\b|\bnew instructions\b"
    r"|\bprompt injection\b|\bdo anything now\b|<\|[a-z_]+\|>|\[/?(?:inst|sys)\]|^\s*(?:system|assistant|user)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_ADDRESSING = re.compile(
    r"\bclick(?:ing)?\b|\btap (?:here|the|this|on)\b|\b(?:follow|open|visit)\b[^.\n]{0,30}\b(?:link|url|page|site"
    r"|portal|form)\b|\blog[ -]?in\b|\bsign[ -]?(?:in|on)\b"
    r"|\b(?:send|share|paste|enter|provide|give|confirm|verify|submit|type|reply with|dm|forward|upload)\b[^.\n]{0,40}"
    r"\b(?:passwords?|passcodes?|credentials?|api[ -]?keys?|access tokens?|auth tokens?|bot tokens?|slack tokens?"
    r"|secrets?|2fa|otp|one[- ]time codes?|ssh keys?|credit cards?|card numbers?|bank details|login details"
    r"|seed phrases?|private keys?)\b"
    r"|\bverify your (?:account|identity|email)\b|\breset your password\b|\baccount (?:will be |has been )?"
    r"(?:suspended|locked|disabled)\b|\b(?:email|e-mail|call|dm|message|text|contact|ping)\s+(?:me|us)\b"
    r"|\bwire (?:the )?(?:money|funds|payment)\b|\bgift cards?\b",
    re.IGNORECASE,
)


def citation_problems(text: str, cited: list[str]) -> Iterator[str]:
    """Square brackets hold argument ids the findings cite, and nothing else."""
    for content in dict.fromkeys(_BRACKETED.findall(text)):
        ids = re.split(r"[\s,;]+", content.strip()) if _ID_LIST.fullmatch(content.strip()) else None
        if ids is None:
            yield "puts something other than an argument id in square brackets; cite only ids like [economies-of-scale]"
            continue
        for argument in ids:
            if argument not in cited:
                yield f"cites [{argument}], which none of the findings cites"


def markup_problems(text: str, allowed_links: frozenset[str]) -> Iterator[str]:
    """Slack markup, links, invisible characters and injected text: none of it may be shown."""
    if _SLACK_SPECIAL.search(text):
        yield "mentions people or channels (a Slack broadcast or mention)"
    elif _ANGLED.search(text):
        yield "uses Slack or HTML markup in angle brackets"
    if _MARKDOWN_LINK.search(text):
        yield "hides a link behind words"
    links = [link.rstrip(".,;:!?") for link in _URL.findall(text)]
    if any(link not in allowed_links for link in links):
        yield "links to an address that is not one of the knowledge base's sources"
    if _INVISIBLE.search(text):
        yield "holds invisible characters"
    if _INJECTED.search(text):
        yield "holds instructions or talk meant for someone else, not an explanation of the decision"
    if _ADDRESSING.search(text):
        yield "asks the reader to click, log in or hand over credentials"
