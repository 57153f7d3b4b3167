"""The entity layer's rules: one entity per real-world actor or place in the article.

Mentions (from :mod:`mentions`) are grouped so that every surname, acronym and short
form joins the full name it stands for, and each group gets one type decided on the
evidence of all its mentions. Full names are grouped first, so that a short form finds
the full name even when the short form comes first (a headline's "Qureshi"). When a
short form fits several entities (two Sharifs), the nearest preceding mention wins.
Finally the text is scanned for further uses of the names found, which spaCy's small
model often misses ("the FSB" later in the article).

The gazetteer (the same one the ``places`` stage resolves against) is read here as
evidence only: a name it knows as a city or country counts towards a place type, a
people's name ("Ukrainian") towards NORP, and a proper noun spaCy missed next to it
("near Gwoza") becomes a mention. Which place a name denotes is the ``places`` stage's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from claimgraph.ingest.text import byline
from claimgraph.model import Entity, Span
from claimgraph.pipeline.entities.aliases import alias_mentions, merge_aliases
from claimgraph.pipeline.entities.cue_rules import (
    conjoined_places,
    cue_evidence,
    cue_mentions,
    join_group_names,
    place_phrases,
)
from claimgraph.pipeline.entities.cues import cues
from claimgraph.pipeline.entities.nonprose import LineIndex, dateline_places
from claimgraph.pipeline.gazetteer import Gazetteer
from claimgraph.pipeline.mentions import (
    W_CUE,
    W_LABEL,
    Evidence,
    Mention,
    find_mentions,
    new_evidence,
    roles_of,
)
from claimgraph.pipeline.names import (
    acronym_matches,
    best_name,
    clean_name,
    compound_short_forms,
    country_keys,
    is_acronym,
    is_generic,
    lexicon,
    name_key,
    person_given_forms,
    person_short_forms,
)
from claimgraph.pipeline.span_index import SpanIndex

#: tie-break between types with equal evidence
_TYPE_PRIORITY = ("PERSON", "ORG", "GPE", "EVENT", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW", "OTHER")
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: a name the gazetteer knows as a city, region or country outweighs one spaCy label
W_GAZETTEER = 1.5
_GAZETTEER_FEATURES = frozenset({"city", "admin1", "admin2", "country", "region"})


@dataclass(slots=True)
class Cluster:
    """Mentions of one entity and the evidence for its type.

    Cues from the text (titles, "Operation", "district", the gazetteer) add up mention by
    mention. spaCy's labels do not: its small model makes the same mistake on every use of
    a name ("Ryanair" a PERSON five times), so n labels count 1 + ln(n) times one label.
    """

    mentions: list[Mention] = field(default_factory=list)
    cues: Evidence = field(default_factory=new_evidence)
    labels: Counter[str] = field(default_factory=Counter)
    #: the same for the full-name mentions alone: what short forms are matched against, so
    #: that the order in which short forms join cannot change what joins next
    core_cues: Evidence = field(default_factory=new_evidence)
    core_labels: Counter[str] = field(default_factory=Counter)

    def add(self, mention: Mention, *, partial: bool) -> None:
        self.mentions.append(mention)
        for etype, weight in mention.evidence.items():
            self.cues[etype] += weight
            if not partial:
                self.core_cues[etype] += weight
        if partial:
            # a short form's own label counts for nothing: a surname of a PERSON is a PERSON
            # even where spaCy calls the bare surname an ORG or a GPE
            return
        if mention.place_name:
            # a known place's name, used in full: "Kyiv" is a city even where spaCy says
            # PERSON. Not for short forms, or every "Clinton" would make Bill Clinton a town.
            self.cues["GPE"] += W_GAZETTEER
            self.core_cues["GPE"] += W_GAZETTEER
        if mention.label:
            self.labels[mention.label] += 1
            self.core_labels[mention.label] += 1

    @staticmethod
    def _best(cues: Evidence, labels: Counter[str]) -> str:
        scores = new_evidence(**cues)
        for label, n in labels.items():
            scores[label] += W_LABEL * (1 + math.log(n))
        if not scores:
            return "OTHER"
        return max(scores, key=lambda t: (scores[t], -_TYPE_PRIORITY.index(t)))

    @property
    def type(self) -> str:
        return self._best(self.cues, self.labels)

    @property
    def core_type(self) -> str:
        if self.core_cues or self.core_labels:
            return self._best(self.core_cues, self.core_labels)
        return self.type

    def distance(self, mention: Mention) -> int:
        """How far the nearest mention of this cluster is; preceding ones count as nearer."""
        gaps = [mention.span.start - m.span.end if m.span.end <= mention.span.start
                else 2 * (m.span.start - mention.span.end) for m in self.mentions]
        return min((g for g in gaps if g >= 0), default=1 << 30)


@lru_cache(maxsize=1)
def _institution_heads() -> frozenset[str]:
    """Nouns that end institution names and stand for them alone once introduced
    ("the Commission", "the Agency", "the Court")."""
    lex = lexicon()
    return lex.org_words_strong | lex.org_nouns


def _short_form_of(mention: Mention, cluster: Cluster, brand_words: frozenset[str] = frozenset()) -> bool:
    key = mention.key
    if is_acronym(mention.name):
        conventional = cues().conventional_acronym
        return any(acronym_matches(mention.name, m.name) or conventional(mention.name, m.name)
                   for m in cluster.mentions)
    if key in country_keys():
        return False  # "Indonesia" is neither a surname nor short for "Garuda Indonesia"
    if cluster.core_type == "PERSON":
        # a surname: a PERSON even when spaCy calls it an ORG or a GPE on its own
        return any(key in person_short_forms(m.name) for m in cluster.mentions) \
            or _given_name_of(mention, cluster, brand_words)
    if mention.evidence.get("PERSON", 0) > 0:
        return False  # a title or role noun says this one is a person
    if mention.type in _PLACE_TYPES and cluster.core_type not in _PLACE_TYPES \
            and (mention.place_name or mention.evidence.get(mention.type or "", 0) > 0):
        return False  # "Singapore" (a known place) is not short for "Singapore Airlines"
    if cluster.core_type in _PLACE_TYPES:
        return False  # places are not shortened to their first word: "Maiduguri" is not its road
    if mention.type == "ORG" and cluster.core_type == "PRODUCT":
        return False  # the maker "Boeing" is not short for its "Boeing 787"
    if mention.parts == 1 and key in _institution_heads() and cluster.core_type != "PERSON" and any(
            m.parts > 1 and name_key(clean_name(m.name).split()[-1]) == key and m.span.start < mention.span.start
            for m in cluster.mentions):
        return True  # "the Commission" after "the European Commission": the head noun, once introduced
    if mention.parts > 1 and cluster.core_type == "ORG" and any(
            m.span.start < mention.span.start and _qualified_by(m.name, mention.name) for m in cluster.mentions):
        return True  # "the Security Council" after "the U.N. Security Council"
    # "Lashkar" for "Lashkar-e-Taiba" anywhere; "Vyoma" for "Vyoma Technologies" only after
    # the full name was introduced: an "Apple" before "Apple Worldwide Developers
    # Conference" is Apple itself
    return any(key in compound_short_forms(m.name)
               and ("-" in m.name.split()[0] or m.span.start < mention.span.start)
               for m in cluster.mentions)


def _qualified_by(full: str, short: str) -> bool:
    """Whether ``full`` is ``short`` with a qualifier before it that names whose body it is:
    an acronym or a country ("U.N. Security Council" for "Security Council", "Pakistan Army"
    for "Army" is not asked: ``short`` has two words or more)."""
    if not full.endswith(" " + short):
        return False
    qualifier = full[:-len(short)].strip()
    return is_acronym(qualifier) or name_key(qualifier) in country_keys() or name_key(qualifier) == "united nations"


def _given_name_of(mention: Mention, cluster: Cluster, brand_words: frozenset[str]) -> bool:
    """The given name alone ("Hamidullah", "Maulana Idris" -> "Idris", "Haji Saad Ullah") for a
    person's full name in the same article -- not where the word opens two or more different
    names of the article (a brand's or a family's word), nor where the gazetteer knows it as a
    place and spaCy does not say person."""
    if mention.key in brand_words or (mention.place_name and mention.label != "PERSON"):
        return False  # "Ford" of "Ford Australia" and "Ford Falcon" is not a given name
    return any(m.parts > mention.parts and mention.key in person_given_forms(m.name) for m in cluster.mentions)


def _surname_evidence(mentions: list[Mention]) -> None:
    """A full name whose last word is used alone for a person elsewhere in the article is a
    person's name too, even where spaCy called the full name an organisation."""
    person_words = {m.key for m in mentions if m.parts == 1 and m.type == "PERSON"}
    for m in mentions:
        if m.parts > 1 and m.label != "PERSON" and name_key(clean_name(m.name).split()[-1]) in person_words:
            m.evidence["PERSON"] += W_LABEL


