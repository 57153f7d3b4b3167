"""claimgraph: news articles into a graph of who, what happened, when, where, and who says so.

The public surface is small and pinned by a test (``tests/test_public_api.py``)::

    import claimgraph
    result = claimgraph.analyze("article.html", published="2025-05-12")
    result.to_json()   # a claimgraph.document/1 object

    corpus = claimgraph.open_store("claimgraph.db")   # many articles: see claimgraph.corpus.api
    corpus.ingest(["articles/"]); corpus.entity("HNI")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Analysis, Document, Entity, Span, Timex
from claimgraph.settings import Settings

if TYPE_CHECKING:
    from claimgraph.analyzer import Analyzer, analyze, analyze_text
    from claimgraph.corpus.api import Corpus, open_store

__version__ = "0.1.0"

#: names imported on first use: the analyzer pulls in spaCy and the ingest libraries and the
#: corpus pulls in SQLAlchemy, which a CLI's ``--help`` or a rejected input should not wait for.
_LAZY = {"Analyzer": "claimgraph.analyzer", "analyze": "claimgraph.analyzer",
         "analyze_text": "claimgraph.analyzer", "Corpus": "claimgraph.corpus.api",
         "open_store": "claimgraph.corpus.api"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

__all__ = [
    "Analysis",
    "Analyzer",
    "ClaimgraphError",
    "Corpus",
    "Document",
    "Entity",
    "InputError",
    "Settings",
    "Span",
    "Timex",
    "__version__",
    "analyze",
    "analyze_text",
    "open_store",
]
