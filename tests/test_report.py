"""The text report renders every layer it knows, including claims grouped by source."""

from __future__ import annotations

from rich.console import Console

from claimgraph.report import render
from tests.test_coverage import analysis_with_claims


def test_claims_are_grouped_by_source_with_shares() -> None:
    console = Console(record=True, width=160)
    render(analysis_with_claims(), console)
    out = console.export_text()
    assert "Claims" in out and "outlet's own" in out and "anonymous" in out
    assert "Officials" in out and "ten died" in out
