"""``claimgraph disagreements``: where outlets and their sources give different versions of one
incident or claim — the numbers (casualty counts) and who says them, side by side.

Why a module of its own: :mod:`claimgraph.cli_corpus` registers it with the other list commands
(same ``--db``, ``--limit``/``--offset`` paging and ``--json``), and the reading is in
:mod:`claimgraph.corpus.disagreements`, shared with the web page and ``/api/disagreements``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from claimgraph.cli_corpus import DbOpt, JsonOut, LimitOpt, OffsetOpt, checked, err, out, store_or_exit
from claimgraph.corpus import filters
from claimgraph.tables import Section, columns_of, print_sections, shown_note

COLUMNS = [("group", "group"), ("date", "date"), ("differ", "differ"), ("outlet", "outlet"),
           ("published", "published"), ("source", "source"), ("numbers", "numbers"), ("wording", "wording")]


def disagreements(
    db: DbOpt = None,
    kind: Annotated[str | None, typer.Option("--kind", help="event (incidents) or claim (claim groups); both "
                                                             "when absent.")] = None,
    differing: Annotated[bool, typer.Option("--differing", help="Only groups whose numbers or sources "
                                                                 "differ.")] = False,
    limit: LimitOpt = 20, offset: OffsetOpt = 0, as_json: JsonOut = False,
) -> None:
    """Incidents and claim groups reported by several documents, each version (outlet, date,
    source, casualty numbers, wording) on its own row; groups whose numbers differ first, then
    those whose sources differ. --json: one group per line, with its versions and tolls."""
    from claimgraph.corpus.disagreements import GROUP_KINDS, summary_rows
    from claimgraph.corpus.disagreements import disagreements as run

    if kind is not None and kind not in GROUP_KINDS:
        err.print(f"claimgraph: --kind: no kind {kind!r}; one of {', '.join(GROUP_KINDS)}", markup=False)
        raise typer.Exit(2)
    checked(lambda: filters.page(limit, offset))
    store = store_or_exit(db)
    groups, total = run(store, kind=kind, differing=differing, limit=limit, offset=offset)
    store.close()
    if as_json:
        for g in groups:
            sys.stdout.write(json.dumps(g, ensure_ascii=False, default=str) + "\n")
        return
    note = shown_note(len(groups), offset, offset + len(groups) < total, total).replace("shown", "groups shown", 1)
    print_sections([Section("Disagreements", tuple(h for h, _ in COLUMNS), columns_of(summary_rows(groups), COLUMNS),
                            note)], out)
