"""The OpenAI-compatible HTTP backend: vLLM, SGLang, Ollama, llama.cpp, OpenAI, any ``/v1`` URL.

It uses the ``openai`` package's `AsyncOpenAI` for the wire protocol but keeps the policy here:

* the client's own retries are switched off (``max_retries=0``) so `RetryPolicy` is the only
  retry loop and a dead endpoint fails in bounded time;
* each base URL gets its own `asyncio.Semaphore` of ``concurrency`` slots, so one replica is never
  sent more than it was sized for, however many episodes run at once;
* the response is read as raw JSON, not through the client's models, because self-hosted servers
  bend the schema (missing ids, object arguments, calls left in the text) and `toolparse` is
  tolerant where a strict model would reject or silently drop things;
* a response larger than ``max_response_bytes`` is a `BadResponse` (the episode records a
  failure), never a message kept whole: a server stuck in a loop must not fill the run store.

Only the SDK's public, documented surface is used, so any ``openai>=1.40`` works: the request goes
through ``client.post(path, body=..., cast_to=<HTTP library>.Response)``, the SDK README's way to
send a request it has no typed method for, which skips the typed-parameter transform of
``chat.completions.create`` (~2 ms of CPU per call, a cap of a few hundred calls per second). The
HTTP library is whatever `openai.DefaultAsyncHttpxClient` is built on (httpx in the 1.x SDK,
httpx2 in later ones); that client also carries the event hook that refuses an oversized
response from its headers, before its body is read.

Clients and semaphores belong to an event loop, so they are made per running loop: a backend
built once can serve several ``asyncio.run`` calls (CLI stages, tests) without "attached to a
different loop" errors.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import itertools
import json
import os
import re
import sys
import time
import weakref
from typing import Any

from writ.models.base import (
    BadResponse,
    ContextLengthExceeded,
    EndpointUnavailable,
    ModelError,
    ModelReply,
    Usage,
)
from writ.models.retry import EndpointPool, RetryPolicy
from writ.models.toolparse import parse_openai_tool_calls, parse_text_tool_calls
from writ.models.usage import PriceTable, UsageMeter, metered

__all__ = ["OpenAICompatBackend", "is_context_length_error"]

_CONTEXT_RE = re.compile(
    r"context[ _-]?length|maximum context|context window|too many tokens|prompt is too long"
    r"|input is too long|longer than the model's",
    re.IGNORECASE,
)
_RETRY_STATUS = {408, 409, 425, 429}


def is_context_length_error(status: int | None, message: str) -> bool:
    """True for the "prompt does not fit" errors servers send as HTTP 400 (413/422 on some)."""
    return status in (400, 413, 422) and bool(_CONTEXT_RE.search(message))


_CONNECTIONS_PER_CLIENT = 32
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # a long chat completion is tens of KB; this is a runaway


@functools.lru_cache(maxsize=1)
def _response_type() -> type:
    """The response class of the HTTP library the installed SDK is built on (the ``cast_to`` of `_complete`)."""
    import openai

    for cls in openai.DefaultAsyncHttpxClient.__mro__:
        root = cls.__module__.split(".", 1)[0]
        if root not in ("openai", "builtins"):
            return sys.modules[root].Response
    raise ImportError("cannot tell which HTTP library the installed openai package uses")


class _TooLarge(Exception):
    """Raised by the response hook when a response announces more bytes than allowed."""


def _size_guard(limit: int) -> Any:
    """A response event hook: refuse a body whose Content-Length exceeds `limit`, before reading it."""

    async def check(response: Any) -> None:
        length = response.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise _TooLarge(f"response of {int(length):,} bytes exceeds the limit of {limit:,} (max_response_bytes)")

    return check


def _normalize_messages(messages: list[dict]) -> list[dict]:
    """Servers want assistant tool-call arguments as JSON strings; accept dicts from callers."""
    out = []
    for m in messages:
        calls = m.get("tool_calls") if isinstance(m, dict) else None
        if calls and any(not isinstance((c.get("function") or {}).get("arguments"), str) for c in calls):
            m = dict(m)
            m["tool_calls"] = [
                {**c, "function": {**c["function"], "arguments": json.dumps(c["function"].get("arguments") or {})}}
                if not isinstance(c["function"].get("arguments"), str)
                else c
                for c in calls
            ]
        out.append(m)
    return out


def _text(content: Any) -> str | None:
    """Content may be a string or a list of ``{"type": "text", "text": ...}`` parts."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict)) or None
    return str(content)


