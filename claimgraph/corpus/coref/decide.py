"""The learned decision among a document entity's candidates: score every pair, merge with
the best when it clears the threshold and no other candidate comes close; a near tie goes
back to the rules' tie-breaks (usage, the largest of several copies of a full name), which
know things about the corpus a pair score does not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimgraph.corpus.coref.features import PairContext, pair_features

if TYPE_CHECKING:
    from claimgraph.corpus.coref.model import PairModel
    from claimgraph.corpus.resolve import CorpusEntity, DocEntity


@dataclass(frozen=True, slots=True)
class PairChoice:
    """The model's verdict: ``corpus_id`` to join (None: make the entity new, or ``tie``: let the
    rules choose among ``ranked``), with every candidate's probability, best first."""

    corpus_id: str | None
    kind: str
    score: float
    ranked: tuple[tuple[str, float], ...]
    tie: bool = False


class PairDecider:
    """Scores (document entity, corpus entity) pairs with a :class:`PairModel`."""

    def __init__(self, model: PairModel) -> None:
        self.model = model

    @staticmethod
    def features(ent: DocEntity, cands: Mapping[str, str], entities: Mapping[str, CorpusEntity],
                 context: frozenset[str], taken: frozenset[str] = frozenset(),
                 rules: tuple[str, float] | None = None) -> list[tuple[str, str, list[float]]]:
        """(corpus id, kind, feature vector) of every candidate; ``taken``: the corpus entities other
        entities of this document have joined; ``rules``: the candidate the rules join, and their score."""
        shared = {cid: len(entities[cid].cooccurring.keys() & context) for cid in cands}
        out = []
        for cid, kind in cands.items():
            others = max((n for c, n in shared.items() if c != cid), default=0)
            tied = sum(1 for n in shared.values() if n == shared[cid])
            pc = PairContext(kind, context, len(cands), tied, others, cid in taken,
                             rules[1] if rules is not None and rules[0] == cid else 0.0,
                             rules is not None and rules[0] != cid)
            out.append((cid, kind, pair_features(ent, entities[cid], pc)))
        return out

    def score(self, ent: DocEntity, cands: Mapping[str, str], entities: Mapping[str, CorpusEntity],
              context: frozenset[str], taken: frozenset[str] = frozenset(),
              rules: tuple[str, float] | None = None) -> list[tuple[float, str, str]]:
        """(probability, corpus id, kind) of every candidate, best first."""
        out = [(self.model.probability(f), cid, kind)
               for cid, kind, f in self.features(ent, cands, entities, context, taken, rules)]
        out.sort(key=lambda t: (-round(t[0], 3), -len(entities[t[1]].docs), t[1]))  # equal: the larger first
        return out

    def choose(self, ent: DocEntity, cands: Mapping[str, str], entities: Mapping[str, CorpusEntity],
               context: frozenset[str], taken: frozenset[str] = frozenset(),
               rules: tuple[str, float] | None = None) -> PairChoice:
        scored = self.score(ent, cands, entities, context, taken, rules)
        ranked = tuple((cid, round(p, 3)) for p, cid, _ in scored)
        if not scored:
            return PairChoice(None, "", 0.0, ())
        best, cid, kind = scored[0]
        if best < self.model.threshold:
            return PairChoice(None, kind, round(best, 3), ranked)
        second = scored[1][0] if len(scored) > 1 else 0.0
        if self.model.threshold <= second < self.model.merge_threshold and best - second < self.model.margin:
            return PairChoice(None, kind, round(best, 3), ranked, tie=True)
        # two candidates both certain are two copies of one actor: join the larger, the resolver
        # folds the other in (its clustering step)
        return PairChoice(cid, kind, round(best, 3), ranked)


__all__ = ["PairChoice", "PairDecider"]
