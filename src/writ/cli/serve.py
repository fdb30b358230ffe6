"""`writ serve`: put any writ model backend behind an OpenAI-compatible endpoint on loopback.

Handy to point the LLM agent or user at a local Hugging Face model (``hf:PATH``, ``hf:smollm2``)
through the same HTTP path a vLLM server would take. It behaves as such a server does: the model
is loaded before the port opens (``--lazy`` defers it to the first request), a request for another
model name is 404, a malformed parameter is 400, and each request is logged in one line on stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from writ.cli._common import UserError


def serve(
    model: Annotated[str, typer.Option("--model", help="hf:PATH, hf:smollm2, openai:MODEL or canned:TEXT.")],
    port: Annotated[int, typer.Option("--port")] = 8000,
    host: Annotated[str, typer.Option("--host", help="127.0.0.1 or ::1 (loopback only).")] = "127.0.0.1",
    name: Annotated[str | None, typer.Option("--name", help="Model name reported by /v1/models, and the only one "
                                                               "requests may name (default: the backend's).")] = None,
    lazy: Annotated[bool, typer.Option("--lazy", help="Load the model on the first request, not at start.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No log line per request.")] = False,
) -> None:
    """Serve a model backend at http://HOST:PORT/v1 (chat completions with tools)."""
    from writ.models.server import run_server

    if not 0 <= port <= 65535:
        raise UserError(f"--port must be between 0 (any free port) and 65535, got {port}")
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise UserError(f"--host {host}: writ serve binds loopback addresses only")
    if not 0 <= port <= 65535:
        raise UserError(f"--port must be between 0 and 65535, got {port}")
    try:
        run_server(model, host=host, port=port, name=name, lazy=lazy, quiet=quiet,
                   say=lambda line: typer.echo(line, err=True))
    except KeyboardInterrupt:
        pass
    except (ValueError, ImportError, FileNotFoundError) as exc:
        raise UserError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
