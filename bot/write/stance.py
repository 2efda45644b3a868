"""Which way a text recommends, sentence by sentence, so that no sentence contradicts the verdict.

A recommendation is a cue ("you should run", "we recommend", "the verdict",
"switch to", an imperative such as "Use" opening a clause) followed by the side
it points to: the first mention of local, cloud or hybrid after it that is not
negated ("rather than the API", "not locally"); or a predicate ("is the better
choice", "makes more sense") with its side before it. Naming hardware or an
open model points local; naming an API model or vendor points cloud. A
condition on a figure ("above 377 million tokens a day, run it locally") is the
assessment's own "what would change the answer", its figure checked elsewhere,
and a counterfactual ("the API would win if the data could leave") explains;
both pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.parse.names import mentions
from bot.write.names import named

SIDE_WORDS = {
    "local": r"\blocal(?:ly)?\b|\bon[- ]?prem\w*|\bself[- ]?host\w*|\bin[- ]house\b"
    r"|\byour own (?:hardware|gpus?|servers?|machines?|boxes|box)\b|\bown hardware\b",
    "cloud": r"\bcloud\b|\bapis?\b|\bhosted (?:model|service)s?\b|\bthird[- ]party\b|\bsaas\b|\bmanaged service\b"
    r"|\b(?:openai|anthropic|claude|chatgpt|gemini|azure|bedrock|vertex|aws|gcp)\b",
    "rent": r"\brent(?:ed|ing|al)?\s+(?:\w+\s+)?(?:gpus?|instances?|servers?|capacity|machines?|hardware)\b"
    r"|\bgpu clouds?\b|\bby the hour\b|\bon[- ]demand (?:gpus?|instances?)\b",
    "hybrid": r"\bhybrid\b|\ba mix of\b",
    "need-more-info": r"\bdepends\b|\bmore\s+information\b|\bneed\s+(?:to\s+know|more|to\s+confirm)\b|\bquestion\b"
    r"|\bconfirm\w*|\bunclear\b|\bunknown\b|\bnot\s+(?:yet\s+)?(?:sure|clear|known|settled)\b|\bcannot\s+say\b",
}
_SIDES = {side: re.compile(words, re.IGNORECASE) for side, words in SIDE_WORDS.items()}
_ACTION = (
    r"(?:run|use|go|switch|move|migrate|stay|keep(?! an eye| track| watch)|buy|rent|purchase|order|host"
    r"|self-host|deploy|choose|pick|stick|opt|put|send|route|consider|start|build|get|pay|sign up|subscribe"
    r"|outsource|offload|adopt|invest|serve|bring)\b"
)
_PERSON_MODAL = (
    r"\b(?:you|we|your team|the team|teams|i|they)\s+(?:really\s+|definitely\s+|clearly\s+|probably\s+|still\s+)?"
    r"(?:should|must|ought to|need to|have to|had better|'d better|would do best to|might want to|may want to"
    r"|want to)\s+(?:just\s+|simply\s+|really\s+)?" + _ACTION + r"|\b(?:it|this|everything|all of it|the workload)"
    r"\s+(?:should|belongs)\b"
)
_RECOMMENDING = (
    r"\b(?:recommend\w*|advi[cs]\w*|suggest\w*|go(?:ing)? with|go(?:ing)? for|opt(?:ing)? for"
    r"|switch(?:ing)?(?: over)? (?:to|back to)|mov(?:e|ing)(?: over)? (?:to|back to)|migrat\w* (?:to|back to)"
    r"|stick(?:ing)? with|stay(?:ing)? (?:with|on)|keep (?:using|it on|it in)|better off|(?:i|we)['\u2019]d"
    r"|let['\u2019]s)\b"
)
_PREDICATE = (
    r"\b(?:(?:best|better|right|smart|smarter|safer|obvious|sensible|clear) (?:option|choice|bet|path|move|call|way"
    r"|answer|plan|fit)|way to go|the winner|wins|makes (?:more |the most |most )?sense|is preferable"
    r"|comes out ahead|is the answer|is recommended|pays off|is worth it)\b(?!\s+(?:on|in|at|by)\b)"
)
"""A cue whose side may come before it: "the API is the better choice"."""
_IMPERATIVE = (
    r"(?:^|[.!?;:]\s+|\n\s*(?:[-*•>]\s*)?|\b(?:and|so|then|instead|actually|just|simply|therefore|thus|honestly"
    r"|frankly|ultimately|definitely|clearly|now)\b,?\s+)\W{0,3}(?P<verb>" + _ACTION + ")"
)
_CUE = re.compile(
    rf"(?P<verdict>\bverdict\b)|(?P<modal>{_PERSON_MODAL})|(?P<recommending>{_RECOMMENDING})"
    rf"|(?P<predicate>{_PREDICATE})|{_IMPERATIVE}",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bno|\bnever|\brather than|\binstead of|\bover|\bthan|\bversus|\bvs\.?|\bagainst|\bavoid\w*"
    r"|\bwithout|\baway from|\boff|\bditch\w*|\bdrop\w*|\bskip\w*|\bleav\w*|\babandon\w*|\bbefore|\bunlike)"
    r"\s+(?:\S+\s+){0,2}\S*$",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:if|when|once|unless|above|below|beyond|past|should (?:the|your))\b[^.!?]*(?:\$\s?\d|(?<![\w-])\d[\d,.]*\s?"
    r"(?:%|k\b|m\b|x\b|million|billion|thousand|tokens?|requests?|times|months?|users?|a day|per day|a month))"
    r"|\b(?:if|unless|were)\b.*\b(?:would|could|might)\b|\b(?:would|could|might)\b.*\b(?:if|unless)\b",
    re.IGNORECASE,
)
"""A condition on one of the assessment's figures, or a counterfactual ("the API would win if the data could leave")."""
_EXCLUSIVE = re.compile(r"\b(?:everything|all of it|all requests|all traffic|entirely|fully|purely|100%)\b", re.I)
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=\S))+(?:[.!?]+|\n|$)")
"""A sentence ends at a newline, or at . ! ? before a space: "$1.5k" does not end one."""
_NAME_SIDES = {"hardware": "local", "models": "local", "api_models": "cloud"}


