"""Ingest into a real SQLite store: every source kind, idempotency, bad input counted and
skipped, a killed run resumed with every document stored exactly once."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimgraph.corpus.ingest import DOCS_PER_EXTRA_WORKER, Ingest, pool_size
from claimgraph.corpus.sources import Item, Rejected, expand
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings
from tests.conftest import SAMPLES

ARTICLE = """Militants attack checkpoint near Bannu

BANNU, Pakistan, March 3, 2025 — Gunmen attacked a police checkpoint on the Bannu-Miranshah road
late on Sunday, killing two constables, police said.

"They came from the hills and fired for twenty minutes," said Inspector Rafiq Anwar, the station
house officer. Security sources said the attackers belonged to Harakat al-Nasr al-Islami (HNI).
"""

HTML = """<!doctype html><html><head><title>Army says operation continues</title>
<meta property="og:site_name" content="Frontier Test Daily">
<meta property="article:published_time" content="2025-03-05"></head>
<body><nav>Home | World</nav><article><h1>Army says operation continues</h1>
<p>PESHAWAR — The army said on Wednesday that Operation Clear Valley would continue until the
group's camps in North Waziristan were destroyed.</p>
<p>A spokesman, Major Sana Iqbal, told reporters that eleven militants had been killed since
Monday. The figure could not be verified independently.</p>
<p>Residents of Mir Ali said they had heard shelling through the night, and several families had
left for Bannu.</p></article><footer>Copyright Frontier Test Daily</footer></body></html>"""


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                               http_headers=headers)
            writer.write_record(record)


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    (box / "nested").mkdir(parents=True)
    (box / "checkpoint.txt").write_text(ARTICLE, encoding="utf-8")
    (box / "nested" / "operation.html").write_text(HTML, encoding="utf-8")
    lines = [json.dumps({"text": ARTICLE.replace("two constables", "three constables"), "url": "https://x.example/a",
                         "title": "Checkpoint attack toll rises", "published": "2025-03-04", "site": "X Wire"}),
             "{this is not json",
             json.dumps({"html": HTML.replace("eleven", "twelve"), "url": "https://y.example/b"}),
             json.dumps({"neither": 1})]
    (box / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _warc(box / "crawl.warc.gz", [("https://z.example/op", HTML.replace("Wednesday", "Thursday"))])
    (box / "empty.txt").write_text("", encoding="utf-8")
    (box / "binary.html").write_bytes(bytes(range(256)) * 8)
    (box / "broken.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x", encoding="utf-8")
    return box


def test_expand_reads_every_kind_and_names_each_item(inbox: Path) -> None:
    entries = list(expand([str(inbox)]))
    items = [e for e in entries if isinstance(e, Item)]
    rejected = {e.key.split("/")[-1]: e.reason for e in entries if isinstance(e, Rejected)}
    kinds = sorted(i.kind for i in items)
    assert kinds.count("path") >= 4 and "text" in kinds and kinds.count("bytes") >= 2
    assert any(k.endswith("batch.jsonl#2") for k in rejected) and "not JSON" in rejected["batch.jsonl#2"]
    assert "no 'text' or 'html'" in rejected["batch.jsonl#4"]
    assert all(i.key for i in items) and len({i.key for i in items}) == len(items)


def test_ingest_counts_skips_bad_input_and_is_idempotent(inbox: Path, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db")
    run = Ingest(store, Settings(), workers=1)
    summary = run.run([str(inbox)])
    reasons = dict(summary.rejected)
    assert summary.ingested == 5  # txt, html, jsonl text, jsonl html, warc record
    assert any("empty" in r for k, r in reasons.items() if k.endswith("empty.txt"))
    assert any(k.endswith("binary.html") for k in reasons)
    assert any(k.endswith("batch.jsonl#2") for k in reasons)
    assert store.count("documents") == 5 and store.count("rejected") == len(summary.rejected)
    # every document has all its layers and its entities linked to corpus entities
    with sqlite3.connect(tmp_path / "c.db") as db:
        assert db.execute("SELECT count(*) FROM doc_entities WHERE entity_id IS NULL").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
        names = {r[0] for r in db.execute("SELECT name FROM entities")}
    assert "Harakat al-Nasr al-Islami" in names
    again = Ingest(store, Settings(), workers=1).run([str(inbox)])
    assert again.ingested == 0 and again.present == 5
    assert store.count("documents") == 5
    store.close()


def test_same_text_from_two_inputs_is_one_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    store = Store.open(tmp_path / "c.db")
    summary = Ingest(store, Settings(), workers=1).run([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert (summary.ingested, summary.present) == (1, 1)
    assert store.count("documents") == 1
    store.close()


def test_parallel_workers_store_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(os.listdir(SAMPLES))[:4]:
        if (SAMPLES / name).is_file():
            shutil.copy(SAMPLES / name, folder / name)
    store = Store.open(tmp_path / "p.db")
    ingest = Ingest(store, Settings(), workers=2)
    ingest.docs_per_extra_worker = 1  # a batch this small would otherwise get one worker (#18)
    summary = ingest.run([str(folder)])
    assert summary.ingested == len(list(folder.iterdir())) and not summary.rejected
    assert ingest.pool_size == 2
    store.close()


def test_a_small_batch_gets_one_worker() -> None:
    assert pool_size(2, 38) == 1 and pool_size(2, DOCS_PER_EXTRA_WORKER) == 2
    assert pool_size(4, 3 * DOCS_PER_EXTRA_WORKER) == 4 and pool_size(1, 500) == 1


def test_killed_ingest_resumes_and_stores_every_document_once(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(12):
        text = ARTICLE.replace("two constables", f"{n + 2} constables").replace("Sunday", ["Sunday", "Monday"][n % 2])
        (folder / f"a{n:02d}.txt").write_text(text + f"\nReport number {n}.\n", encoding="utf-8")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "claimgraph.cli", "ingest", str(folder), "--db", str(db), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 3:
                            break
                except sqlite3.OperationalError:
                    pass
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < stored <= 12
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 12
        assert conn.execute("SELECT count(DISTINCT source) FROM documents").fetchone()[0] == 12
        assert conn.execute("SELECT count(*) FROM doc_entities WHERE entity_id IS NULL").fetchone()[0] == 0
        # no half-written document: every stored document has its entity rows
        assert conn.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                            "(SELECT 1 FROM doc_entities e WHERE e.doc_id = d.id)").fetchone()[0] == 0


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "v.db")
    store.close()
    with sqlite3.connect(tmp_path / "v.db") as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    from claimgraph.corpus.store import StoreError

    with pytest.raises(StoreError, match="schema version 999"):
        Store.open(tmp_path / "v.db")


def test_gzip_warc_with_a_corrupt_tail_keeps_what_it_can(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    _warc(path, [("https://z.example/1", HTML), ("https://z.example/2", HTML.replace("eleven", "nine"))])
    data = path.read_bytes()
    path.write_bytes(data + gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nxx"))
    entries = list(expand([str(path)]))
    assert len([e for e in entries if isinstance(e, Item)]) == 2


def test_feed_url_is_fetched_through_the_guarded_fetcher() -> None:
    from claimgraph.ingest.fetch import CannedFetcher

    body = ("<p>" + "The army said the operation would continue for weeks. " * 40 + "</p>")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier Test Daily</title>
<item><title>Operation continues</title><link>https://daily.example/op</link>
<pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[{body}]]></content:encoded></item>
<item><title>Short item</title><link>https://daily.example/short</link><description>Summary only.</description></item>
</channel></rss>"""
    fetcher = CannedFetcher({"https://daily.example/feed": feed.encode("utf-8")})
    entries = list(expand(["https://daily.example/feed"], fetcher=fetcher))
    items = [e for e in entries if isinstance(e, Item)]
    assert [i.kind for i in items] == ["bytes", "url"]
    assert items[0].published == "2025-03-05" and items[0].site == "Frontier Test Daily"
    assert items[1].key == "https://daily.example/short"
    refused = list(expand(["https://daily.example/other.rss"], fetcher=fetcher))
    assert isinstance(refused[0], Rejected)


