"""claimgraph: news articles into a graph of who, what happened, when, where, and who says so.

The public surface is small and pinned by a test (``tests/test_public_api.py``)::

    import claimgraph
    result = claimgraph.analyze("article.html", published="2025-05-12")
    result.to_json()   # a claimgraph.document/1 object

    corpus = claimgraph.open_store("claimgraph.db")   # many articles: see claimgraph.corpus.api
    corpus.ingest(["articles/"]); corpus.entity("HNI")
"""

from claimgraph.analyzer import Analyzer, analyze, analyze_text
from claimgraph.corpus.api import Corpus, open_store
from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Analysis, Document, Entity, Span, Timex
from claimgraph.settings import Settings

__version__ = "0.1.0"

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
