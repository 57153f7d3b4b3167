"""The pipeline: one explicit table of named stages, run in order.

A stage is built once per :class:`Pipeline` by its factory (``Settings -> Stage``), so
models and gazetteers load once and are reused for every document. Each stage is a
plain ``Analysis -> Analysis`` function that reads the layers earlier stages wrote and
adds its own; :meth:`Pipeline.__call__` checks that every stage returns an Analysis for
the same document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from claimgraph.errors import PipelineError, UnknownStage
from claimgraph.model import Analysis, Document
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
        for name, stage in self._stages:
            result = stage(analysis)
            if not isinstance(result, Analysis):
                raise PipelineError(f"stage {name!r} returned {type(result).__name__}, not Analysis")
            if result.document is not analysis.document:
                raise PipelineError(f"stage {name!r} replaced the document; stages may only add layers")
            analysis = result.add(stages=(*result.stages, name))
        return analysis


__all__ = ["PIPELINE_VERSION", "STAGES", "Pipeline", "Stage", "StageFactory"]
