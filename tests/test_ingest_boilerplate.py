"""The trailing-boilerplate cutter: whole lines only, never the article itself."""

from __future__ import annotations

import pytest

from claimgraph.ingest.boilerplate import classify, cut_trailing, lexicon

ARTICLE = (
    "Harbour council delays vote on dredging contract\n\n"
    "The Saltmere harbour council postponed a vote on a six-year dredging contract on Tuesday after two"
    " members said they had not been shown the final price.\n\n"
    "The harbour master warned that silt in the outer channel was already forcing larger ferries to wait"
    " for high tide, and said the delay could cost operators more than the contract itself."
)


def test_lexicon_loads_and_compiles() -> None:
    lex = lexicon()
    assert lex.comment_section and lex.trailer


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Leave a Reply", "comment_section"),
        ("Leave a Reply to Ines Oduya Cancel reply", "comment_section"),
        ("Your email address will not be published. Required fields are marked *", "comment_section"),
        ("Required fields are marked *", "comment_section"),
        ("Post Comment", "comment_section"),
        ("12 Comments", "comment_section"),
        ("3 thoughts on “Harbour council delays vote”", "comment_section"),
        ("Share this:", "trailer"),
        ("  • Share this article", "trailer"),
        ("Click to share on Facebook (Opens in new window)", "trailer"),
        ("Like this:", "trailer"),
        ("Related posts", "trailer"),
        ("Subscribe to our newsletter", "trailer"),
        ("Sign up for the morning briefing", "trailer"),
        ("Follow us on Mastodon", "trailer"),
        ("© 2024 The Coastal Ledger. All rights reserved.", "trailer"),
        ("Comments", "trailer"),
        # mentions are not markers
        ("Readers left 300 comments on the post.", None),
        ("The minister declined to share this information with the committee.", None),
        ("Copyright holders have until March to respond.", None),
        ("Sign up for the vaccination programme opened on Monday, officials said, and more than forty"
         " thousand people registered in the first six hours.", None),
    ],
)
def test_classify(line: str, kind: str | None) -> None:
    assert classify(line) == kind


def test_share_block_at_the_end_is_cut() -> None:
    cut = cut_trailing(ARTICLE + "\n\nShare this:\nFacebook\nX\n\nLike this:\nLike Loading...")
    assert cut is not None
    assert cut.text == ARTICLE
    assert cut.marker == "Share this"


def test_comment_section_with_readers_prose_is_cut() -> None:
    comments = (
        "\n\n2 Comments\n\nHarbourWatcher says:\nThis contract has been a scandal from the start and the"
        " council should publish every version of the tender documents before anyone votes on it.\n\n"
        "Leave a Reply\nYour email address will not be published."
    )
    cut = cut_trailing(ARTICLE + comments)
    assert cut is not None and cut.text == ARTICLE


def test_trailer_followed_by_article_prose_is_kept() -> None:
    text = ARTICLE.replace(
        "\n\nThe harbour master",
        "\n\nSign up for our newsletter\n\nThe harbour master",
    )
    assert cut_trailing(text) is None


def test_never_cuts_the_whole_article() -> None:
    assert cut_trailing("Share this:\nFacebook\nLeave a Reply\nPost Comment") is None
    # a headline alone is not enough article to keep
    assert cut_trailing("Harbour council delays vote on dredging contract\n\nLeave a Reply") is None


def test_nothing_to_cut() -> None:
    assert cut_trailing(ARTICLE) is None


def test_a_page_of_only_share_buttons_is_empty() -> None:
    from claimgraph.errors import EmptyInput
    from claimgraph.ingest import document_from_bytes
    from claimgraph.settings import Settings

    data = b"Share this:\nClick to share on Facebook\nLike this:\n\nLeave a Reply\nPost Comment\n"
    with pytest.raises(EmptyInput) as info:
        document_from_bytes(data, origin="share.txt", settings=Settings())
    assert info.value.reason == "no article text, only share/comment/subscribe boilerplate"