def _opening_words(mentions: list[Mention]) -> frozenset[str]:
    """First words that open two or more different multi-word names of the article ("Ford" of
    "Ford Australia" and "Ford Falcon"): a brand's or a family's word, not a given name."""
    names: dict[str, set[str]] = {}
    for m in mentions:
        words = m.name.split()
        if len(words) > 1:
            names.setdefault(name_key(words[0]), set()).add(m.key)
    return frozenset(word for word, full in names.items() if len(full) > 1)


def cluster_mentions(mentions: list[Mention]) -> list[Cluster]:
    _surname_evidence(mentions)
    brand_words = _opening_words(mentions)
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    defined: dict[int, Cluster] = {}
    # full names first, then acronyms the text defines (their full name now has a cluster),
    # then every short form, longest first
    order = sorted(mentions, key=lambda m: (
        0 if m.parts > 1 and m.defines is None else 1 if m.defines is not None else 2,
        -m.parts, -len(m.name), m.span.start))
    for mention in order:
        if mention.defines is not None and id(mention.defines) in defined:
            target = defined[id(mention.defines)]
            target.add(mention, partial=True)
            by_key.setdefault(mention.key, target)
            continue
        cluster = by_key.get(mention.key)
        if cluster is not None:
            cluster.add(mention, partial=False)
        else:
            fits = [c for c in clusters if _short_form_of(mention, c, brand_words)]
            if fits:
                # each use of a short form is settled on its own: "Sharif" may be two people
                cluster = min(fits, key=lambda c: c.distance(mention))
                cluster.add(mention, partial=True)
            else:
                cluster = Cluster()
                cluster.add(mention, partial=False)
                clusters.append(cluster)
                by_key.setdefault(mention.key, cluster)
        defined[id(mention)] = cluster
    return clusters


