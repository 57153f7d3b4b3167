"""Speaker resolution of pronoun sources, judged against a proxy antecedent.

PolNeAR marks who speaks ("he") but not whom the pronoun refers to: it has no coreference.
The reference is therefore approximated from the gold attributions themselves:

* a gold **pronoun source** is a source made of one personal or possessive pronoun
  (:data:`PRONOUNS`); the system **found** it when one predicted claim has a source that
  overlaps it and a cue that overlaps the gold cue (or no cue on either side);
* for third-person singular pronouns (he, she, him, his, her, hers, himself, herself: almost
  always a person), the **proxy antecedent** is the nearest gold source before the pronoun,
  in its sentence or the three before, that is not itself a pronoun and whose honorific
  (Mr./Ms./Mrs./Miss), if any, agrees with the pronoun's gender. The pronoun is judged only
  when that source is name-like (its head, before any comma, ends in a capitalised word that
  is not a determiner, a party or another generic word: "Officials", "The Republican nominee",
  "a Smith tweet" are not names); a descriptive latest speaker cannot be checked by name, and
  is not skipped over for an earlier name;
* the prediction is **right** when its ``source.entity`` has a mention overlapping the proxy
  antecedent, or its name or an alias and the antecedent's words contain one another
  (case-insensitive, whole words: "Sharif" and "Nawaz Sharif" match, "Bill Clinton" and
  "Hillary Clinton" do not). An unresolved source (``entity`` null) is wrong.

The proxy is wrong whenever the pronoun refers to someone who is not the latest named
speaker ("Smith criticised Jones. She said ..." where Smith spoke last), or when that speaker
is an organisation or has a first name of the other gender; its error rate is not measured (a
spot check of the cases judged wrong on 40 PolNeAR dev documents found about 1 in 5 to be
proxy errors, the rest system errors). Other pronouns (they, it, we, I, you) are only counted: found, and resolved
to any entity.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimgraph.evaluate.attribution_scoring import Attribution, Range
from claimgraph.model import Entity

PRONOUNS = frozenset({
    "he", "him", "his", "himself", "she", "her", "hers", "herself", "they", "them", "their", "theirs",
    "themselves", "it", "its", "itself", "we", "us", "our", "ours", "ourselves", "i", "me", "my", "mine",
    "myself", "you", "your", "yours", "yourself",
})
#: pronouns judged against the proxy antecedent
PERSON_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
#: sentences before the pronoun's own in which the proxy antecedent is looked for
WINDOW_SENTENCES = 3
#: capitalised words that do not make a source a name ("The", "Officials" at a sentence start)
_NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "some", "many", "most", "several", "other", "others",
    "all", "both", "one", "two", "three", "officials", "experts", "critics", "sources", "analysts", "aides",
    "advocates", "polls", "reports", "supporters", "opponents", "lawmakers", "voters", "people", "police",
    "observers", "reporters", "residents", "witnesses", "democrats", "republicans", "according",
    "democrat", "republican", "democratic", "gop", "former", "presidential", "federal", "american", "americans",
})
_MALE = frozenset({"he", "him", "his", "himself"})
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\b\.?")
_HEAD_WORD = re.compile(r"[\w'’.-]+")
_WORD = re.compile(r"\w+")


def pronoun_of(text: str, attribution: Attribution) -> str | None:
    """The pronoun a source consists of (lowercase), or None when the source is not one pronoun."""
    if len(attribution.source) != 1:
        return None
    start, end = attribution.source[0]
    word = text[start:end].strip().lower()
    return word if word in PRONOUNS else None


def name_like(source_text: str) -> bool:
    """Is a source a name? Its head (the words before the first comma, which drops appositives)
    must end in a capitalised word that is not a determiner, party or generic noun: "White House
    spokesman Josh Earnest" is a name, "Officials", "a Maria Lopez statement" and "The Republican
    nominee" are not."""
    if source_text.strip().lower() in PRONOUNS:
        return False
    head = _HEAD_WORD.findall(source_text.split(",")[0])
    return bool(head) and head[-1][0].isupper() and head[-1].lower().rstrip(".") not in _NOT_NAMES


def _words(text: str) -> tuple[str, ...]:
    words = tuple(w.lower() for w in _WORD.findall(text))
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    if len(words) > 1 and words[-1] == "s":  # possessive "Sharif's"
        words = words[:-1]
    return words


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    n = len(inner)
    return n > 0 and any(outer[i:i + n] == inner for i in range(len(outer) - n + 1))


