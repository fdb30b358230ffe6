"""`writ serve`: put any writ model backend behind an OpenAI-compatible endpoint on loopback.

Handy to point the LLM agent or user at a local Hugging Face model (``hf:PATH``, ``hf:smollm2``)
through the same HTTP path a vLLM server would take.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Optional

import typer

from writ.cli._common import UserError, console


def serve(
    model: Annotated[str, typer.Option("--model", help="hf:PATH, hf:smollm2, openai:MODEL or canned:TEXT.")],
    port: Annotated[int, typer.Option("--port")] = 8000,
    host: Annotated[str, typer.Option("--host", help="127.0.0.1 or ::1 (loopback only).")] = "127.0.0.1",
    name: Annotated[Optional[str], typer.Option("--name", help="Model name reported by /v1/models.")] = None,
) -> None:
    """Serve a model backend at http://HOST:PORT/v1 (chat completions with tools)."""
    from writ.models.registry import make_backend
    from writ.models.server import ChatServer, serve_forever

    if host not in ("127.0.0.1", "::1", "localhost"):
        raise UserError(f"--host {host}: writ serve binds loopback addresses only")
    try:
        backend = make_backend(model)
    except (ValueError, ImportError) as exc:
        raise UserError(str(exc)) from None
    console.print(f"serving {model} at http://{host}:{port}/v1 (Ctrl-C to stop)")
    try:
        asyncio.run(serve_forever(ChatServer(backend, host=host, port=port, model_name=name)))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
