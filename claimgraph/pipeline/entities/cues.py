"""The cue words of ``lexicons/entity_cues.yaml``: honorifics, alias phrases, place cue words,
languages, holidays, outlet and team nouns, non-prose line patterns. Read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.errors import PipelineError


@dataclass(frozen=True, slots=True)
class Cues:
    honorifics: frozenset[str]
    ambiguous_honorifics: frozenset[str]
    alias_cues: tuple[str, ...]
    kunya_heads: frozenset[str]
    name_prefixes: frozenset[str]
    conventional_acronyms: frozenset[str]
    place_words_after: frozenset[str]
    place_words_before: frozenset[str]
    place_nouns_of: frozenset[str]
    motion_verbs: frozenset[str]
    place_name_words: frozenset[str]
    place_name_suffixes: tuple[str, ...]
    languages: frozenset[str]
    holidays: frozenset[str]
    outlet_nouns: frozenset[str]
    team_words: frozenset[str]
    org_acronyms: frozenset[str]
    place_acronyms: frozenset[str]
    occupation_words: frozenset[str]
    group_heads: frozenset[str]
    navigation_lines: tuple[str, ...]
    credit_patterns: tuple[str, ...]

    def place_like(self, name: str) -> bool:
        """A name built like a South Asian, Middle Eastern or African place's: "Datta Khel",
        "Tangai Kalay", "Jalalabad", "Rawlakote" (a last word that is, or ends in, a cue)."""
        words = name.replace("-", " ").split()
        if not words:
            return False
        last = words[-1].lower()
        if len(words) > 1 and last in self.place_name_words:
            return True
        return len(last) >= 6 and any(last.endswith(s) and len(last) - len(s) >= 3 for s in self.place_name_suffixes)

    def conventional_acronym(self, acronym: str, long_form: str) -> bool:
        """Whether ``acronym`` is a conventional short form of ``long_form`` ("PoK" of
        "Pakistan-occupied Kashmir", "KP" of "Khyber Pakhtunkhwa"), written out or not."""
        pair = f"{acronym.replace('.', '').casefold()} = {' '.join(long_form.casefold().split())}"
        return pair in self.conventional_acronyms


_TUPLES = ("alias_cues", "place_name_suffixes", "navigation_lines", "credit_patterns")


@lru_cache(maxsize=1)
def cues() -> Cues:
    name = "entity_cues.yaml"
    try:
        raw: dict[str, Any] = yaml.safe_load(resources.files("claimgraph.lexicons").joinpath(name)
                                             .read_text(encoding="utf-8"))
        fields: dict[str, Any] = {key: (tuple(str(w).lower() for w in raw[key]) if key in _TUPLES
                                        else frozenset(str(w).lower() for w in raw[key])) for key in Cues.__slots__}
        return Cues(**fields)
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise PipelineError(f"lexicon claimgraph/lexicons/{name} is missing or malformed ({exc})") from exc
