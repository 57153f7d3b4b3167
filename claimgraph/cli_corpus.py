"""The corpus commands of ``claimgraph`` (#5): ingest into a store, then ask it questions and
export it. Registered on the main app by :mod:`claimgraph.cli`.

Heavy modules (the store's SQLAlchemy, the pipeline) are imported inside the commands that use
them, so ``--help`` and a rejected argument answer at once. Filters are checked with the same
definitions the REST API uses (:mod:`claimgraph.corpus.filters`): a typo is exit 2 with the
valid values, never an empty list.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from claimgraph.corpus import filters
from claimgraph.settings import Settings
from claimgraph.tables import Section, columns_of, print_sections, shown_note

if TYPE_CHECKING:
    from claimgraph.corpus.ingest import Summary
    from claimgraph.corpus.store import Store

#: the store every corpus command (and ``serve``) uses when --db is not given
DB_ENV = "CLAIMGRAPH_DB"
DEFAULT_DB = "claimgraph.db"
DbOpt = Annotated[str | None, typer.Option("--db", help=f"The store: a SQLite file, or a database URL "
                                           f"(default: ${DB_ENV}, else {DEFAULT_DB}).", show_default=False)]
JsonOut = Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")]
LimitOpt = Annotated[int, typer.Option(help=f"Rows per page (1–{filters.MAX_LIMIT}).")]
OffsetOpt = Annotated[int, typer.Option(help=f"Rows to skip, for the next page (at most {filters.MAX_OFFSET}).")]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def resolve_db(db: str | None) -> str:
    """The store to use: --db, else $CLAIMGRAPH_DB, else claimgraph.db; says which when not given."""
    if db:
        return db
    env = os.environ.get(DB_ENV)
    chosen = env or DEFAULT_DB
    err.print(f"store: {chosen} ({'from $' + DB_ENV if env else 'default; set --db or $' + DB_ENV})",
              markup=False, style="dim")
    return chosen


def store_or_exit(db: str | None, *, create: bool = False) -> Store:
    """The store for a command, or its one-line error and exit code 2 (not the public
    ``claimgraph.open_store``, which returns a Corpus and raises)."""
    from claimgraph.corpus.store import Store, StoreError

    try:
        return Store.open(resolve_db(db), create=create)
    except StoreError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None


def checked(check: Callable[[], Any]) -> Any:
    """A filter check's value, or its one-line error and exit code 2."""
    try:
        return check()
    except filters.FilterError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None


def _summary_table(summary: Summary, shown: int = 20) -> None:
    skipped = f", skipped {len(summary.skipped)}" if summary.skipped else ""
    err.print(f"ingested {summary.ingested}, already present {summary.present}, "
              f"reprocessed {summary.reprocessed}, rejected {len(summary.rejected)}{skipped} "
              f"(of {summary.seen} inputs)")
    for key, reason in summary.rejected[:shown]:
        err.print(f"  rejected {key}: {reason}", markup=False)  # reasons quote inputs: no markup
    if len(summary.rejected) > shown:
        err.print(f"  … and {len(summary.rejected) - shown} more (see the report file or `claimgraph stats`)")


class Engine(StrEnum):
    local = "local"
    ray = "ray"


#: without a terminal (a log, CI), ingest prints one progress line per this many inputs
LOG_EVERY = 100


class Interrupted(Exception):
    """Ctrl-C during ingest: raised between documents, after the current one is stored."""


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[stat]}"),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=err, transient=False, disable=not err.is_terminal)


def _ticker(progress: Progress, total: int | None = None,
            stop: Callable[[], bool] = lambda: False) -> Callable[[Summary, str], None]:
    """Per input: the bar (terminal) or a line per LOG_EVERY inputs (log), with the rate; raises
    :class:`Interrupted` once Ctrl-C was pressed, after the input just recorded."""
    task = progress.add_task("ingesting", total=total, stat="", rate="")
    started = time.monotonic()
    seen = 0

    def tick(summary: Summary, key: str) -> None:
        nonlocal seen
        seen += 1
        rate = seen / max(time.monotonic() - started, 1e-6)
        stat = f"{summary.ingested} new · {summary.present} present · {len(summary.rejected)} rejected"
        progress.update(task, advance=1, stat=stat, rate=f"{rate:.1f}/s", description=key[-40:])
        if not err.is_terminal and seen % LOG_EVERY == 0:
            of = f"/{total}" if total else ""
            err.print(f"ingest: {seen}{of} inputs · {stat} · {rate:.1f}/s", markup=False)
        if stop():
            raise Interrupted
    return tick


