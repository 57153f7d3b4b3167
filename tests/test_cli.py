"""The command line: help everywhere, the contract on stdout, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from claimgraph.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()
TEXT_SAMPLE = sorted(SAMPLES.glob("*.txt"))[0]


def all_commands() -> list[list[str]]:
    root = get_command(app)
    out: list[list[str]] = []

    def walk(cmd: click.Command, path: list[str]) -> None:
        out.append(path)
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return out


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "claimgraph")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    root = get_command(app)
    cmd: click.Command = root
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"


def test_analyze_json_prints_one_contract_object() -> None:
    result = runner.invoke(app, ["analyze", str(TEXT_SAMPLE), "--format", "json", "--published", "2025-05-12"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "claimgraph.document/1"
    assert data["document"]["published"] == "2025-05-12"
    assert data["entities"]


def test_analyze_text_report_lists_entities_and_dates() -> None:
    result = runner.invoke(app, ["analyze", str(TEXT_SAMPLE), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "Entities" in result.stdout and "PERSON" in result.stdout


def test_analyze_reads_stdin() -> None:
    text = "Floods hit Dhaka\n\nFloods hit Dhaka on Monday, Bangladesh's disaster ministry said.\n"
    result = runner.invoke(app, ["analyze", "-", "--format", "json", "--published", "2024-07-02"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document"]["title"] == "Floods hit Dhaka"


def test_bad_published_date_is_a_usage_error() -> None:
    result = runner.invoke(app, ["analyze", str(TEXT_SAMPLE), "--published", "12/05/2025"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_a_batch_goes_on_past_bad_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "nothing.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    missing = tmp_path / "missing.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "analyze", str(empty), str(TEXT_SAMPLE), str(binary),
         str(missing), "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1  # the good one
    errors = [line for line in proc.stderr.splitlines() if line.startswith("claimgraph: skipped")]
    assert len(errors) == 3, proc.stderr
    assert any(str(empty) in e for e in errors) and any(str(missing) in e for e in errors)
    assert "analysed 1, skipped 3" in proc.stderr


def test_private_url_is_refused_with_one_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "claimgraph.cli", "analyze", "http://127.0.0.1:9/article"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "--allow-private" in proc.stderr
