"""What the served store must not do (#20): answer a 500 to a huge number, write the sign-in
token to its access log, accept a write from a page of another scheme, or ignore SIGTERM.
The app in process (httpx.ASGITransport) over a real SQLite file, and ``claimgraph serve`` as a
real subprocess on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from claimgraph.web.app import create_app
from claimgraph.web.security import redact, same_origin
from tests.test_search_limits import make_store

REPO = Path(__file__).resolve().parent.parent
HUGE = (2**63, 2**64, 10**30)
TOKEN = "s3cret-Token_123"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("security") / "corpus.db"
    make_store(path).close()
    return path


@pytest.fixture(scope="module")
def app(db: Path) -> FastAPI:
    return create_app(str(db))


def call(app: FastAPI, method: str, url: str, *, base: str = "http://testserver", **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=base) as c:
            return await c.request(method, url, **kwargs)
    return asyncio.run(go())


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("url", ["/api/documents?offset={}", "/api/entities?offset={}", "/api/merges?offset={}",
                                 "/api/claims?offset={}", "/api/events?offset={}", "/api/search?q=police&offset={}",
                                 "/api/timeline?name=Bannu&offset={}", "/api/documents?limit={}",
                                 "/api/graph?limit={}"])
def test_huge_numbers_in_the_api_are_422_as_json(app: FastAPI, url: str, value: int) -> None:
    r = call(app, "GET", url.format(value))
    assert r.status_code == 422, (url, r.status_code, r.text[:200])
    assert r.json()["status"] == 422 and r.json()["error"]


@pytest.mark.parametrize("url", ["/documents?page_no={}", "/entity/ce-000000000000?log={}"])
def test_huge_numbers_in_pages_are_422(app: FastAPI, url: str) -> None:
    for value in HUGE:
        r = call(app, "GET", url.format(value))
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), (url, r.status_code)


def test_a_write_from_another_scheme_is_refused(app: FastAPI) -> None:
    body = {"into": "ce-000000000000", "from": "ce-000000000001"}
    headers = {"origin": "http://testserver"}
    r = call(app, "POST", "/api/entities/merge", base="https://testserver", json=body, headers=headers)
    assert r.status_code == 403 and r.json()["error"] == "cross-origin request refused"
    r = call(app, "POST", "/api/entities/merge", base="https://testserver", json=body,
             headers={"origin": "https://testserver"})
    assert r.status_code == 404  # past the origin check: the entities do not exist


def test_same_origin_compares_scheme_host_and_port() -> None:
    assert same_origin("https://example.org", "https", "example.org")
    assert same_origin("https://example.org:443", "https", "example.org")
    assert same_origin("http://127.0.0.1:8000", "http", "127.0.0.1:8000")
    assert not same_origin("http://example.org", "https", "example.org")
    assert not same_origin("https://example.org", "http", "example.org")
    assert not same_origin("http://127.0.0.1:8001", "http", "127.0.0.1:8000")
    assert not same_origin("http://evil.example", "http", "example.org")
    assert not same_origin("null", "http", "example.org")
    assert not same_origin("http://example.org:99999", "http", "example.org")


def test_redact_takes_the_token_out_of_a_request_line() -> None:
    assert redact(f"/?token={TOKEN}") == "/?token=[redacted]"
    assert redact(f"/api/stats?a=1&token={TOKEN}&b=2") == "/api/stats?a=1&token=[redacted]&b=2"
    assert redact("/search?q=token") == "/search?q=token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early: {proc.communicate()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not start")


def test_served_process_keeps_the_token_out_of_its_log_and_stops_on_sigterm(db: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "CLAIMGRAPH_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "claimgraph.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=str(REPO))
    try:
        _wait_until_up(port, proc)
        base = f"http://127.0.0.1:{port}"
        # no cookie jar: each request signs in by its query string alone
        assert httpx.get(f"{base}/?token={TOKEN}", timeout=30).status_code == 303
        assert httpx.get(f"{base}/api/stats?token={TOKEN}", timeout=30).status_code == 200
        assert httpx.get(f"{base}/api/stats?token=wrong-guess", timeout=30).status_code == 401
        assert httpx.get(f"{base}/api/search", params={"q": " ".join(["ab*"] * 48), "token": TOKEN},
                         timeout=30).status_code == 422
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)  # stops, with time to spare on a busy machine
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    access = [line for line in output.splitlines() if '" 303' in line or '" 200' in line or '" 4' in line]
    assert len(access) >= 4, output
    assert not any(TOKEN in line for line in access), access
    assert any("token=[redacted]" in line for line in access), access
    assert "wrong-guess" not in "\n".join(access)
    assert proc.returncode is not None