@contextmanager
def _ctrl_c_after_current() -> Iterator[Callable[[], bool]]:
    """The first Ctrl-C asks ingest to stop after the current document; a second one stops at once."""
    pressed = False

    def handler(_signum: int, _frame: object) -> None:
        nonlocal pressed
        if pressed:
            raise KeyboardInterrupt
        pressed = True
        err.print("claimgraph: stopping after the current document (Ctrl-C again to stop now)")

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave Ctrl-C as it is
        yield lambda: False
        return
    try:
        yield lambda: pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def _count_inputs(sources: list[str]) -> int | None:
    """How many inputs a run of plain files and folders will meet (for the ETA), or None when a
    source holds several articles or is not a local path (feeds, JSONL, WARC, URLs)."""
    many = (".jsonl", ".ndjson", ".warc", ".gz", ".parquet", ".xml", ".rss", ".atom", ".urls")
    total = 0
    for source in sources:
        path = Path(source)
        if source.startswith(("http://", "https://")) or source == "-":
            return None
        if path.is_dir():
            for _root, _dirs, files in os.walk(path):
                if any(f.lower().endswith(many) for f in files):
                    return None
                total += len(files)
                if total > 1_000_000:
                    return None
        elif path.suffix.lower() in many:
            return None
        else:
            total += 1
    return total


def _finish(summary: Summary, report: Path | None) -> None:
    _summary_table(summary)
    if report is not None:
        lines = [f"{k}\t{r}\n" for k, r in summary.rejected] + [f"{k}\tskipped: {r}\n" for k, r in summary.skipped]
        report.write_text("".join(lines), encoding="utf-8")
        err.print(f"report: {report}")


def ingest(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Files, folders (recursive), URLs, feeds, WARC, JSONL and Parquet files.", metavar="SOURCE...")] = None,
    db: DbOpt = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes, or Ray actors with --engine ray "
                                                "(default: one per core of the machine or cluster).")] = None,
    reprocess: Annotated[bool, typer.Option("--reprocess", help="Re-analyse documents stored by an older "
                                            "pipeline version.")] = False,
    url_list: Annotated[bool, typer.Option("--url-list", help="Read .txt/.urls files as lists of URLs.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write every rejected input and its reason here "
                                                "(tab-separated).")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private addresses.")]
    = False,
    engine: Annotated[Engine, typer.Option(help="local: worker processes on this machine; ray: actors on a Ray "
                                           "cluster (needs the `ray` extra of claimgraph).")] = Engine.local,
    address: Annotated[str | None, typer.Option(help="--engine ray: the cluster (ray://HOST:10001, HOST:6379 or "
                                                "auto); default: start Ray on this machine.")] = None,
    shards: Annotated[Path | None, typer.Option(help="--engine ray: write analyses as Parquet shards into this "
                                                "folder instead of the store (then `claimgraph load`).",
                                                metavar="DIR")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Switch the learned components off (every "
                                             "stage on its rules alone).")] = False,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="When another ingest is writing to the same "
                                       "SQLite store: wait for it (default), or stop at once saying the store is "
                                       "busy.")] = True,
    time_budget: Annotated[float, typer.Option("--time-budget", help="Seconds of analysis per document: the "
                                               "stage that runs over is cut (noted on the document); a worker "
                                               "still busy at twice this plus 30 s is stopped and the input "
                                               "rejected. 0: no budget.", min=0)] = Settings().time_budget_s,
) -> None:
    """Ingest articles into the store: each analysed once, written whole or not at all."""
    if not sources and not reprocess:
        err.print("claimgraph: nothing to ingest (give SOURCE... or --reprocess)")
        raise typer.Exit(2)
    if engine is Engine.local and (address is not None or shards is not None):
        err.print("claimgraph: --address and --shards need --engine ray")
        raise typer.Exit(2)
    if shards is not None and (reprocess or not sources):
        err.print("claimgraph: --shards analyses SOURCE... into files; --reprocess works on a store")
        raise typer.Exit(2)
    settings = Settings(allow_private=allow_private, use_models=not rules_only, time_budget_s=time_budget)
    if engine is Engine.ray:
        summary = _ingest_ray(sources or [], db, settings, workers=workers, address=address, shards=shards,
                              reprocess=reprocess, url_list=url_list)
    else:
        from claimgraph.corpus.ingest import Ingest
        from claimgraph.corpus.store import StoreBusy
        from claimgraph.corpus.workers import WorkerFailed

        store = store_or_exit(db, create=True)
        total = None if url_list or reprocess else _count_inputs(sources or [])
        interrupted = False
        try:
            with _ctrl_c_after_current() as stop, _progress() as progress:
                run = Ingest(store, settings, workers=workers, on_progress=_ticker(progress, total, stop), isolate=True,
                             wait=wait, on_wait=lambda message: err.print(f"claimgraph: {message}", markup=False))
                try:
                    if sources:
                        run.run(sources, url_list=url_list)
                    if reprocess:
                        run.reprocess()
                except (Interrupted, KeyboardInterrupt):
                    interrupted = True
        except (StoreBusy, WorkerFailed) as exc:
            err.print(f"claimgraph: {exc}", markup=False)
            raise typer.Exit(2 if isinstance(exc, StoreBusy) else 1) from None
        finally:
            store.close()
        summary = run.summary
        if interrupted:
            _finish(summary, report)
            err.print("claimgraph: interrupted; every document counted above is stored whole. Run the same "
                      "command again to resume: stored documents are skipped as present.")
            raise typer.Exit(130)
    _finish(summary, report)
    if summary.rejected:
        raise typer.Exit(2)


