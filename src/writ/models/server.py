"""A tiny OpenAI-compatible HTTP server in front of any `ModelBackend`.

Why it exists: the HTTP backend should be tested over real HTTP against a real model, without a
network and without vLLM; people without a GPU server can run ``writ serve --model hf:smollm2``
and point any OpenAI client at it; and throughput benchmarks need an endpoint with a known,
fixed latency (`ScriptedBackend` with a delay, see ``bench/fake_server.py``).

It is plain asyncio (``asyncio.start_server`` speaking just enough HTTP/1.1, keep-alive included),
so one process holds thousands of concurrent connections without a thread each. It serves
``POST /v1/chat/completions`` (non-streaming), ``GET /v1/models`` and ``GET /health``, binds
loopback addresses only, and counts requests and the peak number in flight (``stats``) so tests
and benchmarks can check what a client's concurrency limit really did. Subclasses may override
`ChatServer.handle_chat` to inject faults.

It answers the way a client's retry policy expects of a real server: a malformed request
(``"max_tokens": "abc"``) is HTTP 400 naming the parameter, never a 500 that a client would retry
as a server fault; with ``check_model`` (what ``writ serve`` sets) a request for another model is
404 ``model_not_found``, as vLLM answers. ``log`` gets one line per request (method, path, status,
tokens, latency).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from writ.models.base import ContextLengthExceeded, EndpointUnavailable, ModelBackend, ModelError, ModelReply

__all__ = ["ChatRequest", "ChatServer", "prepare_server", "reply_to_completion", "run_server", "serve_forever",
           "serve_in_thread"]

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_NOT_PARAMS = {"model", "messages", "tools", "stream", "stream_options"}
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


def reply_to_completion(reply: ModelReply, *, model: str, completion_id: str) -> dict[str, Any]:
    """A `ModelReply` as an OpenAI ``chat.completion`` object."""
    message = reply.to_message()
    if reply.reasoning:
        message["reasoning_content"] = reply.reasoning
    u = reply.usage
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0,
            "message": message,
            "finish_reason": reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop"),
            "logprobs": None,
        }],
        "usage": {
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "total_tokens": u.total_tokens,
            "completion_tokens_details": {"reasoning_tokens": u.reasoning_tokens},
        },
    }


def _error(status: int, message: str, code: str | None = None, param: str | None = None) -> tuple[int, dict[str, Any]]:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return status, {"error": {"message": message, "type": kind, "code": code, "param": param}}


_Number = StrictInt | StrictFloat


class ChatRequest(BaseModel):
    """The parameters of a chat request this server checks before a backend sees them (others pass
    through as they are). Strict types: ``"64"`` is not a number, as OpenAI's API holds."""

    model_config = ConfigDict(extra="allow")

    model: StrictStr | None = None
    messages: list[dict[str, Any]] = Field(min_length=1)
    tools: list[dict[str, Any]] | None = None
    stream: StrictBool | None = None
    temperature: _Number | None = Field(None, ge=0, le=2)
    top_p: _Number | None = Field(None, gt=0, le=1)
    max_tokens: StrictInt | None = Field(None, ge=1)
    max_completion_tokens: StrictInt | None = Field(None, ge=1)
    max_new_tokens: StrictInt | None = Field(None, ge=1)
    seed: StrictInt | None = None
    n: StrictInt | None = Field(None, ge=1, le=1)
    stop: StrictStr | list[StrictStr] | None = None
    chat_template_kwargs: dict[str, Any] | None = None


def _invalid(exc: ValidationError) -> tuple[int, dict[str, Any]]:
    first = exc.errors()[0]
    param = str(first["loc"][0]) if first["loc"] else None  # the request's own field (not a union branch)
    shown = json.dumps(first.get("input"), default=str)[:60]
    return _error(400, f"{param}: {first['msg']} (got {shown})", "invalid_request", param)


