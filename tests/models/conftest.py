"""Shared fixtures for the model-backend tests: loopback servers only, never the network."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from writ.models.scripted import ScriptedBackend
from writ.models.server import serve_in_thread

from .helpers import FaultyServer


@pytest.fixture
def serve():
    """``serve(backend=None, **FaultyServer kwargs)`` starts a loopback server; stopped at teardown."""
    stack = []

    def start(backend: Any = None, **kw: Any) -> FaultyServer:
        cm = serve_in_thread(backend or ScriptedBackend(["hello"]), server_cls=FaultyServer, **kw)
        server = cm.__enter__()
        stack.append(cm)
        return server

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture
def dead_url() -> str:
    """A loopback URL whose port was just closed: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
