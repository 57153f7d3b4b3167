"""The server-rendered pages over the sample corpus (plus the hostile fixture article), in
process: every page answers with what a user came for, article text stays inert, unknown
ids are 404; and the pieces behind the pages (span markup, timeline, map, graph layout)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.corpus import browse
from claimgraph.corpus.profile import members_of
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app
from claimgraph.web.basemap import basemap, extent_for
from claimgraph.web.highlight import Ann, render
from claimgraph.web.layout import layout
from claimgraph.web.views import safe_url, snippet, timeline


@pytest.fixture(scope="module")
def store(sample_corpus_db: Path) -> Iterator[Store]:
    s = Store.open(sample_corpus_db, create=False)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def entity_id(store: Store, name: str, type: str | None = None) -> str:
    found = browse.list_entities(store, q=name, type=type, limit=1)
    assert found, name
    return str(found[0]["id"])


def hostile_id(store: Store) -> str:
    docs = [d for d in browse.list_documents(store, limit=200) if "<script>" in (d["title"] or "")]
    assert len(docs) == 1, "the hostile fixture article should be in the corpus"
    return str(docs[0]["id"])


def test_home_shows_stats_latest_actors_and_source_types(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    body = r.text
    assert "Latest documents" in body and "Most-mentioned actors" in body
    assert "Harakat al-Nasr al-Islami" in body
    assert 'href="/claims?source_type=anonymous"' in body  # a bar of the source-type chart
    assert re.search(r"<dt>documents</dt><dd>\d+</dd>", body)


def test_search_finds_entities_articles_and_claims(client: TestClient, store: Store) -> None:
    r = client.get("/search", params={"q": "Ghazanfar"})
    assert r.status_code == 200
    assert f'href="/entity/{entity_id(store, "Ghazanfar", "PERSON")}"' in r.text
    assert r.text.count('href="/document/') >= 3
    assert "<mark>Ghazanfar</mark>" in r.text  # the snippet marks the match
    assert client.get("/search", params={"q": '"(unbalanced'}).status_code == 200
    assert "No entity by that name" in client.get("/search", params={"q": "zzzqqq"}).text


def test_entity_page(client: TestClient, store: Store) -> None:
    eid = entity_id(store, "Harakat al-Nasr al-Islami")
    body = client.get(f"/entity/{eid}").text
    assert "HNI" in body  # an alias
    assert "Claims made by Harakat al-Nasr al-Islami" in body and "Claims about" in body
    assert '<svg class="graph"' in body and body.count('class="node ') > 3
    assert 'class="node et-ORG focus"' in body
    assert '<svg class="timeline"' in body
    assert body.count('href="/document/') > 5


def test_entity_corrections_panel_without_script(client: TestClient, store: Store) -> None:
    """Without JavaScript the panel lists the members but says corrections need a script, and
    none of its controls works; a ``?log=`` that is not this entity's correction shows nothing."""
    eid = entity_id(store, "Harakat al-Nasr al-Islami")
    body = client.get(f"/entity/{eid}").text
    panel = body[body.index('<details class="corrections"'):body.index("</details>")]
    assert "Corrections need JavaScript" in panel and "<script" not in panel
    assert not re.search(r"\son\w+\s*=", panel)  # no inline handlers: the CSP would refuse them anyway
    boxes = re.findall(r'<input type="checkbox" name="member" value="([^"]+)"[^>]*>', panel)
    expected = sorted(m["member"] for m in members_of(store, eid))
    assert 1 < len(expected) < 300 and sorted(boxes) == expected  # every member, under the page's cap
    assert all(re.fullmatch(r"[0-9a-f]+#e\d+", b) for b in boxes)
    controls = re.findall(r"<(?:input|button)\b[^>]*>", panel)
    assert controls and all(" disabled" in c for c in controls)
    assert 'id="correction-notice"' not in client.get(f"/entity/{eid}?log=0").text  # an automatic link
    assert 'id="correction-notice"' not in client.get(f"/entity/{eid}?log=99999").text
    assert client.get(f"/entity/{eid}?log=x").status_code == 422


def test_place_entity_has_a_map_pin(client: TestClient, store: Store) -> None:
    body = client.get(f"/entity/{entity_id(store, 'Bannu', 'GPE')}").text
    assert '<g class="pin">' in body and '<g class="land">' in body


def test_document_page_marks_spans_and_lists_claims(client: TestClient, store: Store) -> None:
    doc = next(d for d in browse.list_documents(store, limit=100) if d["claims"] >= 5)
    body = client.get(f"/document/{doc['id']}").text
    assert '<mark class="claim st-' in body and 'data-claim="' in body
    assert re.search(r'<span class="claim-source st-\w+" data-claim="c\d+"', body)
    assert '<span class="claim-cue"' in body and '<span class="event ev-' in body
    assert 'class="ent et-' in body and 'tabindex="0"' in body
    assert '<script type="application/json" id="doc-data">' in body
    assert "Claims by source" in body
    assert '<span class="own"' in body and "The outlet's own assertions" in body


