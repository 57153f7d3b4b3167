"""Tables for people: one description of a table, drawn for a terminal, a pipe or Markdown.

Why: a report is read in a terminal of any width, in a log, in a pipe to ``less`` or ``grep``,
and pasted into notes and tickets. Cells wrap instead of being cut ("Kash…" loses the place a
user looked for), boxes are drawn only on a terminal (box characters are noise in a log), and
the same rows render as a Markdown table for ``--format markdown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: a column is never narrower than its longest word up to this many characters
MAX_WORD = 22


@dataclass(slots=True)
class Section:
    """A titled table: column headers and rows of plain strings."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    #: a line under the table (e.g. "500 shown of 597; --offset 500 for the next page")
    note: str = ""

    def add(self, *cells: object) -> None:
        self.rows.append(tuple("" if c is None else str(c) for c in cells))


def column_widths(section: Section, available: int) -> list[int]:
    """Widths for the columns within ``available`` characters: each gets its longest word (up to
    MAX_WORD) so that text wraps between words, and the room left goes to the columns that want
    more, in proportion to what they lack."""
    cells = [[row[i] for row in section.rows] + [section.columns[i]] for i in range(len(section.columns))]
    wanted = [max(len(line) for cell in col for line in cell.splitlines() or [""]) for col in cells]
    least = [min(max((len(w) for cell in col for w in cell.split()), default=1), MAX_WORD) for col in cells]
    least = [min(lo, want) for lo, want in zip(least, wanted, strict=True)]
    room = available - sum(least)
    if sum(wanted) <= available or room <= 0:
        return wanted if sum(wanted) <= available else least
    lack = [want - lo for lo, want in zip(least, wanted, strict=True)]
    total_lack = sum(lack)
    widths = [lo + (room * need) // total_lack for lo, need in zip(least, lack, strict=True)]
    return widths


def rich_table(section: Section, console: Console) -> Table:
    """The section as a Rich table: boxed on a terminal, plain in a pipe; cells wrap, never cut."""
    boxed = console.is_terminal
    table = Table(title=section.title, box=box.SIMPLE_HEAD if boxed else None, show_edge=boxed,
                  title_justify="left", expand=False, pad_edge=False, collapse_padding=not boxed)
    gaps = (len(section.columns) - 1) * (3 if boxed else 1) + (4 if boxed else 0)
    for name, width in zip(section.columns, column_widths(section, console.width - gaps), strict=True):
        table.add_column(name, overflow="fold", width=max(width, 1))
    for row in section.rows:
        table.add_row(*(Text(cell) for cell in row))  # cells quote articles: never Rich markup
    return table


def print_sections(sections: Iterable[Section], console: Console) -> None:
    for section in sections:
        console.print(rich_table(section, console))
        if section.note:
            console.print(section.note, markup=False, highlight=False)
        console.print()


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def markdown_table(section: Section) -> str:
    """The section as a GitHub-flavoured Markdown table under a level-2 heading."""
    lines = [f"## {section.title}", ""]
    if section.rows:
        lines.append("| " + " | ".join(_md_cell(c) for c in section.columns) + " |")
        lines.append("|" + "|".join("---" for _ in section.columns) + "|")
        lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in section.rows)
    else:
        lines.append("(none)")
    if section.note:
        lines += ["", section.note]
    return "\n".join(lines) + "\n"


def shown_note(shown: int, offset: int, more: bool, total: int | None = None) -> str:
    """What a page of a list holds: '20 shown (1–20) of 597; next page: --offset 20'."""
    if shown == 0:
        return "none found" if offset == 0 else f"nothing past offset {offset}"
    span = f"{offset + 1}–{offset + shown}"
    of = f" of {total}" if total is not None else (" of more" if more else "")
    tail = f"; next page: --offset {offset + shown}" if more else ""
    return f"{shown} shown ({span}){of}{tail}"


def columns_of(rows: Sequence[dict[str, object]], columns: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Rows of dicts as string cells in the order of (header, key) columns."""
    return [tuple("" if row.get(key) is None else str(row.get(key)) for _, key in columns) for row in rows]
