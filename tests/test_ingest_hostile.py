"""Hostile input never stops a batch, never hangs it, never goes missing (#19), and ingest does
not disclose files or lose new content (#20). Most tests run ingest with no pipeline stages
(``Settings(stages=())``): what they check — reading, accounting, presence, locking, the
watchdog — happens before and around the pipeline, and they stay fast."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from claimgraph.corpus.ingest import Ingest
from claimgraph.corpus.sources import Item, Rejected, expand
from claimgraph.corpus.store import Store, StoreBusy
from claimgraph.corpus.walk import display_name
from claimgraph.corpus.workers import WorkerPool
from claimgraph.errors import OverBudget
from claimgraph.model import Analysis, Document
from claimgraph.pipeline import STAGES, Pipeline
from claimgraph.settings import Settings

ARTICLE = ("Police in Bannu said on Monday that gunmen attacked a checkpoint on the Miranshah road, "
           "killing two constables. Inspector Rafiq Anwar said the attackers fled into the hills.\n")
NO_STAGES = Settings(stages=())


def _warc(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    return buf.getvalue()


HTML = "<html><body><article>" + "<p>The army said on Wednesday that the operation would go on.</p>" * 8 + \
       "</article></body></html>"


def _ingest(db: Path, sources: list[str], **kw: Any) -> tuple[Any, list[str]]:
    keys: list[str] = []
    store = Store.open(db)
    try:
        run = Ingest(store, kw.pop("settings", NO_STAGES), workers=1,
                     on_progress=lambda _s, key: keys.append(key), **kw)
        return run.run(sources), keys
    finally:
        store.close()


def test_mixed_folder_summary_adds_up_to_the_inputs(tmp_path: Path) -> None:
    box = tmp_path / "box"
    (box / "sub").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" + ARTICLE)
    (box / "good.txt").write_text(ARTICLE)
    (box / "sub" / "inner.txt").write_text(ARTICLE.replace("two", "three"))
    os.mkfifo(box / "pipe.txt")
    os.symlink("loop-b.txt", box / "loop-a.txt")
    os.symlink("loop-a.txt", box / "loop-b.txt")
    os.symlink("gone.txt", box / "broken.txt")
    os.symlink(secret, box / "passwd.txt")
    with open(os.fsencode(box) + b"/bad\xff\xfename.txt", "wb") as fh:
        fh.write(ARTICLE.replace("two", "four").encode())
    (box / "new\nline.txt").write_text(ARTICLE.replace("two", "five"))
    (box / ".hidden.txt").write_text(ARTICLE)
    (box / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (box / "noise.warc").write_bytes(os.urandom(300))
    whole = _warc([("https://w.example/1", HTML)])
    (box / "cut.warc").write_bytes(whole[: len(whole) - 200])
    (box / "empty.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    lines = ["\ufeff" + json.dumps({"text": ARTICLE.replace("two", "six")}),
             '{"text": "x", "n": ' + "9" * 5000 + "}",
             "[" * 10000 + "]" * 10000,
             json.dumps({"text": ARTICLE.replace("two", "seven"), "published": "2025-13-45"}),
             "{not json"]
    (box / "batch.jsonl").write_text("\n".join(lines), encoding="utf-8")
    inputs = 19  # 13 files and links met by the walk (two of them skipped), 1 in sub/, 5 JSONL lines

    summary, keys = _ingest(tmp_path / "c.db", [str(box)])

    assert summary.seen == len(keys) == inputs, keys
    assert len(set(keys)) == inputs
    rejected = dict(summary.rejected)
    assert "FIFO" in rejected[str(box / "pipe.txt")]
    assert "loop" in rejected[str(box / "loop-a.txt")] and "loop" in rejected[str(box / "loop-b.txt")]
    assert "broken" in rejected[str(box / "broken.txt")]
    assert "out of the folder" in rejected[str(box / "passwd.txt")]
    assert any(k.startswith(str(box / "noise.warc")) and "WARC" in r for k, r in rejected.items())
    assert any(k.startswith(str(box / "cut.warc")) and "truncated" in r for k, r in rejected.items())
    assert "no entries" in rejected[str(box / "empty.rss")]
    assert "limit" in rejected[f"{box / 'batch.jsonl'}#2"] and "limit" in rejected[f"{box / 'batch.jsonl'}#3"]
    assert dict(summary.skipped).keys() == {str(box / ".hidden.txt"), str(box / "photo.jpg")}
    assert str(box) + "/bad\\xff\\xfename.txt" in keys and str(box) + "/new\\nline.txt" in keys
    assert summary.ingested == 6  # good, inner, bad-name, newline-name, JSONL lines 1 (BOM) and 4
    with sqlite3.connect(tmp_path / "c.db") as db:
        texts = [r[0] for r in db.execute("SELECT text FROM documents")]
        notes = [r[0] for r in db.execute("SELECT source FROM documents")]
    assert not any("root:x:0:0" in t for t in texts)  # the link to a file outside was not followed
    assert f"{box / 'batch.jsonl'}#1" in notes


def test_a_named_fifo_or_missing_path_is_rejected_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    entries = list(expand([str(tmp_path / "p.txt"), str(tmp_path / "none.txt")]))
    assert [type(e) for e in entries] == [Rejected, Rejected]
    assert "FIFO" in entries[0].reason  # type: ignore[union-attr]


def test_an_old_name_with_new_content_is_stored_not_skipped(tmp_path: Path) -> None:
    page, batch = tmp_path / "a.txt", tmp_path / "b.jsonl"
    page.write_text(ARTICLE)
    batch.write_text(json.dumps({"text": ARTICLE.replace("two", "nine")}) + "\n")
    first, _ = _ingest(tmp_path / "c.db", [str(page), str(batch)])
    assert first.ingested == 2
    again, _ = _ingest(tmp_path / "c.db", [str(page), str(batch)])
    assert (again.ingested, again.present) == (0, 2)
    page.write_text(ARTICLE.replace("Monday", "Tuesday"))
    batch.write_text(json.dumps({"text": ARTICLE.replace("two", "eleven")}) + "\n")
    changed, _ = _ingest(tmp_path / "c.db", [str(page), str(batch)])
    assert (changed.ingested, changed.present) == (2, 0)


def test_jsonl_keeps_a_bom_line_and_drops_dates_that_are_not_dates(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    rows = [{"text": ARTICLE, "published": "2025-03-04"}, {"text": ARTICLE + "x", "published": "yesterday"},
            {"text": ARTICLE + "y", "published": "2025-13-45"}, {"html": HTML, "published": "soon"}]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(json.dumps(r) for r in rows).encode())
    items = [e for e in expand([str(path)]) if isinstance(e, Item)]
    assert [i.key.rsplit("#", 1)[1] for i in items] == ["1", "2", "3", "4"]
    assert [i.published for i in items] == ["2025-03-04", None, None, None]
    assert "not a date" in items[1].notes[0] and "not a date" in items[3].notes[0]
    doc = items[2].document(NO_STAGES)
    assert doc.published is None and any("2025-13-45" in n for n in doc.notes)
    assert items[3].document(NO_STAGES).published is None  # HTML rows too: dropped, not rejected


def test_a_truncated_warc_record_is_rejected_not_stored_as_an_article(tmp_path: Path) -> None:
    whole = _warc([("https://w.example/1", HTML), ("https://w.example/2", HTML.replace("army", "navy"))])
    path = tmp_path / "t.warc"
    path.write_bytes(whole[: len(whole) - 300])
    entries = list(expand([str(path)]))
    assert [type(e) for e in entries] == [Item, Rejected]
    assert "truncated WARC record" in entries[1].reason  # type: ignore[union-attr]


def test_a_second_ingest_waits_or_says_the_store_is_busy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    db = tmp_path / "c.db"
    holder = Store.open(db)
    told: list[str] = []
    with holder.ingest_lock():
        with pytest.raises(StoreBusy, match="busy"):
            _ingest(db, [str(tmp_path / "a.txt")], wait=False)
        result: dict[str, Any] = {}
        waiting = threading.Thread(target=lambda: result.update(
            summary=_ingest(db, [str(tmp_path / "a.txt")], on_wait=told.append)[0]))
        waiting.start()
        time.sleep(0.8)
        assert waiting.is_alive() and told and "busy" in told[0]  # it waits while the lock is held
    waiting.join(timeout=30)
    holder.close()
    assert result["summary"].ingested == 1


def _slow_stage(_settings: Settings) -> Any:
    def run(analysis: Analysis) -> Analysis:
        while True:  # a stage that never ends on its own
            time.sleep(0.01)
    return run


def _quick_stage(_settings: Settings) -> Any:
    return lambda analysis: analysis


def test_a_stage_over_the_time_budget_is_cut_and_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(STAGES, "quick", _quick_stage)
    monkeypatch.setitem(STAGES, "slow", _slow_stage)
    doc = Document.from_text(ARTICLE)
    pipeline = Pipeline(Settings(stages=("quick", "slow"), time_budget_s=0.3), stages=("quick", "slow"))
    started = time.monotonic()
    result = pipeline(doc)
    assert time.monotonic() - started < 5
    assert result.stages == ("quick",)
    assert any("time budget" in n and "slow" in n for n in result.document.notes)


def test_nlp_over_the_time_budget_rejects_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(STAGES, "nlp", _slow_stage)
    pipeline = Pipeline(Settings(stages=("nlp",), time_budget_s=0.2))
    with pytest.raises(OverBudget, match="time budget"):
        pipeline(Document.from_text(ARTICLE))


def test_a_text_over_the_length_limit_is_rejected_before_any_stage() -> None:
    from claimgraph.errors import InputTooLarge

    with pytest.raises(InputTooLarge, match="over the limit"):
        Pipeline(Settings(stages=(), max_text_chars=100))(Document.from_text(ARTICLE))


def _init() -> None:
    pass


def _work(item: str) -> tuple[str, str, Any]:
    if item == "hang":
        time.sleep(3600)
    if item == "die":
        os._exit(3)
    return item, "ok", item.upper()


def test_the_watchdog_stops_a_stuck_worker_and_replaces_a_dead_one() -> None:
    started = time.monotonic()
    with WorkerPool(2, _init, _work, deadline=1.0, key_of=str) as pool:
        results = list(pool.map(["a", "hang", "b", "die", "c"]))
    assert time.monotonic() - started < 30
    assert [r[0] for r in results] == ["a", "hang", "b", "die", "c"]  # input order, none missing
    assert results[0] == ("a", "ok", "A") and results[4] == ("c", "ok", "C")
    assert results[1][1] == "rejected" and "time limit" in results[1][2]
    assert results[3][1] == "rejected" and "died" in results[3][2]


def test_display_names_escape_undecodable_bytes_and_control_characters() -> None:
    assert display_name(os.fsdecode(b"/x/a\xffb\n.txt")) == "/x/a\\xffb\\n.txt"
    assert display_name("/x/caf\u00e9.txt") == "/x/caf\u00e9.txt"


def test_a_device_named_or_linked_to_is_rejected_not_read(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    os.symlink("/dev/zero", box / "zero.txt")
    entries = list(expand(["/dev/null", str(box)]))
    assert [type(e) for e in entries] == [Rejected, Rejected]
    assert "character device" in entries[0].reason  # type: ignore[union-attr]
    assert "out of the folder" in entries[1].reason  # type: ignore[union-attr]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder and file")
def test_an_unreadable_folder_and_file_are_rejected_with_the_reason(tmp_path: Path) -> None:
    box = tmp_path / "box"
    (box / "locked").mkdir(parents=True)
    (box / "locked" / "a.txt").write_text(ARTICLE)
    (box / "secret.txt").write_text(ARTICLE)
    (box / "locked").chmod(0)
    (box / "secret.txt").chmod(0)
    try:
        summary, keys = _ingest(tmp_path / "c.db", [str(box)])
    finally:
        (box / "locked").chmod(0o755)
        (box / "secret.txt").chmod(0o644)
    rejected = dict(summary.rejected)
    assert "cannot read folder" in rejected[str(box / "locked")]
    assert "permission denied" in rejected[str(box / "secret.txt")]
    assert summary.seen == len(keys) == 2
