"""Name mentions in a spaCy Doc, cleaned, with the type evidence their context gives.

spaCy's NER is the starting point; this module trims what spaCy includes but a name is
not (a leading "the", titles, possessives, an administrative word such as "district"),
drops what is not a name at all (numbers, dates, weekday names), adds acronyms defined
in parentheses and hyphenated compound names spaCy misses, and records evidence
(titles and role nouns mean PERSON, "Operation X" means EVENT, "X province" means GPE)
for the entity layer to weigh against spaCy's label.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from claimgraph.model import Span
from claimgraph.pipeline.names import (
    Lexicon,
    acronym_matches,
    clean_name,
    is_acronym,
    lexicon,
    name_key,
    name_parts,
)
from claimgraph.pipeline.span_index import SpanIndex

#: type -> weight of the observations that say a name is of that type
Evidence = defaultdict[str, float]


def new_evidence(**weights: float) -> Evidence:
    out: Evidence = defaultdict(float)
    out.update(weights)
    return out


#: spaCy labels that are not names: the time layer and the numbers are elsewhere.
NON_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
#: spaCy (OntoNotes) label -> contract entity type.
LABEL_TYPES = {
    "PERSON": "PERSON", "NORP": "NORP", "FAC": "FAC", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC",
    "PRODUCT": "PRODUCT", "EVENT": "EVENT", "WORK_OF_ART": "WORK_OF_ART", "LAW": "LAW",
    "LANGUAGE": "OTHER",
}
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’", "s"})
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,11})\s*\)")
_HYPHEN_CONNECTORS = frozenset({"-", "‐", "‑"})
#: a model designation: "A380", "787", "737-800", "TB2", "F-16" (letters and digits, a digit in it)
_MODEL = re.compile(r"^(?=.*\d)[A-Z]{0,4}-?\d+[A-Za-z0-9-]*$")
#: a model designation that cannot be a plain number: letters and digits ("A380", "F-16",
#: "MiG-29", "TB2", "777-200LR"), optionally plural ("A350s")
_LETTERED_MODEL = re.compile(r"^(?=.*\d)(?=.*[A-Z])[A-Z][A-Za-z]{0,3}-?\d+[A-Za-z0-9-]*$|^\d{3}-\d{1,3}[A-Z]{0,3}$")
#: a club's number word ("76ers", "49ers"), not a model designation
_TEAM_NUMBER = re.compile(r"^\d+ers$")
#: a road's number or an ordinal street ("Route 94", "117th Street"), not a model designation
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_ROAD_WORDS = frozenset({"route", "highway", "interstate", "motorway", "road", "street", "avenue", "expressway"})
#: a date written as one token ("1996-12-06", "06-12-1996"): never a model designation
_DATE_TOKEN = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
#: camel-case brand names with a lower-case first letter ("iPhone", "iOS") are product names
_LOWER_CAMEL = re.compile(r"^[a-z][A-Z]")

# Evidence weights: how much one observation counts towards a type. A cue in the text
# (a title, "Operation", "district") outweighs one spaCy label, and spaCy's label on a
# partial form (a bare surname) counts less than on a full name.
W_LABEL = 1.0
W_CUE = 3.0
W_WORD = 1.5


@dataclass(slots=True)
class Mention:
    span: Span
    name: str
    key: str
    label: str | None
    evidence: Evidence = field(default_factory=new_evidence)
    #: the mention this one abbreviates when the text defines it: "Federal Security Service (FSB)".
    defines: Mention | None = None
    #: the name is a known place's own name in the gazetteer (set by the entity stage)
    place_name: bool = False
    #: another name the text declares for the entity ("also known as X"): never its canonical name
    declared_alias: bool = False

    @property
    def parts(self) -> int:
        return len(name_parts(self.name))

    @property
    def type(self) -> str | None:
        """The type this mention alone favours: its cues plus spaCy's label (None: no evidence)."""
        scores = new_evidence(**self.evidence)
        if self.label:
            scores[self.label] += W_LABEL
        if not scores:
            return None
        return max(scores, key=lambda t: scores[t])


def _is_title(token: Any, lex: Lexicon) -> bool:
    return bool(token.text[:1].isupper()) and token.lower_.rstrip(".") in lex.person_titles