def _ingest_ray(sources: list[str], db: str | None, settings: Settings, *, workers: int | None, address: str | None,
                shards: Path | None, reprocess: bool, url_list: bool) -> Summary:
    """``ingest --engine ray``: Ray missing, unreachable or failing is a one-line error, exit 2."""
    from claimgraph.corpus.distributed import RayIngest, RayUnavailable, import_ray, ingest_to_shards
    from claimgraph.corpus.shards import ShardError

    try:
        import_ray()
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # our progress line, not Ray Data's INFO log
        if shards is not None:
            with _progress() as progress:
                summary = ingest_to_shards(sources, settings, shards, workers=workers, address=address,
                                           url_list=url_list, on_progress=_ticker(progress))
            err.print(f"shards: {shards} (write them into a store with `claimgraph load {shards} --db ...`)")
            return summary
        store = store_or_exit(db, create=True)
        try:
            with _progress() as progress:
                run = RayIngest(store, settings, workers=workers, address=address, on_progress=_ticker(progress))
                if sources:
                    run.run(sources, url_list=url_list)
                if reprocess:
                    run.reprocess()
        finally:
            store.close()
        return run.summary
    except (RayUnavailable, ShardError) as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None


def load(
    folder: Annotated[Path, typer.Argument(help="A folder of shards from `ingest --engine ray --shards DIR`.",
                                           metavar="DIR")],
    db: DbOpt = None,
    report: Annotated[Path | None, typer.Option(help="Write every rejected input and its reason here "
                                                "(tab-separated).")] = None,
) -> None:
    """Write Parquet shards into a store: idempotent, counted like ingest.

    Each analysis is written and linked; inputs the store already has are counted as present;
    the rejects the shards carry are recorded with their reasons."""
    from claimgraph.corpus.shards import ShardError, ShardLoad

    store = store_or_exit(db, create=True)
    try:
        with _progress() as progress:
            run = ShardLoad(store, on_progress=_ticker(progress))
            summary = run.load(folder)
    except ShardError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None
    finally:
        store.close()
    _finish(summary, report)
    if summary.rejected:
        raise typer.Exit(2)


