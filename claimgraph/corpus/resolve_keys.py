"""Name keys for cross-document entity resolution: under which keys a corpus entity is
filed, and which keys a new document's entity is looked up by.

The name forms are the entity stage's own (:mod:`claimgraph.pipeline.names`): the rules
that join "Qureshi" to "Hafiz Rahman Qureshi" inside one article are the rules that join
them across articles, so the two layers never disagree about what counts as the same
name. What this module adds is the direction: across documents either side may hold the
short form (an article that only ever says "Reid" may arrive before the one that says
"Tara Reid"), so every kind of match is filed both ways.

A key is ``"<space>:<normalised form>"``; the space says what the stored form is:

- ``name``: a name or alias as written (name_key);
- ``short``: a short form the full name may be cut to (surname, leading parts);
- ``initials``: an acronym the full name may be written as;
- ``acronym``: a name that *is* an acronym (probed with a full name's initials).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claimgraph.pipeline.names import (
    clean_name,
    compound_short_forms,
    country_keys,
    initials,
    is_acronym,
    lexicon,
    name_key,
    person_short_forms,
)

#: entity types that may denote the same actor: an organisation is often typed NORP by one
#: article and ORG by another ("the Taliban"); places flip between GPE, LOC and FAC.
TYPE_GROUPS: dict[str, str] = {"PERSON": "person", "ORG": "org", "NORP": "org",
                               "GPE": "place", "LOC": "place", "FAC": "place"}

#: match kinds, strongest first, with the score a unique match of that kind gets
KIND_SCORES: dict[str, float] = {"same name": 0.95, "alias": 0.9, "acronym": 0.85,
                                 "surname of": 0.75, "short form": 0.7}
#: kinds a unique candidate needs shared context for: "Boeing" is not "Boeing Commercial
#: Airplanes", nor "Apple" "Apple Corps", unless the articles share other actors
NEEDS_CONTEXT = frozenset({"short form"})
#: legal forms a company name may carry or drop (see ``legal_stem``; the list is lexicon data)
LEGAL_FORMS = lexicon().legal_forms


def type_group(entity_type: str) -> str:
    """The compatibility class of a type; types outside the table only match themselves."""
    return TYPE_GROUPS.get(entity_type, entity_type)


def compatible(a: str, b: str) -> bool:
    return type_group(a) == type_group(b)


def is_single_word(name: str) -> bool:
    return len(clean_name(name).split()) == 1


def legal_stem(name: str) -> str | None:
    """The key of a company name without its legal form ("Apple Inc." -> "apple"), or None
    when it has none: with or without "Inc." it is one company."""
    words = name_key(name).replace(",", " ").split()
    n = len(words)
    while n > 1 and words[n - 1] in LEGAL_FORMS:
        n -= 1
    return " ".join(words[:n]) if n < len(words) else None


def filed_keys(canonical: str, entity_type: str, names: Iterable[str], aliases: Iterable[str]) -> set[str]:
    """Every key a corpus entity is filed under: ``names`` are its members' own names, ``aliases``
    the other forms their articles used.

    A form that is only a short form of the canonical name ("Velasko" of "Lena Velasko") is
    filed as a short form, not a name: as a name it would make the next bare "Velasko" an
    exact match for whichever Velasko was first called so. An organisation's members' own
    names stay names ("Boeing" is the company even once "Boeing Commercial Airplanes" joins).
    """
    person = type_group(entity_type) == "person"
    own_shorts = (person_short_forms(canonical) if person else compound_short_forms(canonical)) \
        - {name_key(canonical)}
    keys: set[str] = set()
    names = list(names)
    for form in (*names, *aliases):
        key = name_key(form)
        if not key:
            continue
        if key not in own_shorts or (not person and form in names):
            keys.add("name:" + key)
        if person:
            keys.update("short:" + k for k in person_short_forms(form))
            continue
        stem = legal_stem(form)
        if stem:
            keys.add("name:" + stem)
        keys.update("short:" + k for k in compound_short_forms(form) if k not in country_keys())
        keys.update("initials:" + k for k in initials(form))
        if is_acronym(clean_name(form)):
            keys.add("acronym:" + key)
    return keys


@dataclass(frozen=True, slots=True)
class Probe:
    """One key to look up, the match kind a hit means, and whether the hit must be an
    entity known only by a short form (a full name meeting a bare "Reid")."""

    key: str
    kind: str
    short_only: bool = False


def probes(name: str, aliases: Iterable[str], entity_type: str) -> list[Probe]:
    """The keys a document entity is looked up by, strongest kind first."""
    person = type_group(entity_type) == "person"
    forms = [name, *aliases]
    out = [Probe("name:" + name_key(name), "same name")]
    out += [Probe("name:" + name_key(a), "alias") for a in aliases if name_key(a)]
    if not person:
        out += [Probe("name:" + stem, "alias") for stem in map(legal_stem, forms) if stem]
    for form in forms:
        if not is_acronym(clean_name(form)) or person:
            continue
        out.append(Probe("initials:" + name_key(form), "acronym"))
    if not person:
        for form in forms:
            out += [Probe("acronym:" + k, "acronym") for k in initials(form)]
    for form in forms:
        if person:
            if is_single_word(form):
                out.append(Probe("short:" + name_key(form), "surname of"))
            else:
                out += [Probe("name:" + k, "surname of", short_only=True) for k in person_short_forms(form)]
                # "Idris Ghazanfar" for "Muhammad Idris Ghazanfar": a name without its first given name
                out.append(Probe("short:" + name_key(form), "surname of"))
        elif not is_acronym(clean_name(form)):
            out.append(Probe("short:" + name_key(form), "short form"))
            out += [Probe("name:" + k, "short form", short_only=True)
                    for k in compound_short_forms(form) if k not in country_keys()]
    return [p for p in out if p.key.split(":", 1)[1]]


__all__ = ["KIND_SCORES", "LEGAL_FORMS", "NEEDS_CONTEXT", "TYPE_GROUPS", "Probe", "compatible", "filed_keys",
           "is_single_word", "legal_stem", "probes", "type_group"]
