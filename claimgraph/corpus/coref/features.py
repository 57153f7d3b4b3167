"""Features of one candidate pair (a document entity, a corpus entity) for the learned
decision: what the name keys found, how much more the names share, and what the articles
around them share.

Every feature is a number in [0, 1] (counts are capped and scaled), so the logistic
regression's weights read directly as evidence, and a new feature cannot dominate by scale.
Dates and outlets are not features: the resolver's document entities do not carry them
(the articles of one story share days and outlets as often as those of two stories do in
ECB+, and the key table the linker reads has neither).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimgraph.corpus.resolve_keys import KIND_SCORES, given_compatible, type_group
from claimgraph.pipeline.names import clean_name, initials, is_acronym, lexicon, name_key

if TYPE_CHECKING:
    from claimgraph.corpus.resolve import CorpusEntity, DocEntity

#: the kinds a pair may come from: the name keys' kinds and a name typed person here, organisation there
KINDS = (*KIND_SCORES, "type differs")

_VOWELS = re.compile(r"(?<=.)[aeiouyhw]")
_REPEAT = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """A romanisation key: the consonants of a word after its first letter, doubles folded
    ("Sadullah", "Saadullah" -> "sdl"; "Haider", "Hyder" -> "hdr")."""
    return _REPEAT.sub(r"\1", _VOWELS.sub("", word))


def _words(names: Iterable[str]) -> set[str]:
    return {w for n in names for w in name_key(n).replace("-", " ").split() if w}


def _bare(name: str) -> str:
    """A name without titles and honorifics ("Maulana Idris" -> "idris")."""
    from claimgraph.pipeline.entities.cues import cues

    drop = lexicon().person_titles | cues().honorifics | cues().ambiguous_honorifics
    return " ".join(w for w in name_key(name).split() if w.strip(".") not in drop)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True, slots=True)
class PairContext:
    """What the resolver knows about the candidate set beside the pair itself."""

    kind: str
    #: name keys co-mentioned in this document (and of the entities it has already joined)
    context: frozenset[str]
    #: how many candidates the document entity has, and how many share as many co-mentions as this one
    candidates: int
    tied: int
    #: the most co-mentions any *other* candidate shares
    others_shared: int
    #: another entity of this document has joined the candidate already
    taken: bool = False
    #: the rules' score when they join this candidate (0: they do not)
    rules_score: float = 0.0
    #: the rules join another candidate
    rules_other: bool = False


FEATURE_NAMES: tuple[str, ...] = (
    *(f"kind={k}" for k in KINDS), "kind score", "same type", "person", "organisation", "place",
    "name words jaccard", "same last word", "same first word", "bare names equal", "skeletons equal",
    "skeleton words jaccard", "given names agree", "acronym of the other", "one-word name here",
    "one-word name there", "form seen on the entity", "shared co-mentions (of 5)", "any shared co-mention",
    "shared share of context", "more shared than the others", "only candidate", "ties (of 5)",
    "shared role noun", "entity documents (log)", "mentions here (log)",
    "person x one-word", "person x shared", "short kinds x shared", "taken by another entity here",
    "taken x same name", "the rules join it", "the rules' score", "the rules join another",
)


def pair_features(ent: DocEntity, ce: CorpusEntity, pc: PairContext) -> list[float]:
    """The feature vector of one pair, in the order of :data:`FEATURE_NAMES`."""
    group = type_group(ent.type)
    mine = [ent.name, *ent.aliases]
    theirs = [ce.name, *ce.aliases]
    words_here, words_there = _words(mine), _words(theirs)
    key_here, key_there = name_key(ent.name), name_key(ce.name)
    last_here, last_there = key_here.split()[-1:] or [""], key_there.split()[-1:] or [""]
    first_here, first_there = key_here.split()[:1] or [""], key_there.split()[:1] or [""]
    bare_here = {_bare(n) for n in mine} - {""}
    bare_there = {_bare(n) for n in theirs} - {""}
    skel_here = {" ".join(skeleton(w) for w in b.split()) for b in bare_here}
    skel_there = {" ".join(skeleton(w) for w in b.split()) for b in bare_there}
    skw_here = {skeleton(w) for w in words_here}
    skw_there = {skeleton(w) for w in words_there}
    acronym = any(is_acronym(clean_name(a)) and name_key(a) in initials(b) for a in mine for b in theirs) or \
        any(is_acronym(clean_name(b)) and name_key(b) in initials(a) for a in mine for b in theirs)
    shared = len(ce.cooccurring.keys() & pc.context)
    one_here = len(key_here.split()) == 1
    one_there = len(key_there.split()) == 1
    person = group == "person"
    short_kind = pc.kind in ("surname of", "short form", "given name", "same surname", "trailing form")
    feats = [1.0 if pc.kind == k else 0.0 for k in KINDS]
    feats += [
        KIND_SCORES.get(pc.kind, 0.5),
        1.0 if ent.type == ce.type else 0.0,
        1.0 if person else 0.0,
        1.0 if group == "org" else 0.0,
        1.0 if group == "place" else 0.0,
        _jaccard(words_here, words_there),
        1.0 if last_here == last_there else 0.0,
        1.0 if first_here == first_there else 0.0,
        1.0 if bare_here & bare_there else 0.0,
        1.0 if skel_here & skel_there else 0.0,
        _jaccard(skw_here, skw_there),
        1.0 if person and any(given_compatible(a, b) for a in mine for b in theirs) else 0.0,
        1.0 if acronym else 0.0,
        1.0 if one_here else 0.0,
        1.0 if one_there else 0.0,
        1.0 if ce.forms.get(key_here, 0) else 0.0,
        min(shared, 5) / 5,
        1.0 if shared else 0.0,
        shared / len(pc.context) if pc.context else 0.0,
        1.0 if shared > pc.others_shared else 0.0,
        1.0 if pc.candidates == 1 else 0.0,
        min(pc.tied - 1, 5) / 5,
        1.0 if set(ent.roles) & set(ce.roles) else 0.0,
        min(math.log1p(len(ce.docs)) / 5, 1.0),
        min(math.log1p(ent.mentions) / 3, 1.0),
        1.0 if person and one_here else 0.0,
        min(shared, 5) / 5 if person else 0.0,
        min(shared, 5) / 5 if short_kind else 0.0,
        1.0 if pc.taken else 0.0,
        1.0 if pc.taken and key_here in {name_key(n) for n in theirs} else 0.0,
        1.0 if pc.rules_score else 0.0,
        pc.rules_score,
        1.0 if pc.rules_other else 0.0,
    ]
    return feats


__all__ = ["FEATURE_NAMES", "KINDS", "PairContext", "pair_features", "skeleton"]
