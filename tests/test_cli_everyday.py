"""Everyday use of the CLI (#15): fast rejections, readable reports in a pipe and at 80 columns,
Markdown, validated filters, pages that say what they hold, one-line errors, $CLAIMGRAPH_DB."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from claimgraph.analyzer import Analyzer
from claimgraph.cli import app
from claimgraph.cli_corpus import Interrupted, _ticker
from claimgraph.corpus.ingest import Summary
from claimgraph.ingest.text import find_title
from claimgraph.report import render, render_markdown
from tests.conftest import REPO, SAMPLES

runner = CliRunner()
BOX = set("│─┃━┏┓┗┛╭╮╰╯┌┐└┘├┤┬┴┼═║")


def test_help_has_no_bool_metavar() -> None:
    result = runner.invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "claims" in result.output and "events" in result.output  # says what analyze gives


def test_an_empty_file_is_rejected_before_any_model_loads(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom claimgraph.cli import app\n"
            f"r = CliRunner().invoke(app, ['analyze', {str(empty)!r}])\n"
            "print(r.exit_code, 'spacy' in sys.modules, 'sqlalchemy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.stdout.split() == ["2", "False", "False"], done.stdout + done.stderr


def test_cli_help_imports_neither_spacy_nor_the_store() -> None:
    code = ("import sys\nfrom claimgraph.cli import app\n"
            "print(sorted(m for m in ('spacy', 'sqlalchemy', 'trafilatura') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_a_headline_directly_above_the_body_is_the_title() -> None:
    assert find_title("Militants storm police post in Bannu\nThree policemen were killed on Tuesday when "
                      "militants stormed a post near the border.", max_chars=200) == \
        "Militants storm police post in Bannu"
    # a hard-wrapped first paragraph is not a headline
    assert find_title("The commander of the group said on Saturday that his\nfighters would return to the "
                      "valleys next spring.", max_chars=200) is None


@pytest.mark.slow
def test_report_in_a_pipe_at_80_columns_wraps_and_cuts_nothing(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(SAMPLES / "kashmir_rally.txt")
    buffer = io.StringIO()
    render(analysis, Console(file=buffer, width=80, force_terminal=False))
    text = buffer.getvalue()
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    assert not BOX & set(text), "box characters in a pipe"
    assert not re.search(r"\w…", text), "a cell was cut with an ellipsis"
    words = set(text.split())
    for entity in analysis.entities:
        for word in entity.name.split():
            assert word in words, f"{entity.name!r} is cut in the report"
    assert "Relations" in text or not analysis.relations


@pytest.mark.slow
def test_markdown_report(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(SAMPLES / "kashmir_rally.txt")
    md = render_markdown(analysis)
    assert md.startswith("# Jaish commander")
    assert "## Entities" in md and "| type | name | also called | mentions | place |" in md
    if analysis.relations:
        assert "## Relations" in md
    assert not BOX & set(md)


def test_analyze_format_markdown_is_a_choice() -> None:
    result = runner.invoke(app, ["analyze", "--help"])
    assert "markdown" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (["events", "--since", "lastyear"], "--since 'lastyear' is not a date"),
    (["events", "--until", "2025-13"], "no month 13"),
    (["events", "--type", "ATTACK"], "one of AGREE"),
    (["claims", "--source-type", "anonymus"], "one of person, organization, anonymous"),
    (["claims", "--limit", "0"], "limit 0 is outside"),
    (["search", "x", "--offset", "20000"], "offset 20000 is outside"),
])
def test_bad_filters_are_refused_like_the_api(args: list[str], says: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert says in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_store_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n" * 1000)
    result = runner.invoke(app, ["stats", "--db", str(junk)])
    assert result.exit_code == 2
    assert "is not a claimgraph store" in result.output and len(result.output.strip().splitlines()) == 1
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = runner.invoke(app, ["stats", "--db", str(other)])
    assert result.exit_code == 2 and "is not a claimgraph store" in result.output
    with sqlite3.connect(other) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["t"], "claimgraph tables were created in a foreign SQLite file"


@pytest.mark.slow
def test_search_syntax_errors_fall_back_to_words(sample_corpus_db: Path) -> None:
    result = runner.invoke(app, ["search", '"unbalanced militants', "--db", str(sample_corpus_db)])
    assert result.exit_code == 0, result.output
    assert "not valid search syntax" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["search", "AND", "--db", str(sample_corpus_db)])
    assert result.exit_code == 2 and "no words" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
def test_lists_page_and_say_what_they_show(sample_corpus_db: Path) -> None:
    db = str(sample_corpus_db)
    result = runner.invoke(app, ["search", "police", "--limit", "5", "--json", "--db", db])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 5
    first = runner.invoke(app, ["events", "--limit", "3", "--json", "--db", db]).stdout.splitlines()
    second = runner.invoke(app, ["events", "--limit", "3", "--offset", "3", "--json", "--db", db]).stdout.splitlines()
    assert len(first) == len(second) == 3 and not set(first) & set(second)
    shown = runner.invoke(app, ["events", "--limit", "3", "--db", db]).stdout
    total = json.loads(runner.invoke(app, ["stats", "--json", "--db", db]).stdout)["events"]
    assert f"3 shown (1–3) of {total}; next page: --offset 3" in shown


@pytest.mark.slow
def test_the_store_comes_from_the_environment(sample_corpus_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_DB", str(sample_corpus_db))
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert f"store: {sample_corpus_db} (from $CLAIMGRAPH_DB)" in result.stderr
    assert json.loads(result.stdout)["documents"] > 10


def test_ingest_progress_logs_without_a_terminal_and_stops_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from claimgraph.cli_corpus import LOG_EVERY, _progress

    pressed = False
    with _progress() as progress:
        tick = _ticker(progress, total=None, stop=lambda: pressed)
        summary = Summary()
        for n in range(LOG_EVERY):
            summary.ingested += 1
            tick(summary, f"doc-{n}")
        pressed = True
        with pytest.raises(Interrupted):
            tick(summary, "last")
    logged = capsys.readouterr().err
    assert f"ingest: {LOG_EVERY} inputs · {LOG_EVERY} new" in logged