class OpenAICompatBackend:
    """Chat completions over HTTP. ``name`` (default: the model) labels usage and cache entries.

    ``base_url`` may list several replicas of the same model (round-robin); without one,
    ``OPENAI_BASE_URL`` or OpenAI's own API. The key is read from ``api_key_env`` and falls back
    to ``"EMPTY"``, which local servers accept. ``params`` are default sampling parameters,
    overridden per call; ``extra_body`` is merged into every request body as is.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str | list[str] | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        api_key: str | None = None,
        timeout: float = 120.0,
        retries: int = 3,
        backoff_base_s: float = 0.5,
        backoff_max_s: float = 30.0,
        concurrency: int = 16,
        cooldown_s: float = 5.0,
        extra_body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        prices: PriceTable | dict | str | None = None,
        meter: UsageMeter | None = None,
        name: str | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        if max_response_bytes < 1 or timeout <= 0:
            raise ValueError(f"max_response_bytes and timeout must be positive, got {max_response_bytes}, {timeout}")
        urls = [base_url] if isinstance(base_url, str) else list(base_url or [])
        self.model = model
        self.name = name or model
        default_url = os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        self.pool = EndpointPool(urls or [default_url], cooldown_s=cooldown_s)
        self.api_key = api_key or os.environ.get(api_key_env) or "EMPTY"
        self.timeout = timeout
        self.retry = RetryPolicy(retries=retries, base_s=backoff_base_s, max_s=backoff_max_s)
        self.concurrency = concurrency
        self.extra_body = dict(extra_body or {})
        self.params = dict(params or {})
        self.prices = PriceTable.load(prices)
        self.meter = meter
        self.max_response_bytes = max_response_bytes
        self._per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict] = weakref.WeakKeyDictionary()

    def cache_identity(self) -> dict[str, Any]:
        """What besides the call's own arguments decides the answer (for the response cache)."""
        return {"kind": "openai", "model": self.model, "params": self.params, "extra_body": self.extra_body}

    def _resources(self, base_url: str) -> tuple[Any, asyncio.Semaphore]:
        """A client for this endpoint (round-robin over a few) and the endpoint's concurrency slots.

        httpx's connection pool scans its connections on every request, so one pool serving
        hundreds of concurrent requests spends more CPU on bookkeeping than on HTTP; a client per
        `_CONNECTIONS_PER_CLIENT` slots keeps each pool small.
        """
        from openai import AsyncOpenAI, DefaultAsyncHttpxClient

        loop = asyncio.get_running_loop()
        per_url = self._per_loop.setdefault(loop, {})
        if base_url not in per_url:
            n = max(1, -(-self.concurrency // _CONNECTIONS_PER_CLIENT))
            hooks = {"response": [_size_guard(self.max_response_bytes)]}
            clients = [AsyncOpenAI(base_url=base_url, api_key=self.api_key, timeout=self.timeout, max_retries=0,
                                   http_client=DefaultAsyncHttpxClient(event_hooks=hooks))
                       for _ in range(n)]
            per_url[base_url] = (clients, asyncio.Semaphore(self.concurrency), itertools.count())
        clients, slots, turn = per_url[base_url]
        return clients[next(turn) % len(clients)], slots

    async def aclose(self) -> None:
        """Close this loop's HTTP clients (others close with their loops)."""
        per_url = self._per_loop.pop(asyncio.get_running_loop(), {})
        for clients, _, _ in per_url.values():
            for client in clients:
                await client.close()

    def _request(self, messages: list[dict], tools: list[dict] | None, params: dict[str, Any]) -> dict[str, Any]:
        """The JSON body of the chat-completions request. Every parameter goes in the body as is
        (None dropped); the backend's ``extra_body`` gives way to parameters, a call's own
        ``extra_body`` to nothing."""
        merged = {**self.params, **params}
        call_extra = merged.pop("extra_body", None) or {}
        if "max_new_tokens" in merged:
            merged.setdefault("max_tokens", merged.pop("max_new_tokens"))
        body: dict[str, Any] = {"model": self.model, "messages": _normalize_messages(messages)}
        if tools:
            body["tools"] = tools
        body.update(self.extra_body)
        body.update((k, v) for k, v in merged.items() if v is not None)
        body.update(call_extra)
        return body

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        return await metered(self.meter, self.name, self._complete(messages, tools, params))

    async def _complete(self, messages: list[dict], tools: list[dict] | None, params: dict[str, Any]) -> ModelReply:
        import openai

        request = self._request(messages, tools, params)
        started = time.perf_counter()
        last_error = "no attempt made"
        for attempt in range(self.retry.attempts):
            endpoint = self.pool.pick()
            client, slots = self._resources(endpoint.base_url)
            retry_after: float | None = None
            async with slots:
                try:
                    raw = await client.post("/chat/completions", body=request, cast_to=_response_type())
                except _TooLarge as exc:  # SDKs that let a hook's error through as it is
                    raise BadResponse(f"{self.name}: {exc}") from None
                except openai.APIStatusError as exc:
                    status, message = exc.status_code, _error_message(exc)
                    if is_context_length_error(status, message):
                        raise ContextLengthExceeded(f"{self.name}: {message}", status_code=status) from exc
                    if status not in _RETRY_STATUS and status < 500:
                        raise ModelError(f"{self.name}: HTTP {status}: {message}", status_code=status) from exc
                    last_error = f"HTTP {status} from {endpoint.base_url}: {message}"
                    retry_after = _retry_after(exc)
                    self.pool.mark_failed(endpoint)
                except openai.APIConnectionError as exc:  # includes APITimeoutError
                    if isinstance(exc.__cause__, _TooLarge):  # SDKs that wrap a hook's error
                        raise BadResponse(f"{self.name}: {exc.__cause__}") from None
                    kind = "timeout" if isinstance(exc, openai.APITimeoutError) else "connection error"
                    last_error = f"{kind} at {endpoint.base_url}: {exc.__cause__ or exc}"
                    self.pool.mark_failed(endpoint)
                else:
                    self.pool.mark_ok(endpoint)
                    body = raw.content
                    if len(body) > self.max_response_bytes:  # no Content-Length (chunked): caught here
                        raise BadResponse(f"{self.name}: response of {len(body):,} bytes exceeds the limit of "
                                          f"{self.max_response_bytes:,} (max_response_bytes)")
                    reply = self._parse(body, messages, tools)
                    reply.usage.latency_s = time.perf_counter() - started
                    return reply
            if attempt + 1 < self.retry.attempts:
                await asyncio.sleep(self.retry.delay(attempt, retry_after))
        raise EndpointUnavailable(f"{self.name}: gave up after {self.retry.attempts} attempt(s); last: {last_error}")

    def _parse(self, body: bytes, messages: list[dict], tools: list[dict] | None) -> ModelReply:
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadResponse(f"{self.name}: response is not JSON: {body[:200]!r}") from exc
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise BadResponse(f"{self.name}: response has no choices: {body[:200]!r}")
        choice = choices[0]
        msg = choice.get("message") or {}
        salt = hashlib.sha256(json.dumps(messages, sort_keys=True, default=str).encode()).hexdigest()[:16]
        raw_calls = msg.get("tool_calls")
        if not raw_calls and isinstance(msg.get("function_call"), dict):  # legacy single call
            raw_calls = [msg["function_call"]]
        calls, errors = parse_openai_tool_calls(raw_calls, salt=salt)
        content = _text(msg.get("content"))
        if not calls and not errors and content:
            names = {t.get("function", {}).get("name") for t in tools or []} or None
            content, calls, errors = parse_text_tool_calls(content, salt=salt, tool_names=names)
        finish = choice.get("finish_reason")
        return ModelReply(
            content=content,
            tool_calls=calls,
            parse_errors=errors,
            usage=self._usage(data.get("usage") or {}),
            finish_reason=finish,
            model=data.get("model") or self.model,
            reasoning=msg.get("reasoning_content") or msg.get("reasoning"),
        )

    def _usage(self, usage: dict[str, Any]) -> Usage:
        prompt = int(usage.get("prompt_tokens") or 0)
        completion = int(usage.get("completion_tokens") or 0)
        details = usage.get("completion_tokens_details") or {}
        reasoning = int(details.get("reasoning_tokens") or usage.get("reasoning_tokens") or 0)
        reported = usage.get("cost")  # OpenRouter and some gateways report the charge themselves
        if not self.prices.has(self.model) and isinstance(reported, (int, float)):
            cost = float(reported)
        else:
            cost = self.prices.cost(self.model, prompt, completion)
        return Usage(prompt_tokens=prompt, completion_tokens=completion, reasoning_tokens=reasoning, cost=cost)


def _error_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            parts = [str(err.get("message") or err.get("detail") or ""), str(err.get("code") or "")]
            text = " ".join(p for p in parts if p and p != "None")
            if text:
                return text
        elif isinstance(err, str):
            return err
    return str(getattr(exc, "message", "") or exc)


def _retry_after(exc: Any) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value else None
    except ValueError:
        return None
