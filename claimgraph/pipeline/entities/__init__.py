"""Stage ``entities``: one entity per real-world actor or place in the article.

The rules (:mod:`.rules`, over :mod:`claimgraph.pipeline.mentions` and
:mod:`claimgraph.pipeline.names`) find the mentions, group them and type each group; non-prose
lines (:mod:`.nonprose`) give no entities; cue words (:mod:`.cue_rules`, :mod:`.aliases`) add
evidence, missed places and aliases; the learned typer (:mod:`.model`, weights in
``claimgraph/models/entity_typer``) then re-types entities and repairs mention spans where the
rules stop generalising. ``Settings(disabled_models={"entity_typer"})`` (or ``use_models=False``)
runs the rules alone. Submodules are imported when the stage is built, so that
:mod:`claimgraph.pipeline.names` may read the cue lexicon without an import cycle.
"""

from __future__ import annotations

from typing import Any

from claimgraph.model import Analysis, Entity
from claimgraph.pipeline import Stage
from claimgraph.settings import Settings

__all__ = ["extract_entities", "make_stage"]


def extract_entities(doc: Any, text: str, gazetteer: Any = None) -> tuple[Entity, ...]:
    """The rules' entities of one parsed text (see :func:`.rules.extract_entities`)."""
    from claimgraph.pipeline.entities.rules import extract_entities as rules_entities

    return rules_entities(doc, text, gazetteer)


def make_stage(settings: Settings) -> Stage:
    from claimgraph.pipeline.entities.rules import extract_entities as rules_entities
    from claimgraph.pipeline.gazetteer import load_gazetteer
    from claimgraph.pipeline.names import lexicon

    lexicon()  # read the word lists once, before the first document
    gazetteer = load_gazetteer(settings.gazetteer_min_population)
    typer = None
    if settings.model_enabled("entity_typer"):
        from claimgraph.pipeline.entities.model import load_typer

        typer = load_typer()

    def run(analysis: Analysis) -> Analysis:
        if analysis.doc is None:
            from claimgraph.errors import PipelineError

            raise PipelineError("stage 'entities' needs the 'nlp' stage to run first")
        text = analysis.document.text
        entities = rules_entities(analysis.doc, text, gazetteer)
        if typer is not None:
            entities = typer.refine(entities, analysis.doc, text, gazetteer)
        return analysis.add(entities=entities)

    return run