class ChatServer:
    """Serves one backend. ``await start()`` returns the ``/v1`` base URL (port 0 picks a free one)."""

    def __init__(self, backend: ModelBackend, *, host: str = "127.0.0.1", port: int = 0, model_name: str | None = None,
                 check_model: bool = False, log: Callable[[str], None] | None = None) -> None:
        if host not in _LOOPBACK:
            raise ValueError(f"the writ model server binds loopback only, not {host!r}")
        self.backend = backend
        self.host = host
        self.port = port
        self.model_name = model_name or backend.name
        self.check_model = check_model
        self.log = log
        self.stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0, "errors": 0}
        self._ids = itertools.count(1)
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task] = set()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._connection, self.host, self.port, limit=2**24, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.base_url

    async def close(self) -> None:
        """Stop listening and end open connections (idle keep-alive ones included)."""
        if self._server is not None:
            self._server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def handle_chat(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one chat request: ``(status, json_body)``. Override to inject faults."""
        try:
            ChatRequest.model_validate(body)
        except ValidationError as exc:
            return _invalid(exc)
        if self.check_model and body.get("model") not in (None, self.model_name):
            return _error(404, f"The model `{body['model']}` does not exist; this server serves `{self.model_name}`",
                          "model_not_found", "model")
        if body.get("stream"):
            return _error(400, "streaming is not supported by the writ model server", param="stream")
        params = {k: v for k, v in body.items() if k not in _NOT_PARAMS}
        try:
            reply = await self.backend.complete(body["messages"], body.get("tools") or None, **params)
        except ContextLengthExceeded as exc:
            return _error(400, str(exc), "context_length_exceeded")
        except EndpointUnavailable as exc:
            return _error(503, str(exc))
        except ModelError as exc:
            return _error(exc.status_code or 500, str(exc))
        except (ValueError, TypeError) as exc:  # a parameter the backend could not use: the request's fault
            return _error(400, f"bad request parameter: {exc}"[:300], "invalid_request")
        return 200, reply_to_completion(reply, model=self.model_name, completion_id=f"chatcmpl-writ{next(self._ids)}")

    async def _route(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        path = path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/chat/completions", "/chat/completions"):
            if method != "POST":
                return _error(405, "use POST")
            try:
                payload = json.loads(body or b"null")
            except json.JSONDecodeError as exc:
                return _error(400, f"request body is not JSON: {exc}")
            if not isinstance(payload, dict):
                return _error(400, "request body must be a JSON object")
            return await self.handle_chat(payload)
        if path in ("/v1/models", "/models"):
            return 200, {"object": "list", "data": [{"id": self.model_name, "object": "model", "owned_by": "writ"}]}
        if path == "/health":
            return 200, {"status": "ok"}
        return _error(404, f"no route {method} {path}")

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            while True:
                request_line = await reader.readline()
                if not request_line.strip():
                    return
                method, path, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    key, _, value = line.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                self.stats["requests"] += 1
                self.stats["in_flight"] += 1
                self.stats["max_in_flight"] = max(self.stats["max_in_flight"], self.stats["in_flight"])
                started = time.perf_counter()
                try:
                    status, payload = await self._route(method.upper(), path, body)
                except Exception as exc:  # noqa: BLE001 - a server must answer, whatever the backend did
                    status, payload = _error(500, f"{type(exc).__name__}: {exc}")
                finally:
                    self.stats["in_flight"] -= 1
                if status >= 400:
                    self.stats["errors"] += 1
                if self.log is not None:
                    self.log(_log_line(method, path, status, payload, time.perf_counter() - started))
                keep_alive = headers.get("connection", "").lower() != "close"
                self._write(writer, status, payload, keep_alive)
                await writer.drain()
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, asyncio.CancelledError):
            return
        finally:
            self._connections.discard(task)
            writer.close()

    @staticmethod
    def _write(writer: asyncio.StreamWriter, status: int, payload: dict[str, Any], keep_alive: bool) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + data)


def _log_line(method: str, path: str, status: int, payload: dict[str, Any], seconds: float) -> str:
    """``POST /v1/chat/completions 200 812+24 tokens 0.41s`` (or the error message)."""
    usage = payload.get("usage") if isinstance(payload, dict) else None
    if isinstance(usage, dict):
        detail = f" {usage.get('prompt_tokens', 0)}+{usage.get('completion_tokens', 0)} tokens"
    elif status >= 400:
        detail = f" {str((payload.get('error') or {}).get('message', ''))[:120]}"
    else:
        detail = ""
    return f"{method.upper()} {path} {status}{detail} {seconds:.2f}s"


@contextmanager
def serve_in_thread(backend: ModelBackend, server_cls: type[ChatServer] = ChatServer,
                    **kwargs: Any) -> Iterator[ChatServer]:
    """Run a `ChatServer` on its own event loop in a daemon thread; yields it, started."""
    loop = asyncio.new_event_loop()
    server = server_cls(backend, **kwargs)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="writ-model-server", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("model server did not start within 30 s")
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()


async def serve_forever(server: ChatServer, say: Callable[[str], None] | None = None, note: str = "") -> None:
    """Listen until cancelled; one start line (through `say`, default stderr) once the port is open."""
    url = await server.start()
    (say or _stderr)(f"serving {server.model_name}{note} at {url} (Ctrl-C to stop)")
    try:
        await asyncio.Event().wait()
    finally:
        await server.close()


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def prepare_server(spec: str, *, host: str = "127.0.0.1", port: int = 8000, name: str | None = None,
                   lazy: bool = False, log: Callable[[str], None] | None = None) -> tuple[ChatServer, str]:
    """The server ``writ serve`` runs, and a note for its start line. The backend's weights are
    loaded here unless `lazy`: a first request should not wait 20 s, nor a health check pass
    before the model can answer. Raises ValueError/ImportError for a bad spec."""
    from writ.models.registry import make_backend

    backend = make_backend(spec)
    load = getattr(backend, "load", None)
    if callable(load) and not lazy:
        started = time.perf_counter()
        load()
        note = f" ({spec}, loaded in {time.perf_counter() - started:.1f}s)"
    elif callable(load):
        note = f" ({spec}, loads on the first request)"
    else:
        note = f" ({spec})" if spec != (name or backend.name) else ""
    return ChatServer(backend, host=host, port=port, model_name=name, check_model=True, log=log), note


def run_server(spec: str, *, host: str = "127.0.0.1", port: int = 8000, name: str | None = None, lazy: bool = False,
               quiet: bool = False, say: Callable[[str], None] | None = None) -> None:
    """What ``writ serve`` (the one server command line) runs: `prepare_server`, then serve until
    interrupted, strict about model names, one line per request through `say` unless `quiet`.
    Raises ValueError/ImportError for a bad spec, OSError for a port that cannot be bound."""
    say = say or _stderr
    server, note = prepare_server(spec, host=host, port=port, name=name, lazy=lazy, log=None if quiet else say)
    asyncio.run(serve_forever(server, say, note))