#: titles that also open the names of organisations ("General Motors", "Royal Air Force",
#: "Supreme Court"): stripped only where spaCy already says PERSON, unless abbreviated
_NAME_OPENING_TITLES = frozenset({
    "general", "major", "marshal", "field", "chief", "president", "vice", "king", "queen", "prince",
    "princess", "saint", "father", "lord", "lady", "sir", "dame", "pope", "cardinal", "bishop",
    "justice", "officer", "commander", "captain", "admiral", "premier", "secretary", "minister",
})


def _unambiguous_title(token: Any, lex: Lexicon) -> bool:
    return token.text.endswith(".") or token.lower_ not in _NAME_OPENING_TITLES


def _honorific(tokens: list[Any]) -> bool:
    """Whether the first token is an honorific to strip ("Maulana", "Haji", "Qari"). One that is
    also a name ("Malik", "Sheikh", "Syed") only before two more name words, and only where the
    article never uses it alone as a name ("Malik said")."""
    from claimgraph.pipeline.entities.cues import cues

    first = tokens[0]
    word = first.lower_.rstrip(".")
    lex = cues()
    if not first.text[:1].isupper() or word not in lex.honorifics:
        return False
    if word not in lex.ambiguous_honorifics:
        return True
    if len(tokens) < 3 or not all(t.text[:1].isupper() for t in tokens[1:3]):
        return False
    doc = first.doc
    return not any(t.i != first.i and t.text == first.text
                   and (t.i + 1 >= len(doc) or not doc[t.i + 1].text[:1].isupper()) for t in doc)


def _trim(tokens: list[Any], lex: Lexicon, evidence: Evidence, label: str | None) -> list[Any]:
    """Remove what surrounds a name inside spaCy's span, noting what it tells about the type.

    A title is only stripped from what spaCy calls a person: "General" opens "General
    Motors" as often as "General Asim Munir".
    """
    while tokens and tokens[0].lower_ in _DETERMINERS:
        tokens.pop(0)
    for n, tok in enumerate(tokens):
        if tok.text in "([" and n > 0:
            del tokens[n:]  # "Office of Foreign Assets Control (OFAC": the acronym is its own mention
            break
    while len(tokens) > 1 and (tokens[0].text == "." or _honorific(tokens) or (_is_title(tokens[0], lex)
                               and (label == "PERSON" or _unambiguous_title(tokens[0], lex)))):
        if tokens[0].text != ".":
            evidence["PERSON"] += W_CUE
        tokens.pop(0)
    while tokens and (tokens[-1].lower_ in _POSSESSIVE_TOKENS or tokens[-1].is_punct
                      or (len(tokens) > 1 and tokens[-1].lower_.replace(".", "") in lex.post_nominals)):
        if tokens[-1].lower_.replace(".", "") in lex.post_nominals:
            evidence["PERSON"] += W_CUE
        tokens.pop()
    if len(tokens) > 1:
        last = tokens[-1]
        if last.lower_ in lex.gpe_suffixes_strong or (last.lower_ in lex.gpe_suffixes_weak and last.is_lower):
            evidence["GPE"] += W_CUE
            tokens.pop()
    return tokens


def _appositions(root: Any) -> list[Any]:
    """Nouns in apposition to a name, either way round: "X, the commander of Y" and
    "the commander, X,"."""
    return [c for c in root.children if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else [])


def roles_of(span: Span, doc: Any, *, person: bool) -> set[str]:
    """Role and kind nouns the text attaches to a mention: "militant commander X", "Gen. X",
    "X, the commander of Y", "the steel group X". Coreference (#3) matches descriptions
    such as "the commander" or "the group" against these."""
    lex = lexicon()
    nouns = lex.role_nouns | lex.person_titles if person else lex.org_nouns
    found: set[str] = set()
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    if tokens is None or not len(tokens):
        return found
    for tok in tokens:
        word = tok.lower_.rstrip(".")
        if word in nouns and (tok.is_lower or _is_title(tok, lex)):
            found.add(word)
    prev = _neighbour(doc, tokens[0].i, -1)
    steps = 0
    while prev is not None and steps < 3 and (prev.is_alpha or prev.text.endswith(".")):
        word = prev.lower_.rstrip(".")
        if word in nouns:
            found.add(word)
        elif not (prev.pos_ in ("ADJ", "PROPN") or prev.is_title):
            break
        prev = _neighbour(doc, prev.i, -1)
        steps += 1
    root = tokens.root
    for rel in _appositions(root):
        if rel.pos_ == "NOUN" and rel.lemma_.lower() in nouns:
            found.add(rel.lemma_.lower())
    honorifics = {"mr", "mrs", "ms", "miss", "sir", "dame", "lord", "lady"}
    return {lex.title_expansions.get(word, word) for word in found - honorifics}


