"""The UI in a real headless Chromium (Debian's ``chromium``, driven by Playwright) against the
app served by uvicorn on a free loopback port, over the sample corpus and the hostile article.

What only a browser can show: that a click on a graph node lands on an entity page, that the
offline map draws its borders and lists a point's events, that the entity list searches as one
types, that the disagreements view lists the conflicting tolls, that hover
and keyboard focus fill the details panel (our script ran), that the claims filter changes the
results, that the hostile article's ``<script>``, ``onerror=`` and ``javascript:`` never
run, and that the entity page's corrections panel merges, splits and undoes (on a copy of the
store, with and without a token). Each page is saved as a screenshot under pytest's temporary directory and, when
``CLAIMGRAPH_SCREENSHOTS=DIR`` is set, into DIR too (how the README's pictures are made).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.corpus import browse
from claimgraph.corpus.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing and we are root."""
    if not Path(CHROMIUM).exists() and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run("apt-get update && apt-get install -y chromium", shell=True, check=False, env=env,
                           timeout=900, capture_output=True)
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}, and it could not be installed (apt-get install chromium needs root)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[web]')")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def store(sample_corpus_db: Path) -> Iterator[Store]:
    s = Store.open(sample_corpus_db, create=False)
    yield s
    s.close()


@contextlib.contextmanager
def serve(store: Store, token: str | None = None) -> Iterator[str]:
    """The app over ``store`` served by uvicorn in a background thread, as a user's browser reaches it."""
    import uvicorn

    from claimgraph.web.app import create_app

    port = free_port()
    config = uvicorn.Config(create_app(store, token=token), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(store: Store) -> Iterator[str]:
    with serve(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: dialogs (alert, confirm) and console errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture()
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    yield pg, watch
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    dirs = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("CLAIMGRAPH_SCREENSHOTS"):
        extra = Path(os.environ["CLAIMGRAPH_SCREENSHOTS"])
        extra.mkdir(parents=True, exist_ok=True)
        dirs.append(extra)
    return dirs


def snap(pg: Any, shots: list[Path], name: str) -> None:
    """One viewport-sized screenshot of the page as it is now, into every screenshot folder."""
    data = pg.screenshot(full_page=False)
    for folder in shots:
        (folder / f"{name}.png").write_bytes(data)
    assert len(data) > 10_000  # a rendered page, not a blank one


def test_home_search_and_entity(page: tuple[Any, Watch], base_url: str, shots: list[Path]) -> None:
    pg, watch = page
    pg.goto(base_url + "/")
    assert pg.locator("h1").inner_text() == "The corpus"
    assert pg.locator("ol.actors li").count() >= 5
    snap(pg, shots, "home")
    pg.fill("#q", "Ghazanfar")
    pg.press("#q", "Enter")
    pg.wait_for_url("**/search?q=Ghazanfar")
    first = pg.locator("ul.results.entities a").first
    assert "Ghazanfar" in first.inner_text()
    assert pg.locator("ul.results.documents li").count() >= 3
    snap(pg, shots, "search")
    first.click()
    pg.wait_for_url("**/entity/*")
    assert "Ghazanfar" in pg.locator("h1").inner_text()
    assert pg.locator("svg.graph a.node").count() > 3
    assert pg.locator("#by-h").is_visible()
    snap(pg, shots, "entity")
    assert watch.errors == [] and watch.dialogs == []


def test_document_highlights_and_details(page: tuple[Any, Watch], base_url: str, store: Store,
                                         shots: list[Path]) -> None:
    pg, watch = page
    docs = [d for d in browse.list_documents(store, limit=100) if d["claims"] >= 8 and "<" not in (d["title"] or "")]
    # the first report of the story (its named police source is near the top), else any
    doc = next((d for d in docs if "toll disputed" in (d["title"] or "")), docs[0])
    pg.goto(f"{base_url}/document/{doc['id']}")
    claim = pg.locator('#doc-text mark.claim[data-source-type="person"]').first
    claim_id = claim.get_attribute("data-claim")
    source = claim.get_attribute("data-source")
    assert claim_id and source
    # the claim's source is highlighted in the text too
    assert pg.locator(f'#doc-text .claim-source[data-claim="{claim_id}"]').count() >= 1
    claim.scroll_into_view_if_needed()
    claim.hover()
    panel = pg.locator("#details")
    pg.wait_for_function("document.getElementById('details').classList.contains('active')")
    assert source in pg.locator("#details-body").inner_text()
    assert panel.get_attribute("data-showing") in ("claim", "entity", "event")
    pg.evaluate("window.scrollTo(0, 0)")
    snap(pg, shots, "document")
    # keyboard: focusing an event trigger shows the event
    event = pg.locator("#doc-text .event[tabindex='0']").first
    event.focus()
    pg.wait_for_function("document.getElementById('details').dataset.showing === 'event'")
    assert event.get_attribute("data-type") in pg.locator("#details-body").inner_text()
    assert pg.locator("#doc-text").evaluate("el => el.querySelectorAll('[title]').length") > 10
    assert watch.errors == [] and watch.dialogs == []


def test_graph_zooms_filters_and_a_node_click_opens_entity(page: tuple[Any, Watch], base_url: str,
                                                            shots: list[Path]) -> None:
    import json

    pg, watch = page
    pg.goto(base_url + "/graph")
    cy = pg.locator("#graph-corpus .cy")
    pg.wait_for_selector('#graph-corpus .cy[data-ready="1"]')
    assert pg.locator(".static-graph").first.is_hidden()  # the script's graph replaced the drawing
    snap(pg, shots, "graph")
    zoom = float(cy.get_attribute("data-zoom") or 0)
    pg.locator('#graph-corpus button[data-zoom="in"]').click()
    assert float(cy.get_attribute("data-zoom") or 0) > zoom
    pg.locator('#graph-corpus button[data-zoom="fit"]').click()
    nodes = int(cy.get_attribute("data-visible-nodes") or 0)
    edges = int(cy.get_attribute("data-visible-edges") or 0)
    pg.locator('#graph-corpus input[name="type"][value="PERSON"]').uncheck()
    assert 0 < int(cy.get_attribute("data-visible-nodes") or 0) < nodes
    pg.locator('#graph-corpus input[name="kind"][value="co-mention"]').uncheck()
    assert int(cy.get_attribute("data-visible-edges") or 0) < edges
    where = json.loads(cy.get_attribute("data-positions") or "{}")
    node_id, (x, y) = next(iter(where.items()))
    box = cy.bounding_box()
    assert box is not None
    pg.mouse.click(box["x"] + x, box["y"] + y)
    pg.wait_for_url(f"**/entity/{node_id}")
    assert watch.errors == []


def test_claims_explorer_filter(page: tuple[Any, Watch], base_url: str, shots: list[Path]) -> None:
    pg, watch = page
    pg.goto(base_url + "/claims")
    before = int(pg.locator("#claims-count").inner_text().split()[0])  # "N claims; this page: ..."
    pg.select_option("#f-type", "anonymous")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url("**/claims?*source_type=anonymous*")
    after = int(pg.locator("#claims-count").inner_text().split()[0])
    assert 0 < after < before and pg.locator("li.claim-group").count() > 0
    kinds = pg.locator("li.claim-group").evaluate_all("els => [...new Set(els.map(e => e.dataset.sourceType))]")
    assert kinds == ["anonymous"]
    snap(pg, shots, "claims")
    assert watch.errors == []


def test_events_timeline_and_map(page: tuple[Any, Watch], base_url: str, shots: list[Path]) -> None:
    pg, watch = page
    pg.goto(base_url + "/events")
    pg.locator("svg.timeline a").last.click()  # zoom into a year
    pg.wait_for_url("**/events?*zoom=month*")
    assert "by month" in pg.locator("#tl-h").inner_text()
    pg.goto(base_url + "/events")
    pg.locator("#map-h").scroll_into_view_if_needed()
    pg.locator("#event-map a.point circle").first.click(force=True)  # a neighbour's label may lie over it
    pg.wait_for_function("document.getElementById('map-panel').classList.contains('active')")
    body = pg.locator("#map-panel-body")
    assert body.locator("blockquote").count() >= 1
    assert body.locator("a[href^='/document/']").count() >= 1
    pg.evaluate("document.getElementById('map-h').scrollIntoView()")
    snap(pg, shots, "events")
    assert watch.errors == []


def test_hostile_article_runs_no_script(page: tuple[Any, Watch], base_url: str, store: Store) -> None:
    pg, watch = page
    doc = next(d for d in browse.list_documents(store, limit=200) if "<script>" in (d["title"] or ""))
    pg.goto(f"{base_url}/document/{doc['id']}")
    pg.wait_for_load_state("load")
    text = pg.locator("#doc-text")
    assert "<script>window.__claimgraph_pwned = true; alert(1)</script>" in text.inner_text()
    assert text.locator("img, svg, script, iframe").count() == 0
    assert "<img src=x onerror=" in text.inner_text()
    # hovering the span that quotes the <script> line puts it in the panel, as text
    quoted = pg.locator("#doc-text mark.claim", has_text="planting the line").first
    quoted.hover()
    pg.wait_for_function("document.getElementById('details').classList.contains('active')")
    assert "<script>window.__claimgraph_pwned" in pg.locator("#details-body").inner_text()
    assert pg.locator("#details-body img, #details-body script").count() == 0
    pg.wait_for_timeout(300)
    assert pg.evaluate("typeof window.__claimgraph_pwned") == "undefined"
    assert watch.dialogs == []
    assert pg.locator("a[href^='javascript:']").count() == 0
    assert watch.errors == []


def test_entity_corrections_merge_undo_split(page: tuple[Any, Watch], sample_corpus_db: Path, tmp_path: Path,
                                             shots: list[Path]) -> None:
    """The one thing the UI writes, on a private copy of the store: merge a second entity into
    the page's one by name, undo it, split a document out, with the API's errors in the panel."""
    from playwright.sync_api import expect

    from tests.test_web_api import copy_db

    pg, watch = page
    st = Store.open(copy_db(sample_corpus_db, tmp_path), create=False)
    try:
        found = browse.list_entities(st, q="Ghazanfar", type="PERSON", order="documents", limit=10)
        keep, fold = found[0], found[1]
        assert fold["name"] not in keep["aliases"] and fold["name"] != keep["name"]
        with serve(st) as url:
            pg.goto(f"{url}/entity/{keep['id']}")
            panel = pg.locator("#corrections")
            assert panel.is_visible() and not pg.locator("#corrections .needs-js").is_visible()
            pg.locator("#corrections summary").click()
            # an error from the API is shown in the panel, as text
            pg.fill("#merge-other", keep["id"])
            pg.click("#merge-form button[type=submit]")
            status = pg.locator("#correct-status")
            expect(status).to_contain_text("422")  # polls without eval: the page's CSP forbids it
            assert "with itself" in status.inner_text()
            pg.fill("#merge-other", "zzz nobody at all")
            pg.click("#merge-form button[type=submit]")
            expect(status).to_contain_text("no other entity")
            # suggestions come from /api/entities; the merge takes the name
            pg.fill("#merge-other", "")
            pg.type("#merge-other", fold["name"][:12])
            expect(pg.locator(f'#merge-suggestions option[value="{fold["id"]}"]')).to_have_count(1)
            pg.fill("#merge-other", fold["name"])
            pg.click("#merge-form button[type=submit]")
            pg.wait_for_url(f"**/entity/{keep['id']}?log=*")
            assert fold["name"] in aliases(pg)
            notice = pg.locator("#correction-notice")
            assert "Merged" in notice.inner_text() and fold["name"] in notice.inner_text()
            merged = browse.entity_by_id(st, keep["id"])
            assert merged and merged["mentions"] == keep["mentions"] + fold["mentions"]
            assert browse.entity_by_id(st, fold["id"]) is None
            pg.locator("#corrections summary").click()
            pg.evaluate("window.scrollTo(0, 0)")
            snap(pg, shots, "entity-corrections")
            # undo: both entities are back as they were
            pg.click("#correction-notice button.undo")
            expect(pg.locator("#correction-notice.undone")).to_have_count(1)  # the same address, reloaded
            assert "Undone" in pg.locator("#correction-notice").inner_text()
            assert fold["name"] not in aliases(pg)
            assert same(browse.entity_by_id(st, keep["id"]), keep) and same(browse.entity_by_id(st, fold["id"]), fold)
            # split one document's mention out: the new entity's page, with its own undo
            pg.locator("#corrections summary").click()
            box = pg.locator("#split-form input[name=member]").first
            member = box.get_attribute("value")
            box.check()
            pg.click("#split-form button[type=submit]")
            pg.wait_for_url(lambda u: "/entity/" in u and keep["id"] not in u)
            new_id = pg.url.split("/entity/")[1].split("?")[0]
            assert new_id not in (keep["id"], fold["id"])
            assert "into this new entity" in pg.locator("#correction-notice").inner_text()
            assert "nothing to split" in (pg.locator("#split-form").text_content() or "")
            assert [m["member"] for m in corrections_members(st, new_id)] == [member]
            pg.click("#correction-notice button.undo")
            pg.wait_for_url(f"**/entity/{keep['id']}?log=*")
            assert "back here" in pg.locator("#correction-notice").inner_text()
            assert same(browse.entity_by_id(st, keep["id"]), keep) and browse.entity_by_id(st, new_id) is None
        assert watch.dialogs == []
        assert [e for e in watch.errors if "422" not in e] == []  # the refused merge's 422 is logged
    finally:
        st.close()


def test_entity_corrections_carry_the_token(page: tuple[Any, Watch], sample_corpus_db: Path,
                                            tmp_path: Path) -> None:
    """With a server token, the panel's requests carry it in the session cookie that the printed
    link sets (HttpOnly: our script never sees it); without the cookie nothing is reachable."""
    from playwright.sync_api import expect

    from tests.test_web_api import copy_db

    pg, watch = page
    st = Store.open(copy_db(sample_corpus_db, tmp_path), create=False)
    try:
        ent = browse.list_entities(st, q="Harakat", type="ORG", order="documents", limit=1)[0]
        with serve(st, token="s3cret-tk") as url:
            assert pg.goto(f"{url}/entity/{ent['id']}").status == 401
            pg.goto(f"{url}/entity/{ent['id']}?token=s3cret-tk")
            assert "token" not in pg.url and "s3cret" not in pg.content()
            pg.locator("#corrections summary").click()
            pg.locator("#split-form input[name=member]").first.check()
            pg.click("#split-form button[type=submit]")
            pg.wait_for_url(lambda u: "/entity/" in u and ent["id"] not in u)
            expect(pg.locator("#correction-notice button.undo")).to_be_enabled()
            assert pg.evaluate("document.cookie") == ""  # HttpOnly: not for scripts
        assert watch.dialogs == []
    finally:
        st.close()


def aliases(pg: Any) -> list[str]:
    return [str(a) for a in pg.locator("header.entity-head .alias").all_inner_texts()]


def same(now: dict[str, Any] | None, before: dict[str, Any]) -> bool:
    """An entity as it was: its id, type, counts and names (which of them is the display name
    may differ once the linker recomputes it)."""
    return now is not None and all(now[k] == before[k] for k in ("id", "type", "documents", "mentions")) and (
        {now["name"], *now["aliases"]} == {before["name"], *before["aliases"]})


def corrections_members(store: Store, entity_id: str) -> list[dict[str, Any]]:
    from claimgraph.corpus.merge_log import members

    return members(store, entity_id)[0]


# -- the analyst's workspace (#16) ----------------------------------------------------------------

def test_map_draws_borders_offline_and_a_click_lists_events(page: tuple[Any, Watch], base_url: str,
                                                             shots: list[Path]) -> None:
    pg, watch = page
    asked: list[str] = []
    pg.on("request", lambda r: asked.append(r.url))
    pg.goto(base_url + "/map")
    pg.wait_for_selector('#world-map[data-ready="1"]', timeout=20_000)
    assert int(pg.locator("#world-map").get_attribute("data-borders_drawn") or 0) > 200
    assert pg.locator("path.country").count() > 200 and pg.locator("path.shaded").count() >= 1
    # states and provinces: Natural Earth's admin-1 lines appear from zoom level 4 (the sample
    # corpus's points fit at 4 or more; zooming in twice makes sure)
    for _ in range(2):
        if pg.locator("#world-map[data-admin1_drawn]").count():
            break
        pg.locator(".leaflet-control-zoom-in").click()
        pg.wait_for_timeout(600)
    pg.wait_for_selector("#world-map[data-admin1_drawn]", timeout=20_000)
    assert int(pg.locator("#world-map").get_attribute("data-admin1_drawn") or 0) > 5000
    assert pg.locator("path.admin1").count() >= 1
    assert [u for u in asked if not u.startswith(base_url)] == []  # no tiles, no CDN
    point = pg.locator("path.event-point")
    target = point.first if point.count() else pg.locator(".marker-cluster").first
    target.click(force=True)
    pg.wait_for_function("document.querySelectorAll('#map-panel-list li').length > 0")
    first = pg.locator("#map-panel-list li").first
    assert first.locator('a[href^="/document/"]').count() == 1
    snap(pg, shots, "map")
    # zoom: the control changes the map's zoom
    before = pg.evaluate("document.querySelector('.leaflet-proxy') ? 1 : 0")
    pg.locator(".leaflet-control-zoom-in").click()
    assert before == 1
    assert watch.errors == [] and watch.dialogs == []


def test_entity_list_searches_as_one_types_and_pages(page: tuple[Any, Watch], base_url: str,
                                                     shots: list[Path]) -> None:
    pg, watch = page
    pg.goto(base_url + "/entities")
    total = pg.locator("#entities-total").inner_text()
    assert pg.locator("#entity-table tbody tr").count() == 50
    pg.locator('a[rel="next"]').first.click()
    pg.wait_for_url("**/entities?*page_no=2*")
    assert pg.locator("#entity-table tbody tr").count() >= 1
    pg.goto(base_url + "/entities")
    pg.locator("#f-q").press_sequentially("Ghazan", delay=30)
    from playwright.sync_api import expect

    expect(pg.locator("#entities-total")).not_to_have_text(total, timeout=10_000)
    names = pg.locator("#entity-table tbody td:first-child").all_inner_texts()
    assert names and len(names) < 50 and any("Ghazanfar" in n for n in names)
    snap(pg, shots, "entities")
    assert watch.errors == [] and watch.dialogs == []


def test_disagreements_list_the_conflicting_tolls(page: tuple[Any, Watch], base_url: str,
                                                  shots: list[Path]) -> None:
    pg, watch = page
    pg.goto(base_url + "/disagreements?kind=event")
    flagged = pg.locator("li.disagreement.numbers-differ")
    assert flagged.count() >= 2
    jani = flagged.filter(has=pg.locator("h2", has_text="2025-01-14")).filter(has_text="Jani Khel").first
    tolls = jani.locator("li.toll").all_inner_texts()
    assert any(t.startswith("3 ") and "police" in t.lower() for t in tolls), tolls
    assert any(t.startswith("11 ") for t in tolls), tolls
    jani.locator("h2").evaluate("el => el.scrollIntoView()")
    snap(pg, shots, "disagreements")
    assert watch.errors == [] and watch.dialogs == []
