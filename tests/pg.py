"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary directory.

Import the fixture where needed (``from tests.pg import postgresql_url  # noqa: F401``). The server listens on a
free loopback port (and a Unix socket in its own directory), trusts local connections, runs with fsync off, and
is stopped and deleted at the end of the session. PostgreSQL refuses to run as root, so under root the server
runs as the ``postgres`` system user through ``runuser`` (or ``su``).

If the binaries are missing or the server does not start, tests using the fixture FAIL with the reason:
PostgreSQL support is part of the product. Set ``RECOURS_SKIP_POSTGRES=1`` to skip them instead (machines without
PostgreSQL; CI installs it with ``apt-get install -y postgresql``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from tests.ports import free_port

SKIP_ENV = "RECOURS_SKIP_POSTGRES"
DB_USER = "recours"
DB_NAME = "recours_test"
_TIMEOUT = 120


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    """The directory holding initdb and pg_ctl: $RECOURS_PG_BIN, the PATH, then Debian's versioned dirs."""
    candidates: list[Path] = []
    if os.environ.get("RECOURS_PG_BIN"):
        candidates.append(Path(os.environ["RECOURS_PG_BIN"]))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    versioned = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates += [Path(p) for p in versioned]
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    raise PostgresUnavailable(
        "PostgreSQL binaries (initdb, pg_ctl) not found; install them with "
        "`apt-get update && apt-get install -y postgresql`, or set RECOURS_SKIP_POSTGRES=1"
    )


def _server_user() -> pwd.struct_passwd | None:
    """None when we may run the server ourselves; the ``postgres`` account when we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable("running as root and no 'postgres' (or 'nobody') user to run the server as")


def _as_user(command: list[str], user: pwd.struct_passwd | None) -> list[str]:
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user.pw_name, "--", *command]
    return ["su", user.pw_name, "-s", "/bin/sh", "-c", shlex.join(command)]


def _run(command: list[str], user: pwd.struct_passwd | None, cwd: Path, what: str) -> None:
    result = subprocess.run(
        _as_user(command, user), cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"{what} failed ({result.returncode}): {result.stderr.strip() or result.stdout}")


class PostgresServer:
    """One server in ``root``; :meth:`start` and :meth:`stop` are idempotent enough for a fixture."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="recours-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.started = False
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg2://{DB_USER}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://{DB_USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        _run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
             "--no-locale", "--no-sync"],
            self.user, self.root, "initdb",
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        try:
            _run(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                 "-t", "60", "start"],
                self.user, self.root, "pg_ctl start",
            )
        except PostgresUnavailable as exc:
            raise PostgresUnavailable(f"{exc}\n--- server log ---\n{self._log_tail()}") from None
        self.started = True

    def stop(self) -> None:
        if self.started:
            try:
                _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                     self.user, self.root, "pg_ctl stop")
            except (PostgresUnavailable, subprocess.TimeoutExpired):
                _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                     self.user, self.root, "pg_ctl stop -m immediate")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server but keep its data (outage tests); :meth:`resume` starts it again on the same port."""
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
             self.user, self.root, "pg_ctl stop")

    def resume(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off"
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
              "-t", "60", "start"], self.user, self.root, "pg_ctl start")

    def create_database(self, name: str) -> str:
        _create_database("127.0.0.1", self.port, DB_USER, name)
        return self.url(name)

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"


def _create_database(host: str, port: int, user: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host=host, port=port, user=user, dbname="postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def fresh_database(postgresql_url: str) -> str:
    """A new empty database on the fixture's server (one per test keeps tests independent)."""
    from sqlalchemy.engine import make_url

    url = make_url(postgresql_url)
    name = f"t_{uuid.uuid4().hex[:16]}"
    _create_database(url.host, url.port, url.username, name)
    return url.set(database=name).render_as_string(hide_password=False)


# The backends every store test runs on; PostgreSQL ones are marked so they can be selected or left out.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def empty_database(backend: str, request: pytest.FixtureRequest, sqlite_path: Path) -> str:
    """An empty database on ``backend``: a SQLite file at ``sqlite_path``, or a fresh database on the session's
    PostgreSQL server (the module must import the ``postgresql_url`` fixture)."""
    if backend == "sqlite":
        return f"sqlite:///{sqlite_path}"
    return fresh_database(request.getfixturevalue("postgresql_url"))


def migrated_database(backend: str, request: pytest.FixtureRequest, sqlite_path: Path) -> str:
    """:func:`empty_database` with the complaint store's migrations applied."""
    from recours.store import migrate

    url = empty_database(backend, request, sqlite_path)
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """URL of a database on a PostgreSQL server started for this test session."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    server = None
    failure = None
    try:
        server = PostgresServer()
        server.start()
        url = server.create_database(DB_NAME)
    except Exception as exc:  # noqa: BLE001 - any reason must be reported, not hidden as a skip
        failure = f"{type(exc).__name__}: {exc}"
        if server is not None:
            server.stop()
    if failure is not None:
        pytest.fail(f"cannot start a throwaway PostgreSQL server: {failure} (set {SKIP_ENV}=1 to skip)", pytrace=False)
    try:
        yield url
    finally:
        server.stop()