def _forms(cluster: Cluster) -> set[str]:
    """Surface forms worth searching the text for: names already used for this entity, a
    person's surname, and the first word of a company's or group's name ("Vyoma" for
    "Vyoma Technologies", "Lashkar" for "Lashkar-e-Taiba")."""
    lex = lexicon()
    names = {m.name for m in cluster.mentions}
    full = best_name(names)
    words = full.split()
    if cluster.type == "PERSON" and len(words) > 1:
        names.add(words[-1])
        given = person_given_forms(full)
        # the given name alone, later or earlier in the article ("Hamidullah" of "Hamidullah Ghazanfar")
        names.update(g for g in (" ".join(words[:k]) for k in range(1, len(words))) if name_key(g) in given)
        names.update(w for w in words[1:2] if name_key(w) in given)
    elif cluster.type == "PRODUCT":
        # "the 787" and "777s" after "Boeing 787": the model designation names the product
        for name in list(names):
            for word in name.split()[1:]:
                if _DESIGNATION.match(word) and not _YEAR.match(word):
                    names.update({word, word + "s"})
    elif cluster.type == "ORG":
        parts = [p for p in full.replace("-", " ").split() if p]
        if len(parts) > 1 and ("-" in words[0] or parts[-1].lower() in lex.org_words_strong):
            names.add(words[0].split("-")[0])
    out = set()
    for name in names:
        if (len(name) < 3 and not is_acronym(name)) or name_key(name) in lex.calendar_words:
            continue
        if " " not in name and not is_acronym(name) and (is_generic(name) or name_key(name) in country_keys()):
            continue
        out.add(name)
    return out


