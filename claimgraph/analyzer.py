"""One article in, one Analysis out: ingest, then the pipeline.

An :class:`Analyzer` holds a loaded pipeline and is meant to be reused for many
documents (models load once); :func:`analyze` keeps one per Settings for callers who
just want a result.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import BinaryIO

from claimgraph.ingest import load_document
from claimgraph.model import Analysis, Document
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings

Source = str | os.PathLike[str] | Document


class Analyzer:
    """Ingest plus a pipeline that loads on the first document that passes ingest, so an empty,
    missing or oversized input is rejected before the models load (seconds of start-up)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """The pipeline, loaded and warmed up (:meth:`Pipeline.warm_up`) on first use, so neither
        a rejected input nor the first document's time budget pays for the loading."""
        if self._pipeline is None:
            pipeline = Pipeline(self.settings)
            pipeline.warm_up()
            self._pipeline = pipeline
        return self._pipeline

    def load(self, source: Source, *, url: str | None = None, published: str | None = None,
             stdin: BinaryIO | None = None) -> Document:
        if isinstance(source, Document):
            return source
        return load_document(source, url=url, published=published, settings=self.settings, stdin=stdin)

    def analyze(self, source: Source, *, url: str | None = None, published: str | None = None,
                stdin: BinaryIO | None = None) -> Analysis:
        document = self.load(source, url=url, published=published, stdin=stdin)  # rejects before models load
        return self.pipeline(document)


@lru_cache(maxsize=4)
def _shared(settings: Settings) -> Analyzer:
    return Analyzer(settings)


def analyze(source: Source, *, url: str | None = None, published: str | None = None,
            settings: Settings | None = None) -> Analysis:
    """Analyse one article: a file path, an http(s) URL, ``"-"`` for stdin, or a Document.

    Raises :class:`claimgraph.errors.InputError` (with the input and the reason) when the
    source cannot be read as an article.
    """
    return _shared(settings or Settings()).analyze(source, url=url, published=published)


def analyze_text(text: str, *, title: str | None = None, url: str | None = None,
                 published: str | None = None, settings: Settings | None = None) -> Analysis:
    """Analyse an article already held as a string (no ingest cleaning beyond the id)."""
    doc = Document.from_text(text, title=title, url=url, published=published, source_format="text")
    return _shared(settings or Settings()).analyze(doc)