def stats(db: DbOpt = None, as_json: JsonOut = False) -> None:
    """Counts: documents, entities, claims by source type, events by type, anonymous share per outlet."""
    from claimgraph.corpus.queries import corpus_stats

    store = store_or_exit(db)
    data = corpus_stats(store)
    store.close()
    if as_json:
        out.print_json(json.dumps(data))
        return
    sections = [Section("Corpus", ("what", "count"),
                        [(key, str(data[key])) for key in ("documents", "entities", "claims", "events",
                                                           "relations", "rejected")]),
                Section("Claims by source type", ("source type", "claims"),
                        [(k, str(v)) for k, v in data["claims_by_source_type"].items()]),
                Section("Events by type", ("type", "events"), [(k, str(v)) for k, v in data["events_by_type"].items()]),
                Section("Anonymous sourcing by outlet", ("site", "claims", "anonymous", "share"),
                        [(str(r["site"]), str(r["claims"]), str(r["anonymous"]), f"{r['share']:.0%}")
                         for r in data["anonymous_by_site"]])]
    print_sections(sections, out)


def export(
    fmt: Annotated[str, typer.Argument(help="jsonl | csv | gexf | graphml | ftm | geojson | events-table",
                                       metavar="FORMAT")],
    db: DbOpt = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="File (or folder for csv); default stdout.")] = None,
) -> None:
    """Export the store to the tools users already have."""
    from claimgraph.corpus.export import EXPORTERS

    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        err.print(f"claimgraph: unknown format {fmt!r}; one of {', '.join(EXPORTERS)}")
        raise typer.Exit(2)
    store = store_or_exit(db)
    try:
        written = exporter(store, out_path if out_path is not None else sys.stdout)
    finally:
        store.close()
    err.print(f"exported {written}")


def _emit(rows: list[dict[str, Any]], as_json: bool, title: str, columns: list[tuple[str, str]], *,
          limit: int | None = None, offset: int = 0, total: int | None = None) -> None:
    """A page of rows as JSON lines, or as a table of the given (header, key) columns with a line
    saying how many are shown, of how many (when counted) and where the next page starts.
    ``rows`` may hold one row more than ``limit``: that row only says that more exist."""
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    note = shown_note(len(rows), offset, more, total) if limit is not None else f"{len(rows)} shown"
    print_sections([Section(title, tuple(h for h, _ in columns), columns_of(rows, columns), note)], out)


def _search_rows(store: Store, query: str, wanted: int) -> list[dict[str, Any]]:
    """Documents and claims for ``query``, best first; a query the store's syntax cannot parse is
    searched again as plain words, and the user is told so."""
    from sqlalchemy.exc import SQLAlchemyError

    from claimgraph.corpus.deadline import QueryTimeout
    from claimgraph.corpus.search import QueryTooComplex
    from claimgraph.corpus.search import search as run

    try:
        rows = run(store, query, limit=wanted)
    except (QueryTooComplex, QueryTimeout) as exc:  # refused before it ran, or stopped: one line, exit 2
        err.print(f"claimgraph: search {query[:80]!r}: {exc}", markup=False)
        raise typer.Exit(2) from None
    except SQLAlchemyError as exc:
        words = " ".join(w for w in "".join(c if c.isalnum() else " " for c in query).split()
                         if w not in ("AND", "OR", "NOT", "NEAR"))
        if not words:
            err.print(f"claimgraph: cannot search for {query!r}: no words in it", markup=False)
            raise typer.Exit(2) from None
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        err.print(f"claimgraph: {query!r} is not valid search syntax ({reason}); searching the words "
                  f"{words!r} instead", markup=False)
        try:
            rows = run(store, words, limit=wanted)
        except (QueryTooComplex, QueryTimeout) as again:
            err.print(f"claimgraph: search {words[:80]!r}: {again}", markup=False)
            raise typer.Exit(2) from None
        except SQLAlchemyError as again:
            err.print(f"claimgraph: search failed: {str(getattr(again, 'orig', again)).strip().splitlines()[0]}",
                      markup=False)
            raise typer.Exit(2) from None
    # documents and claims come from two indexes: one list, best of each first, in pages
    docs = [r for r in rows if r["kind"] == "document"]
    claims = [r for r in rows if r["kind"] == "claim"]
    merged: list[dict[str, Any]] = []
    while docs or claims:
        merged.extend(x.pop(0) for x in (docs, claims) if x)
    return merged


def search(query: Annotated[str, typer.Argument(help=filters.SEARCH_HELP)],
           db: DbOpt = None, limit: LimitOpt = 20, offset: OffsetOpt = 0, as_json: JsonOut = False) -> None:
    """Full-text search over article text and claim content."""
    checked(lambda: filters.page(limit, offset))
    store = store_or_exit(db)
    try:
        rows = _search_rows(store, query, offset + limit + 1)
    finally:
        store.close()
    _emit(rows[offset:], as_json, f"Search {query!r}", [("kind", "kind"), ("site", "site"),
                                                         ("published", "published"), ("source", "source"),
                                                         ("match", "snippet"), ("document", "doc_id")],
          limit=limit, offset=offset)