def test_hostile_article_is_escaped(client: TestClient, store: Store) -> None:
    body = client.get(f"/document/{hostile_id(store)}").text
    scripts = re.findall(r"<script\b[^>]*>", body, flags=re.I)
    assert scripts == ['<script src="/static/app.js" defer>', '<script type="application/json" id="doc-data">']
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", body, flags=re.I)  # no event-handler attribute
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", body, flags=re.I)
    assert not re.search(r"<(img|svg|iframe)\b", body, flags=re.I)
    assert "&lt;script&gt;window.__claimgraph_pwned" in body  # the quoted markup is shown as text
    assert "<h1>Hackers deface Peshawar press club site with &lt;script&gt; tags</h1>" in body
    json_block = body.split('id="doc-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in json_block  # tojson escapes, so quoted text cannot close the block


def test_hostile_article_in_search_and_claims(client: TestClient) -> None:
    cases = (("/search", {"q": "hackers"}, "Peshawar press club site with &lt;"),
             ("/claims", {"about": "Peshawar Press Club"}, "&lt;script&gt;window.__claimgraph_pwned"),
             ("/claims", {"source": "Yousafzai"}, "an image tag"))
    for path, params, shown in cases:
        body = client.get(path, params=params).text
        assert shown in body
        assert not re.search(r"<(img|svg)\b|<[a-z][^>]*\son\w+\s*=", body, flags=re.I)
        assert len(re.findall(r"<script\b", body)) == 1


def test_claims_explorer_filters(client: TestClient) -> None:
    every = client.get("/claims").text
    anonymous = client.get("/claims", params={"source_type": "anonymous"}).text
    kinds = set(re.findall(r'<li class="claim-group" data-source-type="(\w+)"', anonymous))
    assert kinds == {"anonymous"}
    assert len(set(re.findall(r'data-source-type="(\w+)"', every))) > 2
    assert 'value="anonymous" selected' in anonymous
    single = client.get("/claims", params={"single_source": "1"}).text
    assert "single source" in single and 'name="single_source" value="1" checked' in single
    about = client.get("/claims", params={"about": "Ghazanfar"}).text
    assert about.count('class="claim-group"') < every.count('class="claim-group"')
    assert "Reported by 2 outlets" in every or "Reported by 3 outlets" in every
    ranked = client.get("/claims", params={"sort": "outlets"}).text
    counts = [int(n) for n in re.findall(r"Reported by (\d+) outlet", ranked)]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2


def test_events_page_timeline_zoom_and_map(client: TestClient) -> None:
    years = client.get("/events").text
    assert '<svg class="timeline"' in years and "zoom=month&amp;at=2025" in years
    assert '<svg class="basemap" id="event-map"' in years and years.count('class="point ev-') >= 3
    assert '<script type="application/json" id="map-data">' in years
    months = client.get("/events", params={"zoom": "month", "at": "2025"}).text
    assert "zoom=day&amp;at=2025-03" in months and "in 2025" in months
    assault = client.get("/events", params={"type": "ASSAULT"}).text
    rows = re.findall(r'<td><span class="badge ev-(\w+)">', assault)
    assert rows and set(rows) == {"ASSAULT"}


def test_graph_page_nodes_link_to_entities(client: TestClient) -> None:
    body = client.get("/graph").text
    ids = re.findall(r'<a href="/entity/([\w-]+)" class="node', body)
    assert len(ids) >= 20 and "<line " in body
    assert client.get(f"/entity/{ids[0]}").status_code == 200


@pytest.mark.parametrize("path", ["/entity/ce-000000000000", "/document/0000", "/entity/%3Cscript%3E"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "Not found" in r.text and "<script>" not in r.text


def test_static_assets_are_served(client: TestClient) -> None:
    for path in ("/static/style.css", "/static/app.js", "/static/favicon.svg"):
        assert client.get(path).status_code == 200


# -- the pieces ------------------------------------------------------------------------------------------

class _Nesting(HTMLParser):
    """Collects the text and fails on a close tag that does not match the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


LAYERS = ["own", "content", "source", "cue", "entity", "event"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab <>&\"'=/", min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(LAYERS)), max_size=8))
def test_render_nests_and_keeps_the_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    anns = [Ann(min(a, b), max(a, b), layer, f"k{i}", "a" if layer == "entity" else "span",
                (("class", layer), ("title", "<x>"), ("href", "/e")) if layer == "entity" else (("class", layer),),
                focusable=True)
            for i, (a, b, layer) in enumerate(spans)]
    out = str(render(text, anns))
    parser = _Nesting()
    parser.feed(out)
    parser.close()
    assert parser.stack == []
    assert "".join(parser.text) == text
    assert out.count('tabindex="0"') == sum(1 for a in anns if 0 <= a.start < a.end <= len(text))


def test_render_splits_crossing_spans() -> None:
    text = "Officials said the strike killed ten."
    anns = [Ann(0, 20, "content", "c", "mark", (("class", "claim"),), anchor="claim-c1", focusable=True),
            Ann(15, 25, "entity", "e", "a", (("class", "ent"), ("href", "/entity/x")))]
    out = str(render(text, anns))
    assert out.count("<mark") == 1 and out.count('id="claim-c1"') == 1
    assert out.count('<a class="ent" href="/entity/x">') == 1  # the first piece links
    assert '<span class="ent cont">' in out  # the piece past the claim's end does not
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_snippet_and_urls() -> None:
    assert str(snippet("a [<b>] c")) == "a <mark>&lt;b&gt;</mark> c"
    assert safe_url("javascript:alert(1)") is None and safe_url("https://x.example/a") == "https://x.example/a"


def test_timeline_buckets_and_zoom() -> None:
    events = [{"when_value": v, "type": t} for v, t in
              [("2025-01-14", "ASSAULT"), ("2025-01", "ACCUSE"), ("2025-03-02", "ASSAULT"), ("2024", "AID"),
               (None, "AID")]]
    years = timeline(events, zoom="year")
    assert [(b.key, b.count) for b in years.buckets] == [("2024", 1), ("2025", 3)]
    assert years.undated == 1 and years.child == "month" and years.parent is None
    months = timeline(events, zoom="month", at="2025")
    assert [(b.key, b.count) for b in months.buckets] == [("2025-01", 2), ("2025-03", 1)]
    assert months.parent == "" and len(months.events) == 3
    days = timeline(events, zoom="day", at="2025-01")
    assert [b.key for b in days.buckets] == ["2025-01-14"] and days.child is None and days.parent == "2025"
    assert timeline(events, zoom="month", at="<x>").at == ""  # a period must be an ISO prefix


def test_basemap_draws_land_where_people_live() -> None:
    extent = extent_for([(33.0, 70.6), (34.0, 71.5)], width=900, height=520)
    assert extent.east - extent.west >= 10 and extent.west < 70.6 and extent.east > 71.5
    m = basemap(extent, width=900, height=520)
    assert len(m.cells) > 200 and any(name == "Pakistan" for _x, _y, name in m.labels)
    assert 0 < m.projection.x(71.0) < 900 and 0 < m.projection.y(33.5) < 520
    sea = basemap(extent_for([(-40.0, -120.0)], width=900, height=520), width=900, height=520)
    assert len(sea.cells) < len(m.cells) / 10  # the South Pacific is nearly empty


def test_layout_is_deterministic_and_inside_the_box() -> None:
    graph = {"nodes": [{"id": f"n{i}", "name": f"N{i}", "type": "PERSON", "docs": i + 1} for i in range(12)],
             "edges": [{"source": f"n{i}", "target": f"n{(i + 1) % 10}", "kind": "co-mention", "weight": i + 1}
                       for i in range(10)]}
    one, two = layout(graph, width=500, height=300), layout(graph, width=500, height=300)
    assert one == two
    assert all(0 <= n.x <= 500 and 0 <= n.y <= 300 for n in one.nodes)
    assert len(one.edges) == 10 and {n.id for n in one.nodes} == {f"n{i}" for i in range(12)}


def test_overlapping_mentions_never_nest_links() -> None:
    from claimgraph.web.highlight import highlight

    text = "The Peshawar Press Club said so."
    obj = {"document": {"text": text}, "claims": [], "events": [], "entities": [
        {"id": "e1", "name": "Peshawar", "type": "GPE", "mentions": [{"start": 4, "end": 12, "text": "Peshawar"}]},
        {"id": "e2", "name": "Peshawar Press Club", "type": "ORG",
         "mentions": [{"start": 4, "end": 23, "text": "Peshawar Press Club"}]}]}
    out = str(highlight(obj, {"e1": "ce-1", "e2": "ce-2"}).html)
    assert out.count("<a ") == 1 and 'href="/entity/ce-2"' in out


def test_documents_list_pages(client: TestClient) -> None:
    body = client.get("/documents").text
    assert body.count('<a href="/document/') >= 30 and "page 1 of 1" in body
    assert '<a href="/document/' not in client.get("/documents", params={"page_no": 2}).text.split("<tbody>")[1]
    assert client.get("/documents", params={"page_no": "x"}).status_code == 422


def test_events_map_data_carries_evidence(client: TestClient) -> None:
    import json

    body = client.get("/events").text
    raw = body.split('<script type="application/json" id="map-data">', 1)[1].split("</script>", 1)[0]
    points = json.loads(raw)
    assert points and all(p["events"] for p in points)
    first = points[0]["events"][0]
    assert first["evidence"] and first["doc_id"] and first["type"]