def rescan(text: str, doc: object, clusters: list[Cluster]) -> None:
    """Add later uses of known names that spaCy did not tag (a name used once is used again)."""
    owners: dict[str, set[int]] = {}
    for idx, cluster in enumerate(clusters):
        for form in _forms(cluster):
            owners.setdefault(form, set()).add(idx)
    forms = sorted((f for f, o in owners.items() if len(o) == 1), key=len, reverse=True)
    if not forms:
        return
    taken = SpanIndex(m.span for c in clusters for m in c.mentions)  # linear in mentions (#19)
    pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w\-])")
    starts = {t.idx for t in doc}  # type: ignore[attr-defined]
    ends = {t.idx + len(t.text) for t in doc}  # type: ignore[attr-defined]
    for match in pattern.finditer(text):
        start, end = match.span()
        if start not in starts or end not in ends:
            continue
        span = Span.of(text, start, end)
        if taken.overlaps(span):
            continue
        (idx,) = owners[match.group(0)]
        clusters[idx].mentions.append(
            Mention(span=span, name=clean_name(span.text), key=name_key(span.text), label=None)
        )
        taken.add(span)


_DESIGNATION = re.compile(r"^[A-Z]{0,3}-?\d{2,}[A-Za-z0-9-]*$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "nummod"})
_THE_BEFORE = re.compile(r"(?<![\w-])[Tt]he\s+$")


def with_article(span: Span, text: str, doc: Any) -> Span:
    """The mention as the noun phrase the text uses: "the GAO", "the Lashkar". The name
    (and every alias) leaves "the" out; the mention span keeps it, as annotators do, unless
    the name only modifies the noun the article belongs to ("the Apple operating system")."""
    if span.text[:4].lower() == "the ":
        return span
    last = doc.char_span(span.start, span.end, alignment_mode="expand")
    if last is not None and len(last) and last[-1].dep_ in _MODIFIER_DEPS and last[-1].head.i > last[-1].i:
        return span
    match = _THE_BEFORE.search(text, max(0, span.start - 8), span.start)
    return Span.of(text, match.start(), span.end) if match else span


def _honorific_forms(mentions: list[Mention]) -> list[str]:
    """Names as written with the honorific the name leaves out ("Qari Usman Haider" for "Usman
    Haider"): kept as aliases, so that a search for the form an article used finds the person."""
    honorifics = cues().honorifics
    out = []
    for m in mentions:
        written = clean_name(m.span.text)
        if written != m.name and written.endswith(m.name) and written.split()[0].lower() in honorifics:
            out.append(written)
    return out


def build_entities(clusters: list[Cluster], text: str, doc: Any) -> tuple[Entity, ...]:
    ordered = sorted(clusters, key=lambda c: min(m.span.start for m in c.mentions))
    entities = []
    for n, cluster in enumerate(ordered, 1):
        ordered_mentions = sorted(cluster.mentions, key=lambda m: m.span.start)
        names = [m.name for m in ordered_mentions]
        canonical = best_name([m.name for m in ordered_mentions if not m.declared_alias] or names)
        seen = {name_key(canonical)}
        aliases = []
        for name in [*names, *_honorific_forms(ordered_mentions)]:
            if name_key(name) not in seen:
                seen.add(name_key(name))
                aliases.append(name)
        spans = [m.span if cluster.type == "PERSON" else with_article(m.span, text, doc) for m in cluster.mentions]
        mentions = tuple(sorted(spans, key=lambda s: (s.start, s.end)))
        roles: Counter[str] = Counter()
        for m in cluster.mentions:
            roles.update(roles_of(m.span, doc, person=cluster.type == "PERSON"))
        entities.append(Entity(id=f"e{n}", name=canonical, type=cluster.type, aliases=tuple(aliases),
                               mentions=mentions, roles=tuple(r for r, _ in roles.most_common())))
    return tuple(entities)


def mark_place_names(mentions: list[Mention], gazetteer: Gazetteer | None) -> None:
    """Note which names the gazetteer knows as a place's name, and which as a people's."""
    if gazetteer is None:
        return
    for m in mentions:
        if gazetteer.demonym(m.name):
            # "Ukrainian", "Pakistanis": a people, even in "the Russian region of Belgorod"
            m.evidence["NORP"] += W_GAZETTEER + W_CUE
            continue
        if m.evidence.get("PERSON", 0) > 0:
            continue  # a title or a role noun already said person
        m.place_name = any(match.place.feature in _GAZETTEER_FEATURES for match in gazetteer.lookup(m.name))


def gazetteer_mentions(doc: Any, text: str, gazetteer: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """Places spaCy's NER missed ("near Gwoza", "in Khyber Pakhtunkhwa"): a run of up to four
    capitalised proper nouns, not at the start of a sentence, that the gazetteer knows as a
    city's, region's or country's own name (the whole run: a word of a longer capitalised name,
    "Chief Operating Officer", "App Store", is not a place)."""
    lex = lexicon()
    common = lex.person_titles | lex.role_nouns | lex.org_nouns | lex.org_words_strong | lex.org_words_weak

    def word(i: int) -> bool:
        tok = doc[i]
        return tok.pos_ == "PROPN" and tok.is_title and tok.is_alpha and not tok.ent_type_ \
            and tok.lower_ not in common

    taken = SpanIndex(m.span for m in mentions)
    found = []
    i = 0
    while i < len(doc):
        if not word(i) or (i > 0 and doc[i - 1].is_title and doc[i - 1].is_alpha):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and word(j + 1):
            j += 1
        run = doc[i:j + 1]
        i = j + 1
        if run[0].is_sent_start or len(run) > 4 or (j + 1 < len(doc) and doc[j + 1].is_title and doc[j + 1].is_alpha):
            continue
        name = run.text
        if len(name) < 4 or (len(run) == 1 and is_generic(name)):
            continue
        span = Span.of(text, run.start_char, run.end_char)
        if taken.overlaps(span):
            continue
        if any(not m.alternate and m.place.feature in _GAZETTEER_FEATURES for m in gazetteer.lookup(name)):
            found.append(Mention(span=span, name=name, key=name_key(name), label=None,
                                 evidence=new_evidence(GPE=W_LABEL), place_name=True))
    return found


def extract_entities(doc: Any, text: str, gazetteer: Gazetteer | None = None) -> tuple[Entity, ...]:
    lines = LineIndex(text)
    mentions = [m for m in find_mentions(doc, text) if not lines.drops(m.span.start, m.span.end)]
    mentions = join_group_names(place_phrases(text, mentions), text)
    mentions += dateline_places(text, lines, mentions)
    mentions += cue_mentions(doc, text, mentions)
    mentions += alias_mentions(text, mentions)
    if gazetteer is not None:
        mentions += gazetteer_mentions(doc, text, gazetteer, mentions)
    mark_place_names(mentions, gazetteer)
    cue_evidence(mentions, doc)
    conjoined_places(mentions, doc)
    clusters = merge_aliases(cluster_mentions(mentions), text)
    rescan(text, doc, clusters)
    entities = _outside_nonprose(build_entities(clusters, text, doc), lines)
    return _outside_byline(entities, text)


def _outside_nonprose(entities: tuple[Entity, ...], lines: LineIndex) -> tuple[Entity, ...]:
    """Mentions the rescan found in tables, credits or navigation go too."""
    out = []
    for ent in entities:
        kept = tuple(m for m in ent.mentions if not lines.drops(m.start, m.end))
        if kept:
            out.append(ent if len(kept) == len(ent.mentions) else replace(ent, mentions=kept))
    return tuple(out)


def _outside_byline(entities: tuple[Entity, ...], text: str) -> tuple[Entity, ...]:
    """The writer and the outlet of a byline ("By Hina Qazi, Border Wire") are the document's
    metadata, not actors of the story: their mentions there are dropped (the outlet named in
    the story itself stays an entity)."""
    found = byline(text)
    if found is None:
        return entities
    start, end = found[0], found[1]
    out = []
    for ent in entities:
        kept = tuple(m for m in ent.mentions if not (start <= m.start and m.end <= end))
        if kept:
            out.append(ent if len(kept) == len(ent.mentions) else replace(ent, mentions=kept))
    return tuple(out)
