"""Training and measuring data of the attribution models: records with their parse, cached.

Parsing PolNeAR's 9.6 MB of text takes long on a small machine, so every data file is parsed
once into a spaCy ``DocBin`` in a cache folder (default ``/work/cache/claims``, else
``$TMPDIR``), keyed by the file's content hash; the entities stage runs on the cached parse
each time (it is fast, and the entity layer is a feature the models may see change).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from claimgraph.evaluate.data import Record, read_many
from claimgraph.model import Analysis, Document, Span
from claimgraph.pipeline import STAGES
from claimgraph.pipeline.nlp import load_model
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "attribution" / "polnear"
CORPUS = Path(__file__).resolve().parent / "corpus"


def default_cache() -> Path:
    """Where parses are cached: ``$CLAIMGRAPH_CACHE`` or /work/cache/claims, else the temp folder."""
    env = os.environ.get("CLAIMGRAPH_CACHE")
    if env:
        return Path(env)
    work = Path("/work/cache/claims")
    return work if work.parent.is_dir() else Path(tempfile.gettempdir()) / "claimgraph-cache"


def own_articles(split: str) -> list[Record]:
    """The project's own annotated attribution articles (``corpus/claims_*.jsonl``) of one split."""
    files = sorted(CORPUS.glob("claims_*.jsonl"))
    return [r for r in read_many(files) if r.raw.get("split") == split and "attributions" in r.raw]


def _key(records: Sequence[Record], model: str) -> str:
    digest = hashlib.sha1(model.encode())
    for rec in records:
        digest.update(rec.id.encode())
        digest.update(rec.text.encode())
    return digest.hexdigest()[:16]


def parsed(records: Sequence[Record], settings: Settings, cache: Path | None = None) -> list[Any]:
    """spaCy docs of the records' texts, with their token vectors, from the cache when it has them."""
    from spacy.tokens import DocBin

    nlp = load_model(settings.spacy_model)
    folder = cache or default_cache()
    key = _key(records, settings.spacy_model)
    path = folder / f"parse-{key}.spacy"
    if path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        return _with_vectors(docs, nlp, folder / f"tensor-{key}.npz")
    docs = list(nlp.pipe((r.text for r in records), batch_size=16))
    folder.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=False)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(path)
    _save_vectors(docs, folder / f"tensor-{key}.npz")
    return docs


def _save_vectors(docs: Sequence[Any], path: Path) -> None:
    import numpy as np

    np.savez(path, **{f"d{i}": doc.tensor.astype(np.float16) for i, doc in enumerate(docs)})


def _with_vectors(docs: list[Any], nlp: Any, path: Path) -> list[Any]:
    """The cached docs with their tok2vec vectors (``doc.tensor``, which a DocBin does not keep),
    read from a companion file, or computed once by the model's tok2vec layer and saved there."""
    import numpy as np

    if path.is_file():
        with np.load(path) as saved:
            for i, doc in enumerate(docs):
                doc.tensor = saved[f"d{i}"].astype(np.float32)
        return docs
    docs = list(nlp.get_pipe("tok2vec").pipe(docs, batch_size=16))
    _save_vectors(docs, path)
    return docs


def analyses(records: Sequence[Record], settings: Settings, cache: Path | None = None) -> Iterator[Analysis]:
    """Each record as an Analysis with its parse (cached) and the entities stage run on it."""
    entities = STAGES["entities"](settings)
    for rec, doc in zip(records, parsed(records, settings, cache), strict=True):
        analysis = Analysis(document=Document.from_text(rec.text, published=rec.published))
        sentences = tuple(Span.of(rec.text, s.start_char, s.end_char) for s in doc.sents)  # type: ignore[attr-defined]
        yield entities(analysis.add(doc=doc, sentences=sentences))


__all__ = ["CORPUS", "SHARED", "analyses", "default_cache", "own_articles", "parsed"]
