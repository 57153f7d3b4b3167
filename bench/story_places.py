"""Sample corpus: is any place of ``claimgraph/samples/corpus/STORY.md`` typed PERSON? (#12)

Usage: python bench/story_places.py [--rules-only]

Runs the ``nlp`` and ``entities`` stages over every article of the sample corpus (the ``.txt``
and ``.html`` files; the JSONL file's four articles too) and prints each entity whose name (or
an alias) is one of the places the story's "Places used" list names, with its type. The
figure is the number of such entities typed PERSON (target: 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph.ingest import load_document  # noqa: E402
from claimgraph.model import Document  # noqa: E402
from claimgraph.pipeline import Pipeline  # noqa: E402
from claimgraph.settings import Settings  # noqa: E402

CORPUS = REPO / "claimgraph" / "samples" / "corpus"


def story_places() -> set[str]:
    story = (CORPUS / "STORY.md").read_text(encoding="utf-8")
    used = re.search(r"Places used: (.*?)\. Facilities", story, re.S)
    assert used, "STORY.md has no 'Places used:' list"
    names = set()
    for part in re.split(r",|\band\b", used.group(1).replace("\n", " ")):
        name = re.sub(r"\(.*?\)", "", part).strip()
        name = re.sub(r"^the invented village of ", "", name)
        if name:
            names.add(name)
    return names | {"North Waziristan", "Khyber Pakhtunkhwa", "Bannu Cantonment"}


def documents(settings: Settings) -> list[Document]:
    docs = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix in (".txt", ".html"):
            docs.append(load_document(str(path), settings=settings))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    docs.append(Document.from_text(obj["text"], published=obj.get("published")))
    return docs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings(use_models=not args.rules_only)
    pipeline = Pipeline(settings, stages=("nlp", "entities"))
    places = {p.casefold() for p in story_places()}
    types: Counter[tuple[str, str]] = Counter()
    for doc in documents(settings):
        for ent in pipeline(doc).entities:
            for name in {ent.name, *ent.aliases}:
                if name.casefold() in places:
                    types[(name, ent.type)] += 1
    for (name, etype), n in sorted(types.items()):
        print(f"{name:24} {etype:8} {n}")
    people = sum(n for (_, etype), n in types.items() if etype == "PERSON")
    print(f"places typed PERSON: {people} of {sum(types.values())} place entities")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
