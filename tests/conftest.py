"""Shared fixtures: the spaCy-backed pipeline loads once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.analyzer import Analyzer
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "claimgraph" / "samples"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
SHARED_DATA = REPO.parent / "shared" / "data"
SCHEMA = REPO / "claimgraph" / "schema" / "document.schema.json"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(Settings())


def shared_data(relative: str) -> Path:
    """A benchmark file from ../shared/data, or a clean skip when this checkout has none."""
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"benchmark data {relative} not present")
    return path
