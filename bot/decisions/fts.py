"""What a search looks for: the words people type, never FTS5's query language.

FTS5 reads `"`, `*`, `(`, `NEAR`, `AND` and `column:` as syntax, and a query
of many words costs time that grows faster than their number. So only runs of
letters and digits are kept (what FTS5's tokenizer indexes), words in double
quotes stay together as a phrase, a repeated word counts once, and at most
`MAX_WORDS` are looked for: every one must match, and a dozen words already
pick out one decision among thousands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchTerms:
    match: str
    """The FTS5 query: each word or phrase quoted, all required; empty when the text has no words."""
    words: int
    """How many words are looked for."""
    left_out: int
    """Different words beyond `MAX_WORDS`, not looked for."""


def search_terms(text: str) -> SearchTerms:
    phrases: list[str] = []
    seen: set[str] = set()
    left_out: set[str] = set()
    used = 0
    for index, part in enumerate(text.split('"')):
        words = WORD.findall(part)
        groups = [words] if index % 2 else [[word] for word in words]  # odd parts were inside quotes
        for group in groups:
            phrase = " ".join(group).casefold()
            if not group or phrase in seen:
                continue
            kept = group[: MAX_WORDS - used]
            left_out.update(word.casefold() for word in group[len(kept) :])
            if kept:
                seen.add(phrase)
                phrases.append('"' + " ".join(kept) + '"')
                used += len(kept)
    return SearchTerms(" ".join(phrases), used, len(left_out))
