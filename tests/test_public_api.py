"""The public surface is small on purpose; changing it is a decision, so this test pins it."""

from __future__ import annotations

import inspect

import claimgraph


def test_all_is_pinned() -> None:
    assert sorted(claimgraph.__all__) == [
        "Analysis", "Analyzer", "ClaimgraphError", "Corpus", "Document", "Entity", "InputError", "Settings",
        "Span", "Timex", "__version__", "analyze", "analyze_text", "open_store",
    ]


def test_analyze_signature_is_keyword_only_after_the_source() -> None:
    params = inspect.signature(claimgraph.analyze).parameters
    assert list(params) == ["source", "url", "published", "settings"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in params.items() if name != "source")


def test_errors_share_one_root() -> None:
    assert issubclass(claimgraph.InputError, claimgraph.ClaimgraphError)
