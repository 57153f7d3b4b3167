"""A seeded generator of odd and hostile ingest inputs (#19), shared by the fuzz tests (a few
hundred cases) and ``bench/fuzz.py`` (10,000).

Each case makes one entry in a folder — a file, a folder, a link or a FIFO — of one of the kinds
users meet: random and high bytes, truncated and deeply nested HTML, script-only pages,
zero-width and right-to-left characters, eight encodings, NUL bytes, malformed JSONL (huge
numbers, deep nesting, BOMs, bad dates), RSS/Atom feeds (broken, empty), WARC files (random,
empty, truncated), symbolic-link loops, broken links, links out of the folder, FIFOs,
unreadable files and folders, names with newlines and undecodable bytes, long repetitive
texts. :func:`make_inputs` returns, for every case, the keys by which ingest must account for
it, so a test can check that none went missing.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimgraph.corpus.walk import display_name

_VOCABULARY = ("the army said police officials militants attack checkpoint Bannu Peshawar Lahore minister "
               "spokesman told reporters on Monday that three people were killed near the border in a raid "
               "Ghazanfar Khan Wazir Tehreek commander district hospital curfew protest")
WORDS = tuple(_VOCABULARY.split(" "))
NAMES = ("Ghazanfar", "Tahir Ayub", "Hina Qazi", "Rafiq Anwar", "Sana Iqbal")
ENCODINGS = ("utf-8", "utf-16", "latin-1", "cp1252", "shift_jis", "koi8-r", "gb18030", "iso-8859-7")


@dataclass
class Case:
    kind: str
    #: display names that account for this case, each a key or a key prefix followed by '#'
    #: (``a|b``: either will do)
    keys: list[str]


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _article(rng: random.Random, sentences: int = 6) -> str:
    return "\n\n".join(_sentence(rng, rng.randint(6, 20)) for _ in range(sentences))


def _html(rng: random.Random) -> str:
    body = "".join(f"<p>{_sentence(rng, 14)}</p>" for _ in range(rng.randint(3, 8)))
    return f"<html><head><title>{_sentence(rng, 5)}</title></head><body><article>{body}</article></body></html>"


def _warc_bytes(pages: list[tuple[str, str]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                                      http_headers=headers))
    return buf.getvalue()


def _file(path: Path, data: bytes) -> list[str]:
    path.write_bytes(data)
    return [display_name(str(path))]


# -- the cases: each makes one entry named from ``stem`` and returns its keys --------------------------

def random_bytes(rng: random.Random, d: Path, stem: str) -> list[str]:
    ext = rng.choice([".txt", ".html", ".warc", ".warc.gz", ".jsonl", ".rss", ".parquet", ".xml"])
    return _file(d / f"{stem}{ext}", rng.randbytes(rng.randint(0, 4000)))


def high_bytes(rng: random.Random, d: Path, stem: str) -> list[str]:
    return _file(d / f"{stem}.txt", bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 3000))))


def nested_html(rng: random.Random, d: Path, stem: str) -> list[str]:
    depth = rng.choice([50, 500, 5000, 20000])
    html = "<div>" * depth + _sentence(rng) + ("</div>" * depth if rng.random() < 0.5 else "")
    return _file(d / f"{stem}.html", html.encode())


def truncated_html(rng: random.Random, d: Path, stem: str) -> list[str]:
    html = _html(rng)
    return _file(d / f"{stem}.html", html[: rng.randint(0, len(html))].encode())


def script_only(rng: random.Random, d: Path, stem: str) -> list[str]:
    js = "var x = 1;" * rng.randint(1, 500)
    return _file(d / f"{stem}.html", f"<html><head><script>{js}</script></head><body><script>{js}</script>"
                                     "</body></html>".encode())


def invisible_chars(rng: random.Random, d: Path, stem: str) -> list[str]:
    marks = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff"
    text = "".join(ch + (rng.choice(marks) if rng.random() < 0.3 else "") for ch in _article(rng))
    return _file(d / f"{stem}.txt", text.encode("utf-8"))


def encodings(rng: random.Random, d: Path, stem: str) -> list[str]:
    enc = rng.choice(ENCODINGS)
    text = _article(rng) + " café naïve Zürich Ελλάδα Москва 北京"
    return _file(d / f"{stem}.{rng.choice(['txt', 'html'])}", text.encode(enc, errors="replace"))


def nul_bytes(rng: random.Random, d: Path, stem: str) -> list[str]:
    text = _article(rng).encode()
    cut = rng.randint(0, len(text))
    return _file(d / f"{stem}.txt", text[:cut] + b"\x00" * rng.randint(1, 50) + text[cut:])


def malformed_jsonl(rng: random.Random, d: Path, stem: str) -> list[str]:
    lines = []
    for _ in range(rng.randint(0, 6)):
        pick = rng.randrange(9)
        if pick == 0:
            lines.append(json.dumps({"text": _article(rng), "published": rng.choice(
                ["2025-03-04", "yesterday", "2025-13-45", "", "March 3, 2025"])}))
        elif pick == 1:
            lines.append('{"text": "x", "n": ' + "9" * rng.choice([100, 5000, 50000]) + "}")
        elif pick == 2:
            depth = rng.choice([100, 10000])
            lines.append("[" * depth + "]" * depth)
        elif pick == 3:
            lines.append('{"text": ' + json.dumps(_article(rng))[: rng.randint(1, 50)])
        elif pick == 4:
            lines.append(json.dumps({"html": _html(rng), "url": "https://fuzz.example/x"}))
        elif pick == 5:
            lines.append(json.dumps([1, 2, 3]))
        elif pick == 6:
            lines.append(json.dumps({"text": 12345, "title": {"nested": [1] * 10}}))
        elif pick == 7:
            lines.append("")
        else:
            lines.append(rng.randbytes(40).decode("latin-1"))
    data = "\n".join(lines).encode("utf-8", "surrogateescape")
    if rng.random() < 0.3:
        data = b"\xef\xbb\xbf" + data
    return _file(d / f"{stem}.jsonl", data)


def feed(rng: random.Random, d: Path, stem: str) -> list[str]:
    body = "".join(f"<p>{_sentence(rng, 16)}</p>" for _ in range(60))  # full text: never fetched
    items = []
    for j in range(rng.randint(0, 4)):
        if rng.random() < 0.5:
            items.append(f"<item><title>{_sentence(rng, 4)}</title><link>https://fuzz.example/{stem}/{j}</link>"
                         f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")
        else:
            items.append(f"<item><title>{_sentence(rng, 4)}</title><description>short</description></item>")
    xml = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           f"<channel><title>Fuzz Feed</title>{''.join(items)}</channel></rss>")
    if rng.random() < 0.3:
        xml = xml[: rng.randint(10, len(xml))]
    path = d / f"{stem}.{rng.choice(['rss', 'xml', 'atom'])}"
    return [_file(path, xml.encode())[0] + f"|https://fuzz.example/{stem}/"]


def warc(rng: random.Random, d: Path, stem: str) -> list[str]:
    gz = rng.random() < 0.5
    pages = [(f"https://fuzz.example/{stem}/{j}", _html(rng)) for j in range(rng.randint(0, 3))]
    data = _warc_bytes(pages, gz=gz)
    if rng.random() < 0.4 and data:
        data = data[: rng.randint(1, len(data))]
    if gz and rng.random() < 0.2:
        data += gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nxx")
    return _file(d / f"{stem}.warc{'.gz' if gz else ''}", data)


def repetitive(rng: random.Random, d: Path, stem: str) -> list[str]:
    name = rng.choice(NAMES)
    clause = f"{name} said the {name} of {name} told {name} that "
    return _file(d / f"{stem}.txt", (clause * rng.randint(10, 600)).encode())


def random_unicode(rng: random.Random, d: Path, stem: str) -> list[str]:
    chars = [chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
             for _ in range(rng.randint(1, 3000))]
    return _file(d / f"{stem}.txt", "".join(chars).encode("utf-8", "replace"))


def symlink_loop(rng: random.Random, d: Path, stem: str) -> list[str]:
    a, b = d / f"{stem}-a.txt", d / f"{stem}-b.txt"
    os.symlink(b.name, a)
    os.symlink(a.name, b)
    return [display_name(str(a)), display_name(str(b))]


def broken_link(rng: random.Random, d: Path, stem: str) -> list[str]:
    link = d / f"{stem}.txt"
    os.symlink(f"missing-{stem}.txt", link)
    return [display_name(str(link))]


def outside_link(rng: random.Random, d: Path, stem: str) -> list[str]:
    outside = d.parent / f"outside-{stem}.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n" + _article(rng))
    link = d / f"{stem}.txt"
    os.symlink(outside, link)
    return [display_name(str(link))]


def fifo(rng: random.Random, d: Path, stem: str) -> list[str]:
    path = d / f"{stem}.txt"
    os.mkfifo(path)
    return [display_name(str(path))]


def unreadable(rng: random.Random, d: Path, stem: str) -> list[str]:
    if rng.random() < 0.5:
        folder = d / stem
        folder.mkdir()
        (folder / "inside.txt").write_text(_article(rng))
        folder.chmod(0)
        # as root the folder is still readable: then its file is read
        return [f"{display_name(str(folder))}|{display_name(str(folder / 'inside.txt'))}"]
    path = d / f"{stem}.txt"
    path.write_text(_article(rng))
    path.chmod(0)
    return [display_name(str(path))]


def odd_name(rng: random.Random, d: Path, stem: str) -> list[str]:
    tail = rng.choice([b"\xff\xfe", b"line\nbreak", b"tab\tand\rcr", b"\xc3\x28", b"caf\xc3\xa9"])
    raw = os.fsencode(str(d)) + b"/" + stem.encode() + tail + b".txt"
    with open(raw, "wb") as fh:
        fh.write(_article(rng).encode())
    return [display_name(os.fsdecode(raw))]


def plain(rng: random.Random, d: Path, stem: str) -> list[str]:
    return _file(d / f"{stem}.{rng.choice(['txt', 'html'])}",
                 (_article(rng) if rng.random() < 0.5 else _html(rng)).encode())


def other_file(rng: random.Random, d: Path, stem: str) -> list[str]:
    name = rng.choice([f"{stem}.jpg", f"{stem}.py", f".{stem}.txt", stem])
    return _file(d / name, rng.randbytes(100))


CASES: dict[str, Callable[[random.Random, Path, str], list[str]]] = {
    f.__name__: f for f in (random_bytes, high_bytes, nested_html, truncated_html, script_only, invisible_chars,
                            encodings, nul_bytes, malformed_jsonl, feed, warc, repetitive, random_unicode,
                            symlink_loop, broken_link, outside_link, fifo, unreadable, odd_name, plain, other_file)
}


def make_inputs(folder: Path, n: int, *, seed: int) -> list[Case]:
    """``n`` cases in ``folder`` (which must exist), chosen and filled from ``seed``."""
    rng = random.Random(seed)
    kinds = sorted(CASES)
    cases = []
    for i in range(n):
        kind = kinds[i % len(kinds)] if i < len(kinds) else rng.choice(kinds)
        cases.append(Case(kind, CASES[kind](rng, folder, f"c{i:05d}-{kind}")))
    return cases


def unaccounted(cases: list[Case], keys: set[str]) -> list[str]:
    """The case keys that no ingested, present, rejected or skipped key accounts for."""
    known = set(keys) | {k.rsplit("#", 1)[0] for k in keys} | {k.rsplit("/", 1)[0] + "/" for k in keys}
    missing = []
    for case in cases:
        for key in case.keys:
            if not any(alt in known for alt in key.split("|")):
                missing.append(f"{case.kind}: {key}")
    return missing


__all__ = ["CASES", "Case", "make_inputs", "unaccounted"]
