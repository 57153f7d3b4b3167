"""Request-scoped access to the corpus the app serves."""

from __future__ import annotations

from fastapi import Request

from claimgraph.corpus.api import Corpus


def get_corpus(request: Request) -> Corpus:
    corpus: Corpus = request.app.state.corpus
    return corpus
