"""``claimgraph analyze`` on inputs that used to break it (#20): a text over spaCy's
1,000,000-character limit is a clean rejection (exit 2, the reason), not an internal error;
a FIFO nobody writes to is refused after a few seconds, not waited on forever."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.ingest import sources

runner = CliRunner()


@pytest.mark.slow
def test_a_text_over_the_character_limit_is_rejected_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("The army said the operation would continue. " * 23_000, encoding="utf-8")  # ~1.01M characters
    result = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "over the limit of 1,000,000" in result.output and "internal error" not in result.output


@pytest.mark.slow
def test_analyze_on_a_fifo_nobody_writes_to_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "FIFO_WAIT_S", 0.5)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = runner.invoke(app, ["analyze", str(fifo)])
    assert time.monotonic() - started < 60
    assert result.exit_code == 2 and "FIFO" in result.output, result.output
