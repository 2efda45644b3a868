"""Slack markup and message size, dealt with before any fact is read."""

from __future__ import annotations

import html
import re

MAX_CHARS = 10_000
"""Longer messages are read only this far, with a note: past it a workload description
has long since turned into something else, and reading must stay fast."""

# Markup never spans a "<": an unclosed "<@" is then read to the next "<" at most, not to the end of
# the message from every "<" of a "<<<<…" run. Runs are taken whole (`++`): nothing inside one
# is worth backtracking into.
_MENTION = re.compile(r"<[@!][^<>]*+>")
_CHANNEL = re.compile(r"<#[A-Z0-9]++\|([^<>]*+)>")
_LABELLED_LINK = re.compile(r"<(?:https?|mailto):[^|<>]*+\|([^<>]*+)>")
_BARE_LINK = re.compile(r"<(?:https?|mailto):[^<>]*+>|https?://\S+")
_EMOJI = re.compile(r"(?<!\d):[a-z0-9_+\-]++:(?!\d)")
_STRUCK = re.compile(r"(?<![\w~])~(?=[^\s~])[^~\n]{1,80}?(?<=[^\s~])~(?![\w~])")
"""Slack's ~strikethrough~: words taken back ("~50k~ 80k a day"), not said."""
_MARKS = re.compile(r"[*_~]++")
_MARK_OR_WORD = re.compile(r"[\w*_~]")
_CODE = re.compile(r"`+")
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
"""Runs of spaces, and single tabs or no-break spaces: a single space is left as it is."""
_LINE_BREAKS = re.compile(r" ?\n[\s]*")


def clean(text: str) -> str:
    """The words of a Slack message without mentions, links, emoji or emphasis marks.

    Links go first because their URLs are full of numbers that are not volumes;
    a link's label stays, since people write "<url|our dashboard>".
    """
    # Each kind of markup is looked for only when its mark is there: most messages have few.
    if "<" in text:
        text = _MENTION.sub(" ", text)
        text = _CHANNEL.sub(r"#\1", text)
        text = _LABELLED_LINK.sub(r"\1", text)
    if "<" in text or "http" in text:
        text = _BARE_LINK.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)  # Slack sends &amp; &lt; &gt;
    if ":" in text:
        text = _EMOJI.sub(" ", text)
    if "~" in text:
        text = _STRUCK.sub(" ", text)
    if "*" in text or "_" in text or "~" in text:
        text = _MARKS.sub(_unemphasised, text)
    if "`" in text:
        text = _CODE.sub("", text)
    return single_spaced(text).strip()


def _unemphasised(marks: re.Match[str]) -> str:
    """A run of *, _ or ~ opening ("*bold") or closing ("bold*") emphasis goes; one inside a word stays."""
    text, start, end = marks.string, marks.start(), marks.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    opens = not _MARK_OR_WORD.match(before) and not after.isspace()
    closes = not before.isspace() and not _MARK_OR_WORD.match(after)
    return "" if opens or closes else marks.group(0)


def single_spaced(text: str) -> str:
    r"""`text` with one space or one line break between words.

    The rules' `\s*` then never meet a long run: two of them in a row over 10,000 spaces take
    quadratic time.
    """
    return _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text))


def truncate(text: str) -> tuple[str, str | None]:
    """The part of `text` that is read, and a note when some was left unread."""
    if len(text) <= MAX_CHARS:
        return text, None
    return text[:MAX_CHARS], (f"The message is {len(text):,} characters long; only the first {MAX_CHARS:,} were read.")


def says_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds any of `words`: a rule's regex runs only where its cue words are.

    A substring test costs a microsecond; a regex that must be tried at every character of a
    long message (one opening on a word boundary or a look-behind) costs a hundred.
    """
    return any(word in text for word in words)