@dataclass(frozen=True)
class Stance:
    side: str
    cue: str
    """"verdict" for a stated verdict, else what the cue was."""
    exclusive: bool
    """The sentence says all of it goes one way ("run everything locally")."""


def stated_verdict(text: str, kb: KnowledgeBase) -> str | None:
    """The verdict `text` states, read from after the word "verdict" if it has one."""
    after = re.split(r"verdict\W*", text, maxsplit=1, flags=re.IGNORECASE)[-1]
    return _first_side(after, kb, with_unknown=True)


def stances(text: str, kb: KnowledgeBase) -> Iterator[Stance]:
    """Every recommendation in `text`: each cue and the side it points to."""
    for sentence in _SENTENCE.findall(text):
        if _CONDITION.search(sentence):
            continue
        for cue in _CUE.finditer(sentence):
            before = sentence[: cue.start("verb") if cue["verb"] else cue.start()]
            if _NEGATED.search(before):
                continue
            side = _first_side(sentence[cue.end() :], kb, with_unknown=bool(cue["verdict"]))
            if side is None and cue["predicate"]:
                side = _last_side(before, kb)
            if side is not None:
                kind = "verdict" if cue["verdict"] else cue.group(0).strip().lower()
                yield Stance(side, kind, bool(_EXCLUSIVE.search(sentence)))


def _first_side(text: str, kb: KnowledgeBase, *, with_unknown: bool) -> str | None:
    found = _sides(text, kb, with_unknown=with_unknown)
    return min(found)[1] if found else None


def _last_side(text: str, kb: KnowledgeBase) -> str | None:
    found = _sides(text, kb, with_unknown=False)
    return max(found)[1] if found else None


def _sides(text: str, kb: KnowledgeBase, *, with_unknown: bool) -> list[tuple[int, str]]:
    """Where `text` names a side, not negated: (position, side)."""
    found: list[tuple[int, str]] = []
    for side, pattern in _SIDES.items():
        if side == "need-more-info" and not with_unknown:
            continue
        found += [(m.start(), side) for m in pattern.finditer(text) if not _NEGATED.search(text[: m.start()])]
    hosts = [m.start for m in mentions(kb, "providers", text)]
    for name in named(kb, text):
        if _NEGATED.search(text[: name.start]):
            continue
        side = _NAME_SIDES[name.table]
        if side == "local" and _sold_by_a_host(text, name.end, hosts):
            side = "cloud"
        found.append((name.start, side))
    return found


_TO_HOST = re.compile(r"[^.;!?\n]{0,40}?\b(?:on|at|via|from|through|by)\s+(?:the\s+)?$", re.I)
"""From an open model's name to its host: "Mistral Small 3 24B Instruct (2501) on OpenRouter"."""


def _sold_by_a_host(text: str, end: int, hosts: list[int]) -> bool:
    """ "gpt-oss-120b on Groq": an open model's weights bought by the token from a host."""
    host = next((h for h in hosts if h >= end), None)
    return host is not None and _TO_HOST.fullmatch(text, end, host) is not None