def entity_matches(entity: Entity, antecedent: Range, antecedent_text: str) -> bool:
    """Does the entity stand for the antecedent (a mention of it there, or the same name)?"""
    start, end = antecedent
    if any(m.start < end and start < m.end for m in entity.mentions):
        return True
    ante = _words(antecedent_text)
    for name in (entity.name, *entity.aliases):
        words = _words(name)
        if _contains(ante, words) or _contains(words, ante):
            return True
    return False


def _agrees(pronoun: str, source_text: str) -> bool:
    """Does an honorific in the source contradict the pronoun's gender?"""
    m = _HONORIFIC.search(source_text)
    return m is None or (m.group(1) == "Mr") == (pronoun in _MALE)


def antecedent(gold: Sequence[Attribution], text: str, pronoun: Attribution,
               sentences: Sequence[Range]) -> Range | None:
    """The proxy antecedent of a he/she pronoun source (see the module docstring), or None when
    there is no earlier non-pronoun source in the window or the nearest one is not name-like."""
    word = pronoun_of(text, pronoun) or ""
    p_start = pronoun.source[0][0]
    window_start = 0
    if sentences:
        starts = [s for s, _ in sentences]
        k = max(bisect_right(starts, p_start) - 1, 0)
        window_start = sentences[max(k - WINDOW_SENTENCES, 0)][0]
    best: tuple[Range, str] | None = None
    for g in gold:
        if g.doc != pronoun.doc or not g.source or g is pronoun or pronoun_of(text, g):
            continue
        span = (g.source[0][0], g.source[-1][1])
        source_text = " ".join(text[s:e] for s, e in g.source)
        if window_start <= span[0] and span[1] <= p_start and (best is None or span[0] > best[0][0]) \
                and _agrees(word, source_text):
            best = (span, source_text)
    return best[0] if best is not None and name_like(best[1]) else None


@dataclass(slots=True)
class SpeakerCounts:
    pronouns: int = 0  # gold attributions whose source is one pronoun
    found: int = 0  # ... that a predicted claim found (source and cue overlapping)
    resolved: int = 0  # ... found, with a predicted source entity
    person_found: int = 0  # found third-person singular pronouns
    not_judged: int = 0  # ... with no name-like proxy antecedent in the window
    judged: int = 0
    right: int = 0

    def rows(self) -> dict[str, dict[str, float | int]]:
        def pct(k: int, n: int) -> float:
            return round(100 * k / n, 1) if n else 0.0

        return {
            "pronoun sources": {"n": self.pronouns, "found": self.found, "found_pct": pct(self.found, self.pronouns),
                                "resolved_to_entity": self.resolved,
                                "resolved_pct_of_found": pct(self.resolved, self.found)},
            "speaker resolution he/she (proxy antecedent)": {
                "acc": pct(self.right, self.judged), "n": self.judged, "correct": self.right,
                "found": self.person_found, "not_judged": self.not_judged},
        }


def _overlaps(a: Sequence[Range], b: Sequence[Range]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def speaker_resolution(pred: Sequence[Attribution], gold: Sequence[Attribution], *, texts: Mapping[str, str],
                       sentences: Mapping[str, Sequence[Range]],
                       entities: Mapping[str, Mapping[str, Entity]]) -> SpeakerCounts:
    """Count pronoun sources found and resolved, and judge he/she against the proxy antecedent."""
    counts = SpeakerCounts()
    pred_docs: dict[str, list[Attribution]] = {}
    for p in pred:
        pred_docs.setdefault(p.doc, []).append(p)
    gold_docs: dict[str, list[Attribution]] = {}
    for g in gold:
        gold_docs.setdefault(g.doc, []).append(g)
    for doc, doc_gold in gold_docs.items():
        text = texts[doc]
        for g in doc_gold:
            word = pronoun_of(text, g)
            if word is None:
                continue
            counts.pronouns += 1
            hits = [p for p in pred_docs.get(doc, ()) if _overlaps(p.source, g.source)
                    and (_overlaps(p.cue, g.cue) or not (p.cue or g.cue))]
            if not hits:
                continue
            counts.found += 1
            hit = next((p for p in hits if p.entity is not None), hits[0])
            counts.resolved += hit.entity is not None
            if word not in PERSON_PRONOUNS:
                continue
            counts.person_found += 1
            ante = antecedent(doc_gold, text, g, sentences.get(doc, ()))
            if ante is None:
                counts.not_judged += 1
                continue
            counts.judged += 1
            entity = entities.get(doc, {}).get(hit.entity) if hit.entity else None
            counts.right += entity is not None and entity_matches(entity, ante, text[ante[0]:ante[1]])
    return counts
