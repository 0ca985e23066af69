"""A throwaway PostgreSQL for the benchmarks: bin/test's recipe (TOOLCHAIN.md) in Python.

A server in a temp dir on a free port, owned by the postgres user, with a database `app`
owned by role `app` (which may create databases, for Django's test_<name> databases). It is
stopped and its directory removed on leaving the `with`, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """A process's children, from /proc (a child gone meanwhile is skipped)."""
    found: list[int] = []
    for tasks in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in tasks.read_text().split()]
    return found


def _pg_bin() -> Path | None:
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return bins[-1] if bins else None


def available() -> bool:
    """Debian's PostgreSQL is installed and we may act as its user."""
    root_or_sudo = os.geteuid() == 0 or shutil.which("sudo") is not None
    return _pg_bin() is not None and root_or_sudo and shutil.which("runuser") is not None


@dataclass(frozen=True)
class Postgres:
    url: str
    data: Path

    def pids(self) -> list[int]:
        """The postmaster and its backends, for their CPU time."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children(postmaster)]


@contextlib.contextmanager
def throwaway_postgres(extra_options: str = "") -> Iterator[Postgres]:
    """Start the server (`extra_options`: more `-c name=value` settings) and yield it."""
    pgbin = _pg_bin()
    if pgbin is None:
        raise SystemExit("PostgreSQL is not installed (bin/setup test) and DATABASE_URL is unset")
    tmp, port = Path(tempfile.mkdtemp(prefix="bench-pg.")), free_port()
    data = tmp / "data"
    sudo = [] if os.geteuid() == 0 else ["sudo"]

    def run(program: str, *args: str) -> None:
        cmd = [*sudo, "runuser", "-u", "postgres", "--", str(pgbin / program), *args]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    try:
        shutil.chown(tmp, "postgres")
        run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8")  # fmt: skip
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off {extra_options}"
        run("pg_ctl", "-D", str(data), "-l", str(tmp / "log"), "-w", "-t", "60", "start",
            "-o", opts)  # fmt: skip
        psql = ("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-q", "-c")
        run(*psql, "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB")
        run(*psql, "CREATE DATABASE app OWNER app")
        yield Postgres(f"postgres://app:app@127.0.0.1:{port}/app", data)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)
