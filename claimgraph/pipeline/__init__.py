"""The pipeline: one explicit table of named stages, run in order.

A stage is built once per :class:`Pipeline` by its factory (``Settings -> Stage``), so
models and gazetteers load once and are reused for every document. Each stage is a
plain ``Analysis -> Analysis`` function that reads the layers earlier stages wrote and
adds its own; :meth:`Pipeline.__call__` checks that every stage returns an Analysis for
the same document.

Work per document is bounded (#19, #20): a text longer than ``Settings.max_text_chars`` is
rejected before any stage runs, and a document gets ``Settings.time_budget_s`` seconds
(:mod:`claimgraph.pipeline.budget`). A stage that spends the rest of the budget is cut, with
the stages after it: the document keeps the layers made so far and a note that says which
were cut — unless the cut stage is ``nlp``, which every other stage needs: then the document
is rejected (:class:`~claimgraph.errors.OverBudget`) with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from time import monotonic  # not `import time`: `claimgraph.pipeline.time` is a stage module

from claimgraph.errors import InputTooLarge, OverBudget, PipelineError, UnknownStage
from claimgraph.model import Analysis, Document
from claimgraph.pipeline.budget import BudgetSpent, alarm
from claimgraph.settings import Settings

Stage = Callable[[Analysis], Analysis]
StageFactory = Callable[[Settings], Stage]


def _nlp(settings: Settings) -> Stage:
    from claimgraph.pipeline import nlp

    return nlp.make_stage(settings)


def _entities(settings: Settings) -> Stage:
    from claimgraph.pipeline import entities

    return entities.make_stage(settings)


def _time(settings: Settings) -> Stage:
    from claimgraph.pipeline import time

    return time.make_stage(settings)


def _places(settings: Settings) -> Stage:
    from claimgraph.pipeline import places

    return places.make_stage(settings)


def _claims(settings: Settings) -> Stage:
    from claimgraph.pipeline import claims

    return claims.make_stage(settings)


def _events(settings: Settings) -> Stage:
    from claimgraph.pipeline import events

    return events.make_stage(settings)


def _relations(settings: Settings) -> Stage:
    from claimgraph.pipeline import relations

    return relations.make_stage(settings)


#: name -> factory, in the order they run.
STAGES: dict[str, StageFactory] = {
    "nlp": _nlp,
    "entities": _entities,
    "time": _time,
    "places": _places,
    "claims": _claims,
    "events": _events,
    "relations": _relations,
}

#: the article :meth:`Pipeline.warm_up` analyses (our own writing)
WARM_UP_TEXT = ("Police in Bannu said on Sunday that gunmen attacked a checkpoint near Peshawar, killing two "
                "constables. \"They came from the hills,\" Inspector Rafiq Anwar told reporters.")

#: bump when a stage's output changes, so stored analyses can be re-processed (#5).
PIPELINE_VERSION = "4"


class Pipeline:
    """The configured stages, loaded once; call it on a Document or an Analysis."""

    def __init__(self, settings: Settings | None = None, *, stages: Iterable[str] | None = None) -> None:
        self.settings = settings or Settings()
        names = tuple(stages) if stages is not None else self.settings.stages
        for name in names:
            if name not in STAGES:
                raise UnknownStage(f"No stage {name!r}. Available: {', '.join(STAGES)}")
        order = list(STAGES)
        self.names = tuple(sorted(names, key=order.index))
        self._stages = [(name, STAGES[name](self.settings)) for name in self.names]

    def __call__(self, item: Document | Analysis) -> Analysis:
        analysis = item if isinstance(item, Analysis) else Analysis(document=item)
        doc = analysis.document
        if len(doc.text) > self.settings.max_text_chars:
            raise InputTooLarge(doc.url or f"document {doc.id[:12]}",
                                f"text of {len(doc.text):,} characters is over the limit of "
                                f"{self.settings.max_text_chars:,}")
        budget = self.settings.time_budget_s
        deadline = monotonic() + budget if budget > 0 else None
        for n, (name, stage) in enumerate(self._stages):
            left = None if deadline is None else deadline - monotonic()
            try:
                if left is not None and left <= 0:
                    raise BudgetSpent
                with alarm(left or 0):
                    result = stage(analysis)
            except BudgetSpent:
                return self._cut(analysis, n)
            if not isinstance(result, Analysis):
                raise PipelineError(f"stage {name!r} returned {type(result).__name__}, not Analysis")
            if result.document is not analysis.document:
                raise PipelineError(f"stage {name!r} replaced the document; stages may only add layers")
            analysis = result.add(stages=(*result.stages, name))
        return analysis

    def warm_up(self) -> None:
        """Run a short article of our own through every stage with no time budget, so that what
        stages load on first use (gazetteers, lexicons, models) is loaded before the first real
        document's budget starts: otherwise a worker's first document could be cut for the loading
        time alone. The :class:`~claimgraph.analyzer.Analyzer` calls it when it loads its pipeline."""
        settings = self.settings
        self.settings = replace(settings, time_budget_s=0)
        try:
            self(Document.from_text(WARM_UP_TEXT, published="2025-03-03", source_format="text"))
        finally:
            self.settings = settings

    def _cut(self, analysis: Analysis, n: int) -> Analysis:
        """The analysis as far as the budget reached: stage ``n`` and those after it cut, with a note."""
        doc = analysis.document
        budget = self.settings.time_budget_s
        cut = [name for name, _ in self._stages[n:]]
        if "nlp" in cut:
            raise OverBudget(doc.url or f"document {doc.id[:12]}",
                             f"over the time budget of {budget:g} s in stage 'nlp' ({len(doc.text):,} characters)")
        note = f"time budget of {budget:g} s spent in stage {cut[0]!r}: not run: {', '.join(cut)}"
        return analysis.add(document=replace(doc, notes=(*doc.notes, note)))


__all__ = ["PIPELINE_VERSION", "STAGES", "Pipeline", "Stage", "StageFactory"]
