"""GUM (Georgetown University Multilayer corpus) as named-entity data in the shared/data format.

GUM annotates every referring expression (names, nominals, pronouns) with one of ten entity
types, in the ``Entity`` column of its CoNLL-U files (``dep/*.conllu``; annotations CC BY 4.0,
``amir-zeldes/gum`` on GitHub). A *name* here is a mention whose head (GUM's ``minspan``) is a
proper noun; its span is the run of proper nouns around the head, with the connectors inside
("Bank of England") and a leading "the" that belongs to the mention (the MEANTIME convention
this project's scorer uses). Types map to MEANTIME's coarse ones, the scale all NER sets here
are scored on: person -> PER, organization -> ORG, place -> LOC, object -> PRO, event -> EVENT.
Proper nouns GUM types otherwise (time, abstract, substance...) and capitalised adjectives
(demonyms, which GUM does not mark as names) are neutral: neither credit nor blame.

The texts never enter the repository: ``python -m claimgraph.evaluate.gum CHECKOUT OUT_DIR``
reads a local checkout (a work tree, or a bare git directory as the ``fetch`` tool leaves it)
and writes ``gum_train.jsonl`` and ``gum_dev.jsonl`` outside the repo. The test split is
never read.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.errors import DataFormatError
from claimgraph.pipeline.names import demonym_keys, lexicon, name_key

#: GUM entity type -> MEANTIME coarse type; other types are neutral
GUM_TYPES = {"person": "PER", "organization": "ORG", "place": "LOC", "object": "PRO", "event": "EVENT"}
#: genres whose documents read like news (reported on separately from the rest of dev)
NEWS_LIKE = ("news", "interview", "bio", "voyage", "speech")
_CONNECTORS = frozenset({"of", "de", "and", "&", "-", "the", "al", "la", "du", "von", "van", "der"})
_ENTITY_OPEN = re.compile(r"\(([^()]+)")


@dataclass(slots=True)
class _Token:
    form: str
    upos: str
    start: int
    end: int


class Checkout:
    """Files of a GUM checkout: a work tree, or a bare git directory read with ``git show``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bare = not (path / "splits.md").is_file()
        if self.bare and not (path / "HEAD").is_file():
            raise DataFormatError(f"{path}: not a GUM checkout (no splits.md, not a git directory)")

    def read(self, name: str) -> str:
        if not self.bare:
            return (self.path / name).read_text(encoding="utf-8")
        out = subprocess.run(["git", "--git-dir", str(self.path), "show", f"HEAD:{name}"],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise DataFormatError(f"{self.path}: cannot read {name} ({out.stderr.strip()})")
        return out.stdout


def splits(checkout: Checkout) -> dict[str, str]:
    """Document name -> split (train, dev; test and test2 documents are left out)."""
    out: dict[str, str] = {}
    current = ""
    for line in checkout.read("splits.md").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip().startswith("* GUM_") and current in ("train", "dev"):
            out[line.strip()[2:].strip()] = current
    return out


def _parse_entities(misc: str) -> list[tuple[str, str, int]]:
    """Openings (group id, type, minspan head offset) in a MISC field."""
    field = next((f[7:] for f in misc.split("|") if f.startswith("Entity=")), "")
    opens = []
    for match in _ENTITY_OPEN.finditer(field):
        parts = match.group(1).rstrip(")").split("-")
        if len(parts) < 6:
            continue
        head = parts[5].split(",")[0]
        opens.append((parts[0], parts[1], int(head) if head.isdigit() else 1))
    return opens


def _sentences(conllu: str) -> Iterator[list[list[str]]]:
    rows: list[list[str]] = []
    for line in conllu.splitlines():
        if not line.strip():
            if rows:
                yield rows
            rows = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if len(cols) == 10 and cols[0].isdigit():
                rows.append(cols)
    if rows:
        yield rows


def convert_document(doc_id: str, conllu: str, split: str) -> dict[str, Any]:
    """One GUM document as a shared/data record with typed names and neutral spans."""
    text_parts: list[str] = []
    pos = 0
    entities: list[dict[str, Any]] = []
    for rows in _sentences(conllu):
        if text_parts:
            text_parts.append("\n")
            pos += 1
        tokens: list[_Token] = []
        for cols in rows:
            tokens.append(_Token(cols[1], cols[3], pos, pos + len(cols[1])))
            text_parts.append(cols[1])
            pos += len(cols[1])
            if "SpaceAfter=No" not in cols[9]:
                text_parts.append(" ")
                pos += 1
        entities.extend(_sentence_names(rows, tokens))
    text = "".join(text_parts)
    for ent in entities:
        ent["text"] = text[ent["start"]:ent["end"]]
    unique = {(e["start"], e["end"]): e for e in entities}
    return {"id": doc_id, "corpus": "gum", "split": split, "text": text, "published": None,
            "entities": sorted(unique.values(), key=lambda e: (e["start"], e["end"]))}


def _sentence_names(rows: list[list[str]], tokens: list[_Token]) -> list[dict[str, Any]]:
    stack: list[tuple[str, str, int, int]] = []  # group, type, start index, head offset
    mentions: list[tuple[str, int, int, int]] = []  # type, first, last, head index
    for i, cols in enumerate(rows):
        opens = _parse_entities(cols[9])
        field = next((f[7:] for f in cols[9].split("|") if f.startswith("Entity=")), "")
        for group, etype, head in opens:
            stack.append((group, etype, i, head))
        # closings: "(3-...-Iodine)" closes at once; "7)" closes group 7
        for match in re.finditer(r"\(([^()]+)\)|(?<![(\w-])(\d+)\)", field):
            group = match.group(1).split("-")[0] if match.group(1) else match.group(2)
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == group:
                    _, etype, first, head = stack.pop(k)
                    mentions.append((etype, first, i, min(first + head - 1, i)))
                    break
    named: list[dict[str, Any]] = []
    covered: set[int] = set()
    for etype, first, last, head in mentions:
        if tokens[head].upos != "PROPN":
            continue
        lo = hi = head
        while lo - 1 >= first and (tokens[lo - 1].upos == "PROPN" or (
                tokens[lo - 1].form.lower() in _CONNECTORS and lo - 2 >= first and tokens[lo - 2].upos == "PROPN")):
            lo -= 1
        while hi + 1 <= last and (tokens[hi + 1].upos == "PROPN" or (
                tokens[hi + 1].form.lower() in _CONNECTORS and hi + 2 <= last and tokens[hi + 2].upos == "PROPN")):
            hi += 1
        titles = lexicon().person_titles
        while lo < hi and tokens[lo].form.lower().rstrip(".") in titles:
            lo += 1  # "Dr. William Glennie": GUM tags the title a proper noun; names here leave it out
        if lo - 1 >= first and tokens[lo - 1].form.lower() == "the":
            lo -= 1
        covered.update(range(lo, hi + 1))
        words = [t.form for t in tokens[lo:hi + 1] if t.form.lower() != "the"]
        # a people's name ("Americans", a group of persons in GUM) is NORP in OntoNotes: neutral here
        demonym = len(words) == 1 and name_key(words[0]) in demonym_keys()
        named.append({"start": tokens[lo].start, "end": tokens[hi].end,
                      "type": None if demonym else GUM_TYPES.get(etype), "instance": None})
    for i, tok in enumerate(tokens):  # unannotated proper nouns and demonyms: neutral
        if i not in covered and (tok.upos == "PROPN" or (tok.upos == "ADJ" and tok.form[:1].isupper() and i > 0)):
            named.append({"start": tok.start, "end": tok.end, "type": None, "instance": None})
    return named


def convert(checkout_path: Path, split: str, *, genres: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Records of one split (``train`` or ``dev``; never ``test``), optionally only some genres."""
    if split not in ("train", "dev"):
        raise DataFormatError(f"GUM split {split!r} is not read here; choose train or dev")
    checkout = Checkout(checkout_path)
    records = []
    for name, doc_split in sorted(splits(checkout).items()):
        genre = name.split("_")[1]
        if doc_split != split or genre == "reddit" or (genres and genre not in genres):
            continue  # reddit texts are not in the repository (licence), only their annotations
        records.append(convert_document(name, checkout.read(f"dep/{name}.conllu"), split))
    return records


def main(argv: list[str]) -> int:
    """``python -m claimgraph.evaluate.gum CHECKOUT OUT_DIR``: write gum_train/gum_dev(_news).jsonl."""
    if len(argv) != 2:
        print("Usage: python -m claimgraph.evaluate.gum GUM_CHECKOUT OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for split, genres, name in (("train", None, "gum_train"), ("dev", None, "gum_dev"),
                                ("dev", NEWS_LIKE, "gum_dev_news")):
        records = convert(Path(argv[0]), split, genres=genres)
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"{name}: {len(records)} documents, {sum(len(r['entities']) for r in records)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