def _context_evidence(tokens: list[Any], doc: Any, lex: Lexicon, evidence: Evidence,
                      label: str | None = None) -> None:
    first, last = tokens[0], tokens[-1]
    prev = _neighbour(doc, first.i, -1)
    nxt = _neighbour(doc, last.i, +1)
    if prev is not None:
        word = prev.lower_.rstrip(".")
        if _is_title(prev, lex) or (prev.is_lower and word in lex.role_nouns):
            evidence["PERSON"] += W_CUE
    if nxt is not None:
        if nxt.lower_ in lex.gpe_suffixes_strong or (nxt.lower_ in lex.gpe_suffixes_weak and nxt.is_lower):
            evidence["GPE"] += W_CUE
        elif nxt.lower_ in lex.loc_suffixes and nxt.is_lower:
            evidence["LOC"] += W_WORD
    root = last if last.head.i < first.i or last.head.i > last.i else last.head
    appositions = _appositions(root)
    for rel in appositions:
        if rel.lemma_.lower() in lex.role_nouns and rel.pos_ == "NOUN":
            evidence["PERSON"] += W_CUE
    if first.text in {"Operation", "Op."} or (first.lower_ in lex.event_prefixes and first.is_title):
        evidence["EVENT"] += 2 * W_CUE
    if prev is not None and prev.lower_ in lex.org_nouns and prev.is_lower \
            and prev.dep_ in ("compound", "nmod", "amod"):
        evidence["ORG"] += W_CUE
    for rel in appositions:
        if rel.lemma_.lower() in lex.org_nouns and rel.pos_ == "NOUN":
            evidence["ORG"] += W_CUE
    if len(tokens) > 1 and last.lower_ in lex.law_words and last.is_title:
        evidence["LAW"] += W_CUE
    if _LOWER_CAMEL.match(first.text):
        evidence["PRODUCT"] += W_WORD
    words = {p.lower() for p in name_parts(" ".join(t.text for t in tokens))}
    if words & lex.org_words_strong or (label != "PERSON" and words & lex.org_words_weak):
        evidence["ORG"] += W_WORD
    if prev is not None and prev.lower_ in lex.place_prepositions \
            and any(t.dep_ == "pobj" and t.head.i == prev.i for t in tokens):
        # "outside Mir Ali": spaCy's PERSON for a name governed by a place preposition is most
        # often a village it does not know, unless a title or role noun said person
        strong = label == "PERSON" and evidence.get("PERSON", 0) == 0
        evidence["GPE"] += W_WORD if strong else W_WORD / 2


def _is_name(name: str, lex: Lexicon) -> bool:
    if not any(c.isupper() for c in name) or not any(c.isalpha() for c in name):
        return False
    key = name_key(name)
    if key in lex.calendar_words or key in lex.person_titles or key in lex.role_nouns or key in lex.currency_codes:
        return False
    return not all(p.replace(",", "").replace(".", "").isdigit() for p in name.split())


def _from_tokens(tokens: list[Any], text: str, label: str | None, evidence: Evidence,
                 lex: Lexicon, *, outer: list[Any] | None = None) -> Mention | None:
    """A mention whose name is ``tokens``; its span is ``outer`` (the name plus a title or
    "the" that the NER span included) so that the mention shows what the text says."""
    if not tokens:
        return None
    name = clean_name(text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)])
    if not name or not _is_name(name, lex):
        return None
    outer = outer or tokens
    start = min(outer[0].idx, tokens[0].idx)
    end = max(outer[-1].idx + len(outer[-1].text), tokens[-1].idx + len(tokens[-1].text))
    return Mention(span=Span.of(text, start, end), name=name, key=name_key(name),
                   label=label, evidence=evidence)


