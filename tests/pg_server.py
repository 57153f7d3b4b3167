"""A throwaway PostgreSQL server for the test session: the store, query and API suites run on
it as well as on SQLite, against a real server rather than a stand-in.

Found from Debian's server binaries (``/usr/lib/postgresql/*/bin``); when they are missing and
the tests run as root, Debian's ``postgresql`` package is installed first. The cluster lives in
a temporary folder, listens on a free local port (and a socket in that folder, never the system
one), and is stopped when the session ends. ``initdb`` refuses to run as root, so as root the
cluster belongs to the ``postgres`` system user. Anything that fails makes :func:`start` return
the reason, and the PostgreSQL tests skip with it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

#: how long the server may take to start (seconds)
START_TIMEOUT = 60


@dataclass
class Server:
    """A running cluster: its folder, port and how to reach it."""

    root: Path
    port: int
    bin: Path
    user: str | None  # the system user it runs as (None: the current one)

    @property
    def base_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def create_database(self, prefix: str = "cg") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return f"{self.base_url}/{name}"

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, cmd: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=START_TIMEOUT,
                              cwd=str(self.root))


def _binaries() -> Path | None:
    """The newest installed server's binaries (Debian keeps them out of PATH), else PATH's."""
    def version(initdb: str) -> int:
        major = Path(initdb).parent.parent.name
        return int(major) if major.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def _install() -> str | None:
    """Install Debian's server package (root only); returns why it could not."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "PostgreSQL server binaries not found (install Debian's `postgresql` package)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
            subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=600)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"could not install PostgreSQL with apt-get: {exc}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start() -> Server | str:
    """A started server, or the reason there is none."""
    if os.environ.get("CLAIMGRAPH_TEST_POSTGRES", "1") == "0":
        return "PostgreSQL tests switched off (CLAIMGRAPH_TEST_POSTGRES=0)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'claimgraph[postgres]')"
    bindir = _binaries()
    if bindir is None:
        reason = _install()
        bindir = _binaries()
        if bindir is None:
            return reason or "PostgreSQL server binaries not found after installing"
    user = None
    root = Path(tempfile.mkdtemp(prefix="claimgraph-pg-"))
    if os.geteuid() == 0:
        user = "postgres"
        try:
            shutil.chown(root, user, user)
        except (LookupError, OSError) as exc:
            shutil.rmtree(root, ignore_errors=True)
            return f"no `postgres` system user to run the test server as: {exc}"
    server = Server(root, _free_port(), bindir, user)
    data = root / "data"
    try:
        server._run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--no-locale", "--no-sync"])
        options = f"-p {server.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} " \
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        server._run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options,
                     "-w", "-t", str(START_TIMEOUT), "start"])
    except (subprocess.SubprocessError, OSError) as exc:
        log = (root / "server.log").read_text(errors="replace")[-2000:] if (root / "server.log").exists() else ""
        detail = getattr(exc, "stderr", "") or ""
        server.stop()
        return f"could not start a PostgreSQL test server: {exc} {detail} {log}".strip()
    return server