def entity(name: Annotated[str, typer.Argument(help="A name, alias, acronym or surname.")],
           db: DbOpt = None, as_json: JsonOut = False) -> None:
    """An entity's profile: aliases, documents, co-occurring entities, relations, events, claims."""
    from claimgraph.corpus.profile import entity_profile

    store = store_or_exit(db)
    profile = entity_profile(store, name)
    store.close()
    if profile is None:
        err.print(f"claimgraph: no entity called {name!r}")
        raise typer.Exit(1)
    if as_json:
        out.print_json(json.dumps(profile, ensure_ascii=False, default=str))
        return
    from claimgraph.corpus.profile import render_profile

    render_profile(profile, out)


def claims(
    db: DbOpt = None,
    source: Annotated[str | None, typer.Option(help="Who says it (an entity or source words).")] = None,
    about: Annotated[str | None, typer.Option(help="An entity the claim's content mentions.")] = None,
    source_type: Annotated[str | None, typer.Option(help=f"One of {', '.join(filters.SOURCE_TYPES)}.")]
    = None,
    single_source: Annotated[bool, typer.Option("--single-source", help="Only claims one outlet or one source "
                                                "stands behind.")] = False,
    limit: LimitOpt = 200, offset: OffsetOpt = 0, as_json: JsonOut = False,
) -> None:
    """Claims across the corpus, with who says them and how many outlets report them."""
    from claimgraph.corpus.queries import claims as run
    from claimgraph.corpus.queries import count_claims

    kind = checked(lambda: filters.source_type(source_type))
    checked(lambda: filters.page(limit, offset))
    store = store_or_exit(db)
    rows = run(store, source=source, about=about, source_type=kind, single_source=single_source,
               limit=limit + 1, offset=offset)
    # single-source is decided per group after the query: that list is not counted
    total = None if single_source or as_json else count_claims(store, source=source, about=about, source_type=kind)
    store.close()
    for r in rows:
        r["outlets"] = ", ".join(x for x in r["outlets"] if x)
    _emit(rows, as_json, "Claims", [("published", "published"), ("site", "site"), ("source", "source_text"),
                                    ("type", "source_type"), ("cue", "cue"), ("content", "content"),
                                    ("reported by", "outlets")], limit=limit, offset=offset, total=total)


def events(
    db: DbOpt = None,
    type: Annotated[str | None, typer.Option("--type", help="A PLOVER root type, e.g. ASSAULT.")] = None,
    actor: Annotated[str | None, typer.Option(help="Who acts.")] = None,
    place: Annotated[str | None, typer.Option(help="Where.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date or year (2018, 2025-03).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date or year, inclusive.")] = None,
    limit: LimitOpt = 100, offset: OffsetOpt = 0, as_json: JsonOut = False,
) -> None:
    """Events across the corpus, in date order (undated ones last)."""
    from claimgraph.corpus.queries import count_events
    from claimgraph.corpus.queries import events as run

    kind = checked(lambda: filters.event_type(type))
    since = checked(lambda: filters.date_prefix(since, "--since"))
    until = checked(lambda: filters.date_prefix(until, "--until"))
    checked(lambda: filters.page(limit, offset))
    store = store_or_exit(db)
    rows = run(store, type=kind, actor=actor, place=place, since=since, until=until, limit=limit + 1, offset=offset)
    total = None if as_json else count_events(store, type=kind, actor=actor, place=place, since=since, until=until)
    store.close()
    _emit(rows, as_json, "Events", [("date", "when_value"), ("type", "type"), ("actor", "actor_text"),
                                    ("recipient", "recipient_text"), ("where", "where_text"), ("trigger", "trigger"),
                                    ("site", "site"), ("modality", "modality")], limit=limit, offset=offset,
          total=total)


