"""Stage ``claims``: who says what, and on whose word.

The stage's parts, one module per concept:

- :mod:`.rules`: the hand-written passes (direct quotes, headlines, indirect speech,
  "according to", floating quotes) over the parse and the cue lexicon
  (``claimgraph/lexicons/attribution.yaml``); the fallback and the comparison;
- :mod:`.base`, :mod:`.frames`, :mod:`.sources`: their shared machinery, verb frames, and
  the speaker a pronoun or a continued quote refers to;
- :mod:`.features` and :mod:`.model`: the learned cue and span taggers (CRFs, BBC Citron's
  pattern) that revise the rules' output, shipped in ``claimgraph/models/attribution/``.

``Settings(use_models=False)`` or ``disabled_models={"attribution"}`` runs the rules alone.
"""

from __future__ import annotations

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis
from claimgraph.pipeline import Stage
from claimgraph.pipeline.claims import model as attribution_model
from claimgraph.pipeline.claims.rules import extract_claims
from claimgraph.pipeline.coref import attribution_lexicon
from claimgraph.settings import Settings


def make_stage(settings: Settings) -> Stage:
    """The claims stage: the word lists and (unless switched off) the model load once, here."""
    lex = attribution_lexicon()
    model = attribution_model.load() if settings.model_enabled(attribution_model.NAME) else None

    def run(analysis: Analysis) -> Analysis:
        if analysis.doc is None:
            raise PipelineError("stage 'claims' needs the 'nlp' stage to run first")
        return analysis.add(claims=extract_claims(analysis, lex, model))

    return run


__all__ = ["extract_claims", "make_stage"]