def test_reprocess_reanalyses_documents_of_an_older_pipeline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML, encoding="utf-8")
    db = tmp_path / "r.db"
    store = Store.open(db)
    assert Ingest(store, Settings(), workers=1).run([str(tmp_path)]).ingested == 2
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET pipeline_version = '0' WHERE source LIKE '%a.txt'")
        sources = dict(conn.execute("SELECT id, source FROM documents").fetchall())
    summary = Ingest(store, Settings(), workers=1).reprocess()
    assert summary.reprocessed == 1 and summary.ingested == 0
    from claimgraph.pipeline import PIPELINE_VERSION

    with sqlite3.connect(db) as conn:
        assert {r[0] for r in conn.execute("SELECT pipeline_version FROM documents")} == {PIPELINE_VERSION}
        assert dict(conn.execute("SELECT id, source FROM documents").fetchall()) == sources
        assert conn.execute("SELECT count(*) FROM doc_entities WHERE entity_id IS NULL").fetchone()[0] == 0
        orphans = conn.execute("SELECT count(*) FROM entities WHERE id NOT IN "
                               "(SELECT entity_id FROM doc_entities WHERE entity_id IS NOT NULL)").fetchone()[0]
    assert orphans == 0
    store.close()


def test_an_item_fetched_by_link_keeps_the_feed_title_and_site_the_page_lacks(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("<html><body><article><p>" + "Police in Bannu said on Monday that two suspects were "
                    "arrested after a raid on a house near the bus station. " * 4 + "</p></article></body></html>",
                    encoding="utf-8")
    doc = Item(str(page), "path", title="Two held after Bannu raid", site="Frontier Test Daily").document(Settings())
    assert (doc.title, doc.site) == ("Two held after Bannu raid", "Frontier Test Daily")
