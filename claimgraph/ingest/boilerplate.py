"""Cut the trailing junk of a web article: comment forms, share bars, newsletter boxes.

Trafilatura drops most page furniture, but comment forms and share bars that sit inside
the article's own container survive it, and text pasted from a browser carries all of
them. Left in, "Your email address will not be published" becomes a claim by the outlet
and "Facebook" an organisation it mentions. The phrases are data
(``claimgraph/lexicons/boilerplate.yaml``); this module decides when cutting is safe.

The rules, in order of how much they protect the article:

1. A pattern must match a *whole line* (after trimming bullets and a final colon), so a
   sentence that merely mentions "comments" or "newsletter" never triggers a cut.
2. Something must be left: at least :data:`MIN_KEPT_CHARS` of non-boilerplate text (more
   than a headline) must come before the cut. A page that is nearly all boilerplate is
   left alone rather than reduced to a headline the pipeline would then treat as the story.
3. A *comment-section* marker ("Leave a Reply", "3 Comments") cuts everything after it,
   readers' comments included, because those are prose the outlet did not write.
4. A *trailer* marker ("Share this:", "Sign up for our newsletter", "Related") only cuts
   when no article prose follows it before the next comment-section marker or the end:
   publishers put newsletter boxes in the middle of stories, and the story goes on after.
   Trailer labels are short, so a line longer than :data:`MAX_TRAILER_CHARS` is never one:
   a closing sentence that starts "Sign up for..." stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: non-boilerplate characters that must precede a cut: more than a headline.
MIN_KEPT_CHARS = 100
#: share/subscribe labels are short; longer lines are article text.
MAX_TRAILER_CHARS = 100
#: comment headers can quote a long headline ("3 thoughts on “...”").
MAX_COMMENT_MARKER_CHARS = 250
#: a line this long after a trailer marker means the article goes on: no cut there.
PROSE_LINE_CHARS = 120

_DECORATION = " \t\u00a0•·▪►▸»>|#*-–—=_~"
_TRAILING = _DECORATION + ":.…"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled patterns of ``boilerplate.yaml``."""

    comment_section: tuple[re.Pattern[str], ...]
    trailer: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Cut:
    """Where the text was cut, so the caller can tell the user what was dropped."""

    text: str
    marker: str
    removed_chars: int


def _compile(items: Any, key: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
        raise ValueError(f"boilerplate.yaml: {key!r} must be a list of regular expressions")
    return tuple(re.compile(rf"(?:{p})", re.IGNORECASE) for p in items)


@cache
def lexicon() -> Lexicon:
    """Read and compile the patterns once per process."""
    raw = resources.files("claimgraph.lexicons").joinpath("boilerplate.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError("boilerplate.yaml must be a mapping")
    return Lexicon(
        comment_section=_compile(data.get("comment_section"), "comment_section"),
        trailer=_compile(data.get("trailer"), "trailer"),
    )


def _core(line: str) -> str:
    """The line without the bullets, rules and colons that layouts wrap around labels."""
    return line.strip(_DECORATION).rstrip(_TRAILING).strip()


def classify(line: str, lex: Lexicon | None = None) -> str | None:
    """``"comment_section"``, ``"trailer"`` or None for one line of text."""
    lex = lex or lexicon()
    core = _core(line)
    if not core or len(core) > MAX_COMMENT_MARKER_CHARS:
        return None
    if any(p.fullmatch(core) for p in lex.comment_section):
        return "comment_section"
    if len(core) <= MAX_TRAILER_CHARS and any(p.fullmatch(core) for p in lex.trailer):
        return "trailer"
    return None


def cut_trailing(text: str, lex: Lexicon | None = None) -> Cut | None:
    """Cut ``text`` at the first line that starts a trailing boilerplate block.

    Returns None when there is nothing safe to cut; the text is then used as it is.
    """
    lex = lex or lexicon()
    lines = text.split("\n")
    kinds = [classify(line, lex) for line in lines]
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1

    kept_chars = 0
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is None:
            kept_chars += len(line.strip())
            continue
        if kept_chars < MIN_KEPT_CHARS:
            continue
        if kind == "trailer" and _prose_follows(lines, kinds, i):
            continue
        kept = text[: offsets[i]].rstrip()
        return Cut(text=kept, marker=_core(line), removed_chars=len(text) - len(kept))
    return None


def only_boilerplate(text: str, lex: Lexicon | None = None) -> bool:
    """Whether every line of ``text`` is a boilerplate marker (a page of share buttons)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and all(classify(line, lex) is not None for line in lines)


def _prose_follows(lines: list[str], kinds: list[str | None], start: int) -> bool:
    """Whether article prose comes after line ``start``, before any comment section."""
    for line, kind in zip(lines[start + 1:], kinds[start + 1:], strict=True):
        if kind == "comment_section":
            return False
        if kind is None and len(line.strip()) >= PROSE_LINE_CHARS:
            return True
    return False


__all__ = [
    "MAX_COMMENT_MARKER_CHARS", "MAX_TRAILER_CHARS", "MIN_KEPT_CHARS", "PROSE_LINE_CHARS",
    "Cut", "Lexicon", "classify", "cut_trailing", "lexicon", "only_boilerplate",
]
