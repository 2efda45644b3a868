"""What volumes count, in the words people use, and the helpers the volume readers share."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from bot.parse.quantities import APPROX_BEFORE, NUMBER

TOKENS = r"(?:tokens?|toks?|tokns?|tkns?|tokes)"
ITEMS = (
    r"(?:requests?|reqs?|req\w*ests?|calls?|api\s+calls?|queries|query|messages?|msgs?|tickets?|documents?|docs?|"
    r"emails?|mails?|chats?|conversations?|prompts?|questions?|prs?|pull\s+requests?|reviews?|completions?|"
    r"generations?|summaries|inferences?|invocations?|transcripts?|articles?|pages?|items?|records?|notes?|"
    r"descriptions?|products?|files?|jobs?|tasks?|meetings?|contracts?|skus?|invoices?|posts?|comments?|"
    r"runs?|sessions?|turns?|steps?|exchanges?|drafts?|essays?|images?|photos?|recordings?|captions?|pdfs?|"
    r"anfragen|abfragen|requ[eê]tes?|demandes?|solicitudes?|peticiones?|consultas?|rps|qps)"
)
NOT_ITEMS = (
    r"(?:times|hours|days|minutes|weeks|months|years|people|users|employees|engineers|devs|sres|persons|"
    r"dollars|euros|pounds|bucks|cents|gpus|seconds|nines|students|staff|analysts|clinicians|doctors|nurses|lawyers|"
    r"reps|customers|members|colleagues|researchers|teachers|workspaces|offices|teams|sites|servers)\b"
)
VOLUME_NOUN = rf"(?:(?:[\w-]{{1,40}}+\s+){{0,2}}?(?:{ITEMS}\b|(?!{NOT_ITEMS})[a-zà-ü]{{3,40}}s\b))"
r"""An item counted: a known kind of request, or, failing that, any plural noun.

Words are bounded and taken whole (`{1,40}+`): an unbounded `[\w-]+` after a number let a
10,000-character run like "1-1-1-…" be re-scanned from every place a number starts."""
AMOUNT = NUMBER + r"(?:(?<=[a-z])\.)?\s*(?:(?:de|of)\s+)?"
"""An amount, tried where a number starts (see `anchored`): "3,2 Mio. Anfragen", "2 millions de tokens"."""
SEPARATOR = r"[.;!?\n]"


def anchored(
    pattern: re.Pattern[str], text: str, starts: Sequence[int], end: int | None = None
) -> Iterator[re.Match[str]]:
    """Matches of `pattern` beginning where a number begins, left to right, not overlapping."""
    after = 0
    for start in starts:
        if start >= after and (match := pattern.match(text, start, len(text) if end is None else end)):
            yield match
            after = match.end()


def is_tokens(what: str) -> bool:
    return bool(re.fullmatch(TOKENS, what.lower().split()[-1]))


def span_of(text: str, match: re.Match[str] | tuple[int, int]) -> str:
    """The words a figure was read from, with an "about" just before it."""
    start, end = match.span() if isinstance(match, re.Match) else match
    approx = APPROX_BEFORE.search(text, max(0, start - 16), start)
    return text[approx.start() if approx else start : end].strip()
