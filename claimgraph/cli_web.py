"""``claimgraph serve``: the corpus as a browser UI and a REST API (#6). Registered on the main app
by :mod:`claimgraph.cli`.

Why it refuses some addresses: the server answers anyone who can reach it, and without a token
it lets them correct entity merges. On a loopback address only this machine can reach it (and
the app then accepts only loopback ``Host`` names, against DNS rebinding); on any other address
it runs only with a token, which every request must carry.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from rich.console import Console

from claimgraph.cli_corpus import DbOpt

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

TOKEN_ENV = "CLAIMGRAPH_TOKEN"
#: how ``serve --workers N`` tells its processes what to serve
DB_ENV, HOSTS_ENV, THREADS_ENV, CACHE_ENV = ("CLAIMGRAPH_SERVE_DB", "CLAIMGRAPH_SERVE_HOSTS",
                                              "CLAIMGRAPH_SERVE_THREADS", "CLAIMGRAPH_SERVE_CACHE")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")
#: seconds a stopping server (SIGTERM, Ctrl-C) waits for requests in flight before cancelling them
GRACE_SECONDS = 3


def url_for(host: str, port: int, token: str | None) -> str:
    """The address to open (with the token, so the first visit signs the browser in)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to bind; anything but a loopback address needs --token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(help=f"Require this token on every request (also from "
                                              f"${TOKEN_ENV}).", envvar=TOKEN_ENV, show_envvar=True)] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (each answers requests on its "
                                                             "own core; 1 is one process).")] = 1,
    threads: Annotated[int, typer.Option(min=1, max=256, help="Requests one process works on at once.")] = 16,
    cache: Annotated[bool, typer.Option(help="Keep answers until the store changes (SQLite stores).")] = True,
) -> None:
    """Serve the corpus as a browser UI and a REST API (/api, reference at /docs)."""
    try:
        import uvicorn

        from claimgraph.corpus.deadline import stop as stop_queries
        from claimgraph.web.app import create_app
        from claimgraph.web.security import check_token, is_loopback
    except ImportError as exc:
        err.print(f"claimgraph: the web server needs the web extra ({exc.name} is missing): "
                  "pip install 'claimgraph[web]'", markup=False)
        raise typer.Exit(2) from None
    token = token or None
    try:
        check_token(token)
    except ValueError as exc:
        err.print(f"claimgraph: {exc}", markup=False)
        raise typer.Exit(2) from None
    if not is_loopback(host) and token is None:
        err.print(f"claimgraph: refusing to serve on {host} without a token: anyone who can reach it could "
                  f"read the corpus and change it. Give --token (or set {TOKEN_ENV}), or bind 127.0.0.1.",
                  markup=False)
        raise typer.Exit(2)
    from claimgraph.cli_corpus import resolve_db, store_or_exit

    db = resolve_db(db)
    store = store_or_exit(db)
    allowed = None
    if token is None:
        # no token: only names of this machine, whatever a DNS record says
        allowed = {*LOOPBACK_NAMES, host.lower(), f"[{host.lower()}]"}
    options: dict[str, Any] = {"host": host.strip("[]"), "port": port, "log_level": "info", "server_header": False,
                               "timeout_graceful_shutdown": GRACE_SECONDS}
    if workers > 1:
        # each process opens the store itself (see app_from_env); this one only supervises them
        store.close()
        os.environ.update({DB_ENV: db, HOSTS_ENV: ",".join(sorted(allowed)) if allowed is not None else "",
                           THREADS_ENV: str(threads), CACHE_ENV: "1" if cache else ""})
        if token:
            os.environ[TOKEN_ENV] = token
        out.print(f"claimgraph: serving {_shown(db)} at {url_for(host, port, token)} with {workers} processes",
                  markup=False)
        uvicorn.run("claimgraph.cli_web:app_from_env", factory=True, workers=workers, **options)
        return
    app = create_app(store, token=token, allowed_hosts=allowed, threads=threads, cache=cache)
    out.print(f"claimgraph: serving {_shown(db)} at {url_for(host, port, token)}", markup=False)
    try:
        uvicorn.run(app, **options)
    finally:
        # a request still running (its task was cancelled, its thread was not) stops at its next
        # database step, so SIGTERM ends the process in seconds
        stop_queries(store.engine)
        store.close()


def app_from_env() -> Any:
    """The app of one server process when ``serve`` runs several (uvicorn imports it by name in
    each): the store, host names, token and threads come from the environment ``serve`` set."""
    from claimgraph.web.app import create_app

    hosts = os.environ.get(HOSTS_ENV, "")
    return create_app(os.environ[DB_ENV], token=os.environ.get(TOKEN_ENV) or None,
                      allowed_hosts=hosts.split(",") if hosts else None,
                      threads=int(os.environ.get(THREADS_ENV, "16")), cache=bool(os.environ.get(CACHE_ENV)))


def register(app: typer.Typer) -> None:
    app.command()(serve)


def _shown(db: str) -> str:
    """The store as the console may show it: a database URL without its password."""
    if "://" not in db:
        return db
    from sqlalchemy.engine import make_url

    try:
        return make_url(db).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: the store will say so when opened
        return db.split("@")[-1]
