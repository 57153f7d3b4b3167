"""``claimgraph serve``: the corpus as a browser UI and a REST API (#6). Registered on the main app
by :mod:`claimgraph.cli`.

Why it refuses some addresses: the server answers anyone who can reach it, and without a token
it lets them correct entity merges. On a loopback address only this machine can reach it (and
the app then accepts only loopback ``Host`` names, against DNS rebinding); on any other address
it runs only with a token, which every request must carry.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from claimgraph.cli_corpus import DbOpt

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

TOKEN_ENV = "CLAIMGRAPH_TOKEN"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


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
) -> None:
    """Serve the corpus as a browser UI and a REST API (/api, reference at /docs)."""
    try:
        import uvicorn

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
    app = create_app(store, token=token, allowed_hosts=allowed)
    out.print(f"claimgraph: serving {_shown(db)} at {url_for(host, port, token)}", markup=False)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="info", server_header=False)


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
