"""The life of a local stand-in server in a fixture: started, handed to the tests, stopped whatever happens."""

from __future__ import annotations

from typing import Iterator, Protocol, TypeVar


class StubServer(Protocol):
    def start(self) -> object: ...

    def stop(self) -> None: ...


Server = TypeVar("Server", bound=StubServer)


def running(server: Server) -> Iterator[Server]:
    """For a fixture: ``yield from running(SomeStub())``."""
    server.start()
    try:
        yield server
    finally:
        server.stop()
