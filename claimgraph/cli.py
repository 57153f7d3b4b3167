"""The ``claimgraph`` command: a thin shell over the library.

Errors become one-line messages and exit codes here and only here: 2 when an input was
skipped (it names the input and the reason), 1 for anything unexpected.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.settings import Settings

app = typer.Typer(
    help="Turn news articles into a graph of who, what happened, when, where, and who says so.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
)
evaluate_app = typer.Typer(help="Score claimgraph against the benchmark data in shared/data.",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(evaluate_app, name="evaluate")

RulesOnlyOpt = Annotated[bool, typer.Option("--rules-only", help="Switch the learned components off and run "
                                            "every stage on its rules alone (for comparison).")]


@evaluate_app.callback()
def _evaluate_options(ctx: typer.Context, rules_only: RulesOnlyOpt = False) -> None:
    """Options shared by every evaluation: `claimgraph evaluate --rules-only ner ...`."""
    ctx.obj = Settings(use_models=not rules_only)

err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    json = "json"
    text = "text"
    markdown = "markdown"


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@app.command()
def analyze(
    sources: Annotated[list[str], typer.Argument(help="Files, http(s) URLs, or - for standard input.",
                                                 metavar="PATH|URL|-")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json: the contract object, one per "
                                           "line; text: a readable report (boxed on a terminal, plain in a "
                                           "pipe); markdown: the report for notes and tickets.")] = Format.text,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD; relative dates "
                                                  "resolve against it. Overrides the page's own.")] = None,
    url: Annotated[str | None, typer.Option(help="The article's URL, when the input is a file or stdin.")]
    = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private, "
                                                "loopback and link-local addresses.")] = False,
    pretty: Annotated[bool, typer.Option(help="Indent JSON output.")] = False,
    rules_only: RulesOnlyOpt = False,
) -> None:
    """Analyse articles: who and what (entities with aliases and types, places on the map), when
    (dates resolved against the publication date), who says so (claims with their source, cue and
    content; anonymous sources marked), what happened (PLOVER events with actor, target, place and
    date) and how the actors are tied (relations). Every item points at its exact characters.

    Inputs are checked before the models load: an empty, missing or oversized input is rejected at
    once (exit 2), and a batch goes on past a bad input."""
    published = _check_date(published)
    from claimgraph.analyzer import Analyzer

    analyzer = Analyzer(Settings(allow_private=allow_private, use_models=not rules_only))
    out = Console(highlight=False, soft_wrap=True)
    done, skipped, failed = 0, 0, 0
    for source in sources:
        try:
            result = analyzer.analyze(source, url=url, published=published,
                                      stdin=sys.stdin.buffer if source == "-" else None)
        except InputError as exc:
            skipped += 1
            err.print(f"claimgraph: skipped {exc.source}: {exc.reason}", markup=False)
            continue
        except ClaimgraphError as exc:
            failed += 1
            err.print(f"claimgraph: {source}: {exc}", markup=False)
            continue
        except Exception as exc:  # a bug must not end a batch; say which input hit it
            failed += 1
            err.print(f"claimgraph: internal error on {source}: {type(exc).__name__}: {exc}", markup=False)
            continue
        done += 1
        if format is Format.json:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2 if pretty else None))
            sys.stdout.write("\n")
        elif format is Format.markdown:
            from claimgraph.report import render_markdown

            sys.stdout.write(render_markdown(result) + "\n")
        else:
            from claimgraph.report import render

            render(result, out)
    if len(sources) > 1 or skipped or failed:
        err.print(f"claimgraph: analysed {done}, skipped {skipped}, failed {failed}", markup=False)
    if failed:
        raise typer.Exit(1)
    if skipped:
        raise typer.Exit(2)


def _print_report(report: object, as_json: bool) -> None:
    from claimgraph.evaluate.scoring import Report

    assert isinstance(report, Report)
    if as_json:
        print(json.dumps(report.as_dict(), indent=2))
        return
    table = Table(title=report.title)
    table.add_column("")
    table.add_column("figures")
    for name, row in report.rows.items():
        table.add_row(name, "  ".join(f"{k} {v}" for k, v in row.items()))
    console = Console()
    console.print(table)
    for note in report.notes:
        console.print(f"[dim]{note}[/dim]")
    for section in report.sections:
        _print_report(section, as_json=False)


DataOpt = Annotated[list[Path], typer.Option("--data", help="JSONL file(s) in shared/data's format.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]


def _run_eval(ctx: typer.Context, module: str, data: list[Path], as_json: bool, **options: object) -> None:
    """Run ``claimgraph.evaluate.<module>`` with the settings ``claimgraph evaluate`` chose
    (its ``--rules-only``), which the subcommand's context inherits from the group's."""
    import importlib

    try:
        evaluator = importlib.import_module(f"claimgraph.evaluate.{module}")
        settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
        report = evaluator.evaluate(data, settings=settings, **options)

    except ClaimgraphError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None
    _print_report(report, as_json)


@evaluate_app.command("ner")
def evaluate_ner(ctx: typer.Context, data: DataOpt, as_json: JsonOpt = False,
                 split: Annotated[str | None, typer.Option(
                     "--split", help="Only records of this split (ECB+ keeps train and dev in one file).")] = None,
                 ) -> None:
    """Named entities (MEANTIME, ECB+, GUM converted by `python -m claimgraph.evaluate.gum`, the
    project's own articles): typed P/R/F1 on MEANTIME's coarse types, exact and overlap, per type,
    against bare spaCy on the same texts."""
    _run_eval(ctx, "ner", data, as_json, split=split)


@evaluate_app.command("time")
def evaluate_time(ctx: typer.Context, data: DataOpt, as_json: JsonOpt = False) -> None:
    """Time expressions (MEANTIME): detection P/R/F1, value F1 (TempEval-3, durations and REF values
    counted) and value accuracy on detected."""
    _run_eval(ctx, "time", data, as_json)


@evaluate_app.command("geo")
def evaluate_geo(ctx: typer.Context, data: DataOpt, as_json: JsonOpt = False,
                 gold_spans: Annotated[bool, typer.Option("--gold-spans", help="Give the resolver the gold "
                                                          "toponym spans (scores the ranker alone).")] = False
                 ) -> None:
    """Toponyms (GeoWebNews), end to end or given the gold spans: recall, accuracy@161 km, country accuracy."""
    _run_eval(ctx, "geo", data, as_json, gold_spans=gold_spans)


@evaluate_app.command("attribution")
def evaluate_attribution(ctx: typer.Context, data: DataOpt, as_json: JsonOpt = False) -> None:
    """Attribution (PolNeAR, MEANTIME): cue, source and content P/R/F1, exact and token overlap,
    attribution-level F1 and speaker resolution of pronoun sources."""
    _run_eval(ctx, "attribution", data, as_json)


@evaluate_app.command("events")
def evaluate_events(ctx: typer.Context, data: DataOpt, as_json: JsonOpt = False) -> None:
    """Events (PLV, MEANTIME, IndiaPoliceEvents, by the records' corpus): PLOVER type accuracy and
    macro-F1 given the gold dyad; event-mention F1 and actor/recipient attachment; police event
    labels per sentence."""
    _run_eval(ctx, "events", data, as_json)


def _register_corpus() -> None:
    from claimgraph.cli_corpus import register

    register(app)


_register_corpus()


def _register_web() -> None:
    from claimgraph.cli_web import register

    register(app)


_register_web()


@evaluate_app.command("xdoc")
def evaluate_xdoc(
    ctx: typer.Context,
    data: DataOpt,
    as_json: JsonOpt = False,
    split: Annotated[str | None, typer.Option(help="Only records of this split (ECB+: train or dev; the file "
                                              "holds both).")] = None,
) -> None:
    """Cross-document coreference (ECB+, MEANTIME): B³, MUC, CEAF-e and CoNLL F1 of the corpus entity
    resolver and of the corpus event groups, per topic and over the whole file, with same-lemma baselines."""
    _run_eval(ctx, "xdoc", data, as_json, split=split)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