def _product_extension(tokens: list[Any], doc: Any, lex: Lexicon, evidence: Evidence) -> list[Any]:
    """A maker's name followed by a model ("Airbus A350", "Bayraktar TB2") names a product."""
    last = tokens[-1]
    out = list(tokens)
    while out[-1].i + 1 < len(doc) and _MODEL.match(doc[out[-1].i + 1].text) \
            and not _DATE_TOKEN.match(doc[out[-1].i + 1].text):
        out.append(doc[out[-1].i + 1])
        out.extend(_glued(doc, out[-1]))
    if any(_TEAM_NUMBER.match(t.text) for t in out):
        evidence["ORG"] += W_CUE  # "the Philadelphia 76ers", "the San Francisco 49ers": a club
    elif any(t.lower_ in _ROAD_WORDS for t in out) or any(_ORDINAL.match(t.text) for t in out):
        evidence["FAC"] += W_CUE  # "State Route 94", "Highway 1", "117th Street": a road
    elif len(out) > len(tokens) or any(_MODEL.match(t.text) for t in tokens):
        evidence["PRODUCT"] += W_CUE
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in lex.product_words and nxt.is_lower:
        evidence["PRODUCT"] += W_WORD
    return out


def _facility_extension(tokens: list[Any], doc: Any, lex: Lexicon, evidence: Evidence) -> list[Any]:
    """ "Heathrow airport", "Bagram airbase", "Adiala jail": the facility word written after
    a name belongs to the facility's name."""
    last = tokens[-1]
    if last.i + 1 < len(doc):
        nxt = doc[last.i + 1]
        if nxt.is_lower and nxt.lower_ in lex.fac_suffixes and last.whitespace_ == " ":
            evidence["FAC"] += W_CUE
            return [*tokens, nxt]
    return tokens


def _glued(doc: Any, token: Any) -> list[Any]:
    """Tokens written without a space after ``token``: the tokenizer cuts "A400M" into
    "A400" + "M" (as if it were 400 million), but it is one designation."""
    out: list[Any] = []
    while token.whitespace_ == "" and token.i + 1 < len(doc):
        nxt = doc[token.i + 1]
        if nxt.is_alpha or nxt.is_digit:
            out.append(nxt)
        elif nxt.text in _HYPHEN_CONNECTORS and nxt.whitespace_ == "" and token.i + 2 < len(doc) \
                and (doc[token.i + 2].is_alpha or doc[token.i + 2].is_digit):
            out.extend([nxt, doc[token.i + 2]])  # "737-800"
        else:
            break
        token = out[-1]
    return out


def _neighbour(doc: Any, i: int, step: int) -> Any:
    """The nearest token before (step -1) or after (+1) position i that is not whitespace:
    hard-wrapped text puts newline tokens between a title and a name."""
    i += step
    while 0 <= i < len(doc) and doc[i].is_space:
        i += step
    return doc[i] if 0 <= i < len(doc) else None


def _split_at_function_words(tokens: list[Any], lex: Lexicon) -> list[list[Any]]:
    """Split a span at lower-case words that cannot be inside a name ("as", "with", "said"),
    keeping the connectors names do contain ("of", "del", "bin", "-e-")."""
    pieces: list[list[Any]] = [[]]
    for tok in tokens:
        if tok.is_lower and tok.is_alpha and tok.lower_ not in lex.name_connectors:
            pieces.append([])
        else:
            pieces[-1].append(tok)
    pieces = [p for p in pieces if p and any(t.text[:1].isupper() for t in p)]
    return pieces if len(pieces) > 1 else [tokens]


def _person_extension(tokens: list[Any], doc: Any, ner_tokens: set[int]) -> list[Any]:
    """spaCy's small model often drops a person's first given name ("Naveed [Akhtar
    Qaisrani]"): take in capitalised proper nouns just before the name."""
    lex = lexicon()
    out = list(tokens)
    while out[0].i > 0:
        prev = doc[out[0].i - 1]
        if prev.i in ner_tokens or prev.pos_ != "PROPN" or not prev.is_title or not prev.is_alpha \
                or prev.lower_ in lex.person_titles or prev.lower_ in lex.role_nouns \
                or prev.lower_ in lex.calendar_words or prev.whitespace_ != " ":
            break
        out.insert(0, prev)
    return out


