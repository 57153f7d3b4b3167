"""The learned pair decision of cross-document entity resolution (#17): "do this document's
entity and that corpus entity name the same actor, and how sure are we?"

The resolver (:mod:`claimgraph.corpus.resolve`) still finds the candidates by name keys and
keeps its guarantees (type agreement, one corpus entity per document entity, recorded reasons
and scores, merge/split/undo). This package only replaces the *decision* among those
candidates: :mod:`.features` describes a pair (names, types, shared co-mentions, roles,
ambiguity), :mod:`.model` scores it with a logistic regression trained on ECB+ train and the
project's own multi-document stories (``python -m claimgraph.training entity_pairs``), and
:mod:`.decide` turns the scores into a :class:`PairChoice`. ``Settings.model_enabled
("entity_pairs")`` off (``--rules-only``) leaves the rules' decision in place.
"""

from __future__ import annotations

from claimgraph.corpus.coref.decide import PairChoice, PairDecider
from claimgraph.corpus.coref.model import MODEL_NAME, PairModel, PairModelError, load_decider

__all__ = ["MODEL_NAME", "PairChoice", "PairDecider", "PairModel", "PairModelError", "load_decider"]
