"""Sentence coverage and shares, on hand-built layers (no pipeline needed)."""

from __future__ import annotations

from claimgraph.coverage import sentence_coverage, shares
from claimgraph.model import Analysis, Claim, Document, Source, Span

TEXT = "Troops entered the town. He said ten died. Officials said it was quiet."


def analysis_with_claims() -> Analysis:
    doc = Document.from_text(TEXT)
    s1, s2, s3 = Span.of(TEXT, 0, 24), Span.of(TEXT, 25, 42), Span.of(TEXT, 43, 71)
    said = TEXT.index("said")
    c1 = Claim("c1", "indirect", Source(None, Span.of(TEXT, 25, 27), "person"), Span.of(TEXT, said, said + 4),
               (Span.of(TEXT, 33, 41),))
    said2 = TEXT.index("said", said + 1)
    c2 = Claim("c2", "indirect", Source(None, Span.of(TEXT, 43, 52), "anonymous"),
               Span.of(TEXT, said2, said2 + 4), (Span.of(TEXT, said2 + 5, 70),))
    return Analysis(document=doc, sentences=(s1, s2, s3), claims=(c1, c2))


def test_each_sentence_knows_its_claims() -> None:
    a = analysis_with_claims()
    cov = sentence_coverage(a.sentences, a.claims)
    assert [c.claims for c in cov] == [(), ("c1",), ("c2",)]
    assert [c.anonymous for c in cov] == [False, False, True]


def test_shares_add_up() -> None:
    sh = shares(analysis_with_claims())
    assert abs(sh.own + sh.attributed - 1) < 1e-9
    assert 0 < sh.anonymous < sh.attributed < 1


def test_no_claims_means_all_own() -> None:
    a = Analysis(document=Document.from_text(TEXT), sentences=(Span.of(TEXT, 0, 24),))
    assert shares(a).own == 1.0
