"""HTML ingest on pages written for the project: what must survive, what must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import NoArticleBody
from claimgraph.ingest import CannedFetcher, FetchResult, document_from_bytes, load_document
from claimgraph.ingest.html import canonical_url, parse_tree
from claimgraph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()


def test_news_page_keeps_the_article_and_drops_the_furniture() -> None:
    doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS)
    for sentence in (
        "The Saltmere Port Authority suspended all night-time container handling on Wednesday",
        "Nobody was injured in the collapse, which happened during a shift change at the eastern terminal",
        '"We will not restart night operations until every crane on the eastern quay has been inspected',
        "with perishable cargo diverted to the smaller harbour at Wendleby.",
    ):
        assert sentence in doc.text
    for junk in (
        "cookies", "Accept all", "Most read", "Council approves new ferry timetable",
        "Subscribe to our newsletter",
        "Leave a Reply", "Your email address will not be published", "Post Comment", "Share this",
        "Click to share", "All rights reserved", "About us", "Privacy policy", "Weather",
    ):
        assert junk not in doc.text, junk


def test_news_page_metadata() -> None:
    doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS)
    assert doc.title == "Port authority halts night shipments after crane collapse"
    assert doc.author == "Mirela Vantongeren"
    assert doc.published == "2024-03-14"
    assert doc.site == "The Coastal Ledger"
    # the canonical link wins over og:url, which carries a tracking parameter
    assert doc.url == "https://coastal-ledger.example/news/port-crane-collapse"
    assert doc.source_format == "html"
    assert doc.notes == ()


def test_headline_leads_the_text_once() -> None:
    doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS)
    assert doc.title is not None
    assert doc.text.startswith(doc.title + "\n\nThe Saltmere Port Authority")
    assert doc.text.count(doc.title) == 1


def test_paragraphs_are_separated_by_blank_lines() -> None:
    doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS)
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 6
    assert all("\n" not in p for p in paragraphs)


def test_caller_url_and_date_override_the_page() -> None:
    doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS,
                        url="https://mirror.example/copy/17", published="15 March 2024")
    assert doc.url == "https://mirror.example/copy/17"
    assert doc.published == "2024-03-15"


def test_comment_form_inside_the_article_is_cut() -> None:
    doc = load_document(FIXTURES / "blog_comment_form.html", settings=SETTINGS)
    assert doc.text.endswith("could not be justified.")
    # a sentence that mentions comments is article text
    assert "the comments from the public gallery were blunt" in doc.text
    for junk in ("Leave a Reply", "Your email address", "Required fields", "Save my name", "Post Comment"):
        assert junk not in doc.text
    assert any("trailing boilerplate" in note and "Leave a Reply" in note for note in doc.notes)


def test_meta_date_only() -> None:
    doc = load_document(FIXTURES / "blog_comment_form.html", settings=SETTINGS)
    assert doc.published == "2023-11-02"
    assert not any("guessed" in note for note in doc.notes)


def test_date_in_page_text_only_is_found_by_htmldate_and_flagged() -> None:
    doc = load_document(FIXTURES / "text_date_page.html", settings=SETTINGS)
    assert doc.published == "2022-03-05"
    assert "publication date guessed from the page text (htmldate)" in doc.notes


def test_page_of_only_navigation_has_no_article() -> None:
    with pytest.raises(NoArticleBody) as info:
        load_document(FIXTURES / "nav_only.html", settings=SETTINGS)
    assert info.value.reason == "no article text found in the HTML"
    assert str(info.value) == f"{FIXTURES / 'nav_only.html'}: no article text found in the HTML"


def test_html_without_body_text() -> None:
    data = b"<!DOCTYPE html><html><head><title>Nothing here</title></head><body></body></html>"
    with pytest.raises(NoArticleBody):
        document_from_bytes(data, origin="empty.html", settings=SETTINGS)


def test_fragment_is_read_as_html() -> None:
    data = (b"<p>The ferry operator said the later crossing carried fewer than a dozen passengers"
            b" on most nights.</p>")
    doc = document_from_bytes(data, origin="<stdin>", settings=SETTINGS)
    assert doc.source_format == "html"
    assert doc.text == ("The ferry operator said the later crossing carried fewer than a dozen passengers"
                        " on most nights.")


def test_same_article_as_html_and_as_text_has_the_same_id() -> None:
    html_doc = load_document(FIXTURES / "harbour_page.html", settings=SETTINGS)
    as_text = html_doc.text.replace("\n\n", "\r\n\r\n") + "\r\n"
    text_doc = document_from_bytes(as_text.encode("utf-8"), origin="harbour.txt", settings=SETTINGS)
    assert text_doc.source_format == "text"
    assert text_doc.title == html_doc.title
    assert text_doc.id == html_doc.id


def test_fetched_page_without_canonical_keeps_the_final_url() -> None:
    page = (FIXTURES / "text_date_page.html").read_bytes()
    fetcher = CannedFetcher({
        "https://fish.example/q": FetchResult(page, "text/html; charset=utf-8", "https://fish.example/quota-talks"),
    })
    doc = load_document("https://fish.example/q", settings=SETTINGS, fetcher=fetcher)
    assert doc.url == "https://fish.example/quota-talks"
    assert fetcher.requested == ["https://fish.example/q"]


def test_relative_canonical_is_resolved_against_the_page_url() -> None:
    tree = parse_tree('<html><head><link rel="canonical" href="/news/a-1"></head><body></body></html>',
                      origin="t")
    assert canonical_url(tree, base="https://ledger.example/amp/news/a-1") == "https://ledger.example/news/a-1"
    assert canonical_url(tree, base=None) is None  # a relative link alone is no URL


def test_title_that_the_h1_extends_is_not_printed_twice() -> None:
    page = (
        b"<html><head><title>Port authority halts night shipments</title></head><body><article>"
        b"<h1>Port authority halts night shipments after crane collapse</h1>"
        b"<p>The port authority suspended all night-time container handling on Wednesday after a crane"
        b" folded onto an empty berth, its operations director said.</p></article></body></html>"
    )
    doc = document_from_bytes(page, origin="p.html", settings=SETTINGS)
    assert doc.text.startswith("Port authority halts night shipments after crane collapse\n\nThe port")
    assert doc.text.count("Port authority halts night shipments") == 1
