"""Training examples for the event type classifier, from PLV, IndiaPoliceEvents and the
project's own annotated articles (``corpus/events_*.jsonl``).

Each example is one trigger token's features (:func:`features.trigger_features`) and a label:
a PLOVER root type, or ``NONE`` for a mention that reports no political act.

* **PLV** (a dyad and its type per sentence): the trigger that links the dyad
  (:func:`pairs.pair_trigger`, with the path's words) gets the gold type; up to two other
  mentions of the sentence that the rules leave untyped are ``NONE`` (reporting verbs among
  them: "said" is a claim's cue, not an act).
* **IndiaPoliceEvents** (sentence labels for what the police did): in a sentence labelled
  ARREST, the arrest mentions (the rules' COERCE or an arrest lemma of ``ipe_labels.yaml``) are
  COERCE; in a sentence labelled KILL or FORCE, the force mentions are ASSAULT. In sentences
  without labels, one untyped mention in three is ``NONE``. Other mentions give no example
  (a mob's attack is no police action but still an ASSAULT).
* **Own articles**: every annotated event trigger gets its type; every other verb mention, and
  every other noun mention the rules leave untyped, is ``NONE`` (an unannotated "the attack" may
  be a second mention of an annotated one, so a typed noun gives no example).

spaCy parses are cached as DocBin files under a cache folder (one per input file and
content hash), so a corpus is parsed once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.evaluate.data import Record, read_records
from claimgraph.evaluate.events_scoring import plover_type
from claimgraph.evaluate.ipe_labels import load_lexicon, repair
from claimgraph.pipeline.events.features import trigger_features
from claimgraph.pipeline.events.lexicon import EventLexicon
from claimgraph.pipeline.events.mentions import is_mention, type_of_token
from claimgraph.pipeline.events.model import NONE
from claimgraph.pipeline.events.pairs import pair_heads, pair_trigger


@dataclass(frozen=True, slots=True)
class Example:
    features: list[str]
    label: str
    #: the source record (PLV cross-validation folds split by it)
    record: str
    corpus: str


def parse(nlp: Any, texts: Sequence[str], cache: Path | None, key: str) -> list[Any]:
    """spaCy docs of ``texts``, read from the DocBin cache when it holds the same texts."""
    from spacy.tokens import DocBin

    digest = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{key}-{digest}.spacy" if cache is not None else None
    if path is not None and path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=64))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        bin_ = DocBin(attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START",
                             "MORPH"])
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(path)
    return docs


def _mentions(doc: Any, lex: EventLexicon, lo: int = 0, hi: int | None = None) -> Iterator[Any]:
    for tok in doc[lo: len(doc) if hi is None else hi]:
        if is_mention(tok, lex)[0]:
            yield tok


def plv_examples(records: Sequence[Record], docs: Sequence[Any], lex: EventLexicon) -> list[Example]:
    out: list[Example] = []
    for rec, doc in zip(records, docs, strict=True):
        for pair in rec.layer("pairs"):
            actor, recipient = pair.get("actor"), pair.get("recipient")
            if actor is None or recipient is None:
                continue
            tok, path = pair_trigger(doc, (actor["start"], actor["end"]), (recipient["start"], recipient["end"]), lex)
            if tok is None:
                continue
            heads = pair_heads(doc, (actor["start"], actor["end"]), (recipient["start"], recipient["end"]))
            out.append(Example(trigger_features(tok, lex, path, heads), plover_type(str(pair["type"])), rec.id, "plv"))
            taken = {tok.i, *(t.i for t in path)}
            others = [t for t in _mentions(doc, lex) if t.i not in taken and type_of_token(t, lex) is None]
            for other in others[:2]:
                out.append(Example(trigger_features(other, lex), NONE, rec.id, "plv"))
    return out


def ipe_examples(records: Sequence[Record], docs: Sequence[Any], lex: EventLexicon) -> list[Example]:
    ipe = load_lexicon()
    arrest = set(ipe.arrest_lemmas)
    force = set(ipe.force_lemmas) | set(ipe.police_force_lemmas) | set(ipe.kill_lemmas)
    out: list[Example] = []
    for rec, doc in zip(records, docs, strict=True):
        _, origin = repair(rec.text)
        back = {o: i for i, o in enumerate(origin)}
        for k, sent in enumerate(rec.layer("sentences")):
            start, end = back.get(int(sent["start"])), back.get(int(sent["end"]))
            if start is None or end is None:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            labels = set(sent["labels"])
            for tok in _mentions(doc, lex, span.start, span.end):
                rule = type_of_token(tok, lex)
                lemma = tok.lemma_.lower()
                label = None
                if "ARREST" in labels and (rule == "COERCE" or lemma in arrest):
                    label = "COERCE"
                elif labels & {"KILL", "FORCE"} and (rule == "ASSAULT" or lemma in force):
                    label = "ASSAULT"
                elif not labels and rule is None and k % 3 == 0:
                    label = NONE
                if label is not None:
                    out.append(Example(trigger_features(tok, lex), label, rec.id, "indiapoliceevents"))
    return out


def own_examples(records: Sequence[Record], docs: Sequence[Any], lex: EventLexicon) -> list[Example]:
    out: list[Example] = []
    for rec, doc in zip(records, docs, strict=True):
        gold: dict[int, str] = {}
        for ev in rec.layer("events"):
            span = doc.char_span(ev["start"], ev["end"], alignment_mode="expand")
            if span is not None and len(span):
                gold[span.root.i] = plover_type(str(ev["type"]))
        for tok in doc:
            if tok.i in gold:
                out.append(Example(trigger_features(tok, lex), gold[tok.i], rec.id, "claimgraph"))
            elif (found := is_mention(tok, lex))[0] and (not found[1] or type_of_token(tok, lex) is None):
                out.append(Example(trigger_features(tok, lex), NONE, rec.id, "claimgraph"))
    return out


def load(path: Path, *, split: str | None = None) -> list[Record]:
    """The records of a data file (of one split when ``split`` is given)."""
    return [r for r in read_records(path) if split is None or r.raw.get("split") == split]


def ipe_text(rec: Record) -> str:
    return repair(rec.text)[0]


__all__ = ["Example", "ipe_examples", "ipe_text", "load", "own_examples", "parse", "plv_examples"]