def timeline(name: Annotated[str, typer.Argument(help="An entity's name.")], db: DbOpt = None,
             limit: LimitOpt = 100, offset: OffsetOpt = 0, as_json: JsonOut = False) -> None:
    """Every event an entity takes part in (as actor, target or place), in date order."""
    from claimgraph.corpus.queries import count_events
    from claimgraph.corpus.queries import events as run

    checked(lambda: filters.page(limit, offset))
    store = store_or_exit(db)
    rows = run(store, involving=name, limit=limit + 1, offset=offset)
    total = None if as_json else count_events(store, involving=name)
    store.close()
    _emit(rows, as_json, f"Timeline of {name}", [("date", "when_value"), ("type", "type"), ("actor", "actor_text"),
                                                 ("recipient", "recipient_text"), ("where", "where_text"),
                                                 ("trigger", "trigger"), ("site", "site")], limit=limit, offset=offset,
          total=total)


entities_app = typer.Typer(help="Correct how entities are merged across documents (recorded, reversible).",
                           no_args_is_help=True, rich_markup_mode=None)


def _correct(db: str | None, action: Callable[[Any], Any]) -> Any:
    """Run one correction on the store's linker; a wrong id or member is a one-line error."""
    from claimgraph.corpus.link import Linker
    from claimgraph.corpus.resolve import ResolveError

    store = store_or_exit(db)
    try:
        return action(Linker(store))
    except ResolveError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None
    finally:
        store.close()


@entities_app.command("merge")
def entities_merge(a: Annotated[str, typer.Argument(help="Corpus entity id to keep.")],
                   b: Annotated[str, typer.Argument(help="Corpus entity id to fold into A.")],
                   db: DbOpt = None, reason: str = "user") -> None:
    """Merge entity B into entity A."""
    index = _correct(db, lambda linker: linker.merge(a, b, reason))
    err.print(f"merged {b} into {a} (log entry {index}; `claimgraph entities undo {index}` reverses it)")


@entities_app.command("split")
def entities_split(entity_id: Annotated[str, typer.Argument(help="Corpus entity id.")],
                   members: Annotated[list[str], typer.Argument(help="Members to move out: DOC_ID#LOCAL_ID "
                                                                "(see `claimgraph entities show`).")],
                   db: DbOpt = None, reason: str = "user") -> None:
    """Move some of an entity's document mentions into a new entity."""
    new_id = _correct(db, lambda linker: linker.split(entity_id, members, reason))
    err.print(f"split {len(members)} member(s) of {entity_id} into {new_id}")


@entities_app.command("undo")
def entities_undo(index: Annotated[int, typer.Argument(help="The log entry to reverse.")],
                  db: DbOpt = None) -> None:
    """Reverse a merge, a split or an automatic link (by its log entry)."""
    new = _correct(db, lambda linker: linker.undo(index))
    err.print(f"undid log entry {index} (as entry {new})")


@entities_app.command("show")
def entities_show(name: Annotated[str, typer.Argument(help="A name.")], db: DbOpt = None,
                  as_json: JsonOut = False) -> None:
    """The corpus entities a name may mean, with their members (DOC_ID#LOCAL_ID) and link reasons."""
    from claimgraph.corpus.profile import members_of
    from claimgraph.corpus.queries import find_entities

    store = store_or_exit(db)
    found = find_entities(store, name)
    rows = [{**e, "member": m["member"], "member_name": m["name"], "reason": m["reason"]}
            for e in found for m in members_of(store, e["id"])]
    store.close()
    _emit(rows, as_json, f"Entities called {name!r}", [("id", "id"), ("name", "name"), ("type", "type"),
                                                         ("member", "member"), ("as", "member_name"),
                                                         ("reason", "reason")])


def report(db: DbOpt = None) -> None:
    """The corpus report: merged actors, claims several outlets carry, events as a timeline.

    What is in the store, the actors merged across articles, the claims several outlets carry
    (and on whose word), and the events several outlets report."""
    from claimgraph.corpus.report import render_report

    store = store_or_exit(db)
    render_report(store, out)
    store.close()


def register(app: typer.Typer) -> None:
    from claimgraph.cli_disagreements import disagreements

    app.command()(report)
    app.command()(ingest)
    app.command()(load)
    app.command()(search)
    app.command()(entity)
    app.command()(claims)
    app.command()(events)
    app.command()(disagreements)
    app.command()(timeline)
    app.command()(stats)
    app.command()(export)
    app.add_typer(entities_app, name="entities")
