"""Who says what, by share of the article: which sentences a claim covers.

A sentence is *attributed* when some claim's content lies in it (in part), *anonymous*
when every claim covering it has an anonymous source, and otherwise the outlet's own
assertion. Derived from the sentences and claims layers; nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimgraph.model import Analysis, Claim, Span


@dataclass(frozen=True, slots=True)
class SentenceCoverage:
    sentence: Span
    claims: tuple[str, ...]
    anonymous: bool

    @property
    def attributed(self) -> bool:
        return bool(self.claims)


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of the article's characters (sentences weighted by length)."""

    own: float
    attributed: float
    anonymous: float  # part of ``attributed``


def sentence_coverage(sentences: Sequence[Span], claims: Sequence[Claim]) -> list[SentenceCoverage]:
    out = []
    for sentence in sentences:
        covering = [c for c in claims if c.covers(sentence)]
        out.append(SentenceCoverage(
            sentence=sentence,
            claims=tuple(c.id for c in covering),
            anonymous=bool(covering) and all(c.source is not None and c.source.type == "anonymous"
                                             for c in covering),
        ))
    return out


def shares(analysis: Analysis) -> Shares:
    coverage = sentence_coverage(analysis.sentences, analysis.claims)
    total = sum(len(c.sentence.text.strip()) for c in coverage) or 1
    attributed = sum(len(c.sentence.text.strip()) for c in coverage if c.attributed)
    anonymous = sum(len(c.sentence.text.strip()) for c in coverage if c.anonymous)
    return Shares(own=(total - attributed) / total, attributed=attributed / total, anonymous=anonymous / total)