def _event_extension(tokens: list[Any], doc: Any) -> list[Any]:
    """Include "Operation" when spaCy left it out of "Operation Zarb-e-Azb"."""
    prev = _neighbour(doc, tokens[0].i, -1)
    if prev is not None and prev.text == "Operation":
        return [prev, *tokens]
    return tokens


def _hyphen_compounds(doc: Any) -> list[list[Any]]:
    """Capitalised hyphenated names spaCy's NER missed: "Lashkar-e-Taiba", "Zarb-e-Azb"."""
    found: list[list[Any]] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.text[:1].isupper() and tok.is_alpha and i + 2 < len(doc) \
                and doc[i + 1].text in _HYPHEN_CONNECTORS and doc[i + 1].idx == tok.idx + len(tok.text):
            j = i
            while j + 2 < len(doc) and doc[j + 1].text in _HYPHEN_CONNECTORS \
                    and doc[j + 1].idx == doc[j].idx + len(doc[j].text) and doc[j + 2].is_alpha \
                    and doc[j + 2].idx == doc[j + 1].idx + 1:
                j += 2
            parts = doc[i:j + 1]
            words = [t for t in parts if t.is_alpha]
            if j > i and words[-1].text[:1].isupper() and len(words) >= 2:
                tokens = list(parts)
                while tokens[-1].i + 1 < len(doc) and doc[tokens[-1].i + 1].pos_ == "PROPN":
                    tokens.append(doc[tokens[-1].i + 1])
                found.append(tokens)
                i = tokens[-1].i + 1
                continue
        i += 1
    return found


def find_mentions(doc: Any, text: str) -> list[Mention]:
    """Every name mention in the document, in text order, without overlaps."""
    lex = lexicon()
    mentions: list[Mention] = []
    ner_labels: dict[int, str] = {}
    ner_tokens = {t.i for ent in doc.ents for t in ent}
    for ent in doc.ents:
        if ent.label_ in NON_NAME_LABELS:
            continue
        ner_label = LABEL_TYPES.get(ent.label_, "OTHER")
        ner_labels.update((t.i, ner_label) for t in ent)
        label: str | None = ner_label
        evidence = new_evidence()
        outer = list(ent)
        cut = next((n for n, t in enumerate(outer) if t.text in "([" and n > 0), None)
        if cut is not None:
            outer = outer[:cut]
        while outer and (outer[-1].lower_ in _POSSESSIVE_TOKENS or outer[-1].is_punct):
            outer.pop()
        while label == "PERSON" and len(outer) > 2 and outer[0].is_title and outer[0].lower_ in lex.role_nouns \
                and all(t.text[:1].isupper() for t in outer[1:3]):
            # a role word capitalised in a headline or before a name is neither the name nor
            # the mention: "Coach Maurice Cheeks", "Comedian Ellen DeGeneres" (two name words
            # must remain: "Minnie Driver" keeps hers)
            evidence["PERSON"] += W_CUE
            outer.pop(0)
        tokens = _trim(list(outer), lex, evidence, label)
        if len(tokens) > 1 and tokens[0].lower_ == "of" and len(outer) > len(tokens):
            # "the King of Athens": a title phrase, no person's name; what follows "of" is a place
            tokens.pop(0)
            evidence.pop("PERSON", None)
            label = None
            outer = list(tokens)
        if not tokens:
            continue
        pieces = _split_at_function_words(tokens, lex)
        if len(pieces) > 1:
            # "the FSB as Igor Shemetov": spaCy ran two names together; its label fits neither
            for piece in pieces:
                piece_evidence = new_evidence()
                _context_evidence(piece, doc, lex, piece_evidence)
                mention = _from_tokens(piece, text, None, piece_evidence, lex)
                if mention:
                    mentions.append(mention)
            continue
        if label == "PERSON":
            tokens = _person_extension(tokens, doc, ner_tokens)
            if tokens[0].i < outer[0].i:
                outer = [*doc[tokens[0].i:outer[0].i], *outer]
        tokens = _event_extension(tokens, doc)
        tokens = _product_extension(tokens, doc, lex, evidence)
        tokens = _facility_extension(tokens, doc, lex, evidence)
        if tokens[-1].i > outer[-1].i:
            outer = [*outer, *doc[outer[-1].i + 1:tokens[-1].i + 1]]
        _context_evidence(tokens, doc, lex, evidence, label)
        mention = _from_tokens(tokens, text, label, evidence, lex, outer=outer)
        if mention:
            mentions.append(mention)
    for tokens in _hyphen_compounds(doc):
        evidence = new_evidence()
        tokens = _event_extension(tokens, doc)
        labels = Counter(ner_labels[t.i] for t in tokens if t.i in ner_labels)
        compound_label = labels.most_common(1)[0][0] if labels else None
        _context_evidence(tokens, doc, lex, evidence, compound_label)
        if not evidence and not compound_label:
            evidence["ORG"] += W_WORD / 2  # a hyphenated proper compound is most often a group's name
        mention = _from_tokens(tokens, text, compound_label, evidence, lex)
        if mention:
            mentions.append(mention)
    mentions.extend(_model_designations(doc, text, lex))
    mentions = _without_overlaps(mentions)
    return _without_overlaps([*mentions, *_parenthetical_acronyms(mentions, text)])


