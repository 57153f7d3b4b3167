"""``POST /api/analyze``: one article in, its contract object out, within a size and a time limit.

Why a worker of its own: the pipeline is CPU-bound and spaCy is not meant to be shared by
threads, so analyses run one at a time in a single worker thread (the event loop stays free
to answer the read endpoints), and the pipeline loads once, on the first request, not when
the server starts (a server that only browses never pays for it). Why the limits: the
endpoint computes for anyone who can reach it; a body over the size limit is refused before
it is read whole, and a request that waits or runs past the time limit gets 504 (a queued
one is cancelled; a running one finishes in the background, its result dropped).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from claimgraph.corpus.sources import Item
from claimgraph.errors import InputError
from claimgraph.ingest.dates import normalise_date
from claimgraph.settings import Settings

if TYPE_CHECKING:
    from claimgraph.analyzer import Analyzer

#: default body limit of POST /api/analyze, bytes
MAX_BODY = 1_000_000
#: default time limit of one analysis (queueing included), seconds
TIMEOUT = 30.0
#: analyses running or waiting at most; one more is told to come back (503)
MAX_PENDING = 8


class AnalyzeRequest(BaseModel):
    """One article: its ``text`` or its ``html`` page, and what the caller knows about it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="The article as plain text (a first short line followed by a "
                                               "blank line is its title; a byline and a dateline are read).")
    html: str | None = Field(None, description="The article as an HTML page: its body text, title, author, date "
                                               "and site are extracted, boilerplate cut.")
    url: str | None = Field(None, max_length=2048, description="The article's URL (recorded, never fetched).")
    title: str | None = Field(None, max_length=1000, description="The title, when the text does not carry it.")
    published: str | None = Field(None, description="Publication date YYYY-MM-DD: relative dates resolve "
                                                    "against it.")
    site: str | None = Field(None, max_length=255, description="The outlet.")

    @field_validator("published")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        iso = normalise_date(value)
        if iso is None:
            raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
        return iso

    @model_validator(mode="after")
    def _one_body(self) -> AnalyzeRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' and 'html'")
        if not (self.text or self.html or "").strip():
            raise ValueError("the article is empty")
        return self


class AnalyzeWorker:
    """The app's one pipeline and the one thread it runs in."""

    def __init__(self, settings: Settings, *, max_body: int = MAX_BODY, timeout: float = TIMEOUT) -> None:
        self.settings = settings
        self.max_body = max_body
        self.timeout = timeout
        self.max_pending = MAX_PENDING
        self._pending = 0  # touched only on the event loop's thread
        self._analyzer: Analyzer | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimgraph-analyze")

    def _analyzer_once(self) -> Analyzer:
        with self._lock:
            if self._analyzer is None:
                from claimgraph.analyzer import Analyzer

                self._analyzer = Analyzer(self.settings)
            return self._analyzer

    def run(self, req: AnalyzeRequest) -> dict[str, Any]:
        """Analyse in the calling thread (the worker thread). The input is cleaned as ``claimgraph
        analyze`` cleans a file (a text's title line, byline and dateline; a page's boilerplate),
        before the pipeline loads, so input that is no article costs nothing; the caller's title
        and site fill in what the article does not say."""
        key = req.url or "request body"
        raw, media = (req.html, "text/html") if req.html is not None else (req.text or "", "text/plain")
        item = Item(key, "bytes", raw.encode("utf-8"), content_type=media, url=req.url, title=req.title,
                    published=req.published, site=req.site)
        doc = item.document(self.settings)
        return self._analyzer_once().analyze(doc).to_json()

    async def analyze(self, req: AnalyzeRequest) -> dict[str, Any]:
        """Run :meth:`run` in the worker thread; 504 past the time limit, 422 for an input that is
        not an article (its reason as the message), 503 when :attr:`max_pending` are already in
        hand (each waiting request holds its body in memory)."""
        if self._pending >= self.max_pending:
            raise HTTPException(503, "too many analyses waiting; try again shortly", {"retry-after": "5"})
        self._pending += 1
        future = asyncio.get_running_loop().run_in_executor(self._pool, self.run, req)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise HTTPException(504, f"the analysis took longer than {self.timeout:g} s") from None
        except InputError as exc:
            raise HTTPException(422, exc.reason) from None
        finally:
            self._pending -= 1

    async def read_body(self, request: Request) -> bytes:
        """The request body, refused with 413 as soon as it is known to pass the limit: by its
        declared length first, then while it streams in (a client may declare none, or lie)."""
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise HTTPException(400, "Content-Length is not a number")
            if int(declared) > self.max_body:
                raise HTTPException(413, f"the body is over the limit of {self.max_body} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.max_body:
                raise HTTPException(413, f"the body is over the limit of {self.max_body} bytes")
        return bytes(body)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


#: the request body as OpenAPI describes it (the route reads the body itself, to limit its size)
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": AnalyzeRequest.model_json_schema()}},
    }
}