def _model_designations(doc: Any, text: str, lex: Lexicon) -> list[Mention]:
    """Products named by a model designation alone ("the A380", "F-16s"), which NER misses
    or takes for a number; a designation with letters in it cannot be a plain number."""
    found = []
    for tok in doc:
        if _LETTERED_MODEL.match(tok.text) and not tok.like_url:
            evidence = new_evidence(PRODUCT=W_CUE)
            tokens = [tok, *_glued(doc, tok)]
            while tokens[-1].i + 1 < len(doc) and doc[tokens[-1].i + 1].pos_ == "PROPN" \
                    and doc[tokens[-1].i + 1].text[:1].isupper():
                tokens.append(doc[tokens[-1].i + 1])
            mention = _from_tokens(tokens, text, None, evidence, lex)
            if mention:
                found.append(mention)
    return found


def _parenthetical_acronyms(mentions: list[Mention], text: str) -> list[Mention]:
    """ "Federal Security Service (FSB)": the acronym is defined as this entity's alias."""
    found: list[Mention] = []
    for mention in mentions:
        end = mention.span.end
        # spaCy often includes a trailing possessive or suffix; look right after the name
        match = _PAREN_ACRONYM.match(text, end)
        if not match or not is_acronym(match.group(1)):
            continue
        acronym = match.group(1)
        definer = mention
        if not acronym_matches(acronym, mention.name):
            definer = _widened(mention, acronym, text) or mention
        if definer.parts < 2:
            continue
        if definer is not mention:
            found.append(definer)
        span = Span.of(text, match.start(1), match.end(1))
        found.append(Mention(span=span, name=span.text, key=name_key(span.text), label=None,
                             evidence=new_evidence(), defines=definer))
    return found


_NAME_WORDS_BEFORE = re.compile(r"(?:(?:[A-Z][\w'’.&-]*|of|the|and|for|de|del|e|i|ul|ud|al)[ \t]+){1,8}$")


def _widened(mention: Mention, acronym: str, text: str) -> Mention | None:
    """ "Islamic State West Africa Province (ISWAP)": spaCy found two names where the text
    defines one; take in the capitalised words before the mention while that makes the
    acronym's letters fit."""
    start = mention.span.start
    before = _NAME_WORDS_BEFORE.search(text, max(0, start - 120), start)
    if not before:
        return None
    for word in re.finditer(r"\S+", before.group(0)):
        cand_start = before.start() + word.start()
        candidate = text[cand_start:mention.span.end]
        if candidate.split()[0].lower() in ("the", "of", "and", "for"):
            continue
        if acronym_matches(acronym, candidate):
            span = Span.of(text, cand_start, mention.span.end)
            return Mention(span=span, name=clean_name(span.text), key=name_key(span.text), label=None,
                           evidence=new_evidence(ORG=W_WORD))
    return None


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: a defined acronym wins, then the longer one."""
    ranked = sorted(mentions, key=lambda m: (m.defines is None, -(m.span.end - m.span.start), m.span.start))
    kept: list[Mention] = []
    taken = SpanIndex()  # not a pairwise loop: linear in the mentions of a document (#19)
    for m in ranked:
        if not taken.overlaps(m.span):
            kept.append(m)
            taken.add(m.span)
    return sorted(kept, key=lambda m: m.span.start)
