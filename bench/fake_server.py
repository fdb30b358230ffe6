"""A fixed-latency OpenAI-compatible endpoint for throughput and concurrency benchmarks.

Every chat request is answered after ``--delay-ms`` with the same canned assistant message, so a
benchmark measures writ's own overhead and concurrency handling, not a model. Binds 127.0.0.1.

    python bench/fake_server.py --port 8011 --delay-ms 200
    # then: make_backend("openai:fake", base_url="http://127.0.0.1:8011/v1")

On exit (Ctrl-C or ``--seconds``) it prints the request count and the peak number in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from writ.models.scripted import ScriptedBackend
from writ.models.server import ChatServer


def build_server(delay_ms: float, content: str, port: int = 0, tool_call: str | None = None) -> ChatServer:
    """The fixed-delay server; ``tool_call`` (a tool name) makes every reply call that tool with {}."""
    reply: str | dict = content
    if tool_call:
        reply = {"content": None, "tool_calls": [{"id": "call_fake", "type": "function",
                                                  "function": {"name": tool_call, "arguments": "{}"}}]}
    backend = ScriptedBackend([reply], delay_s=delay_ms / 1000, name="fake")
    return ChatServer(backend, port=port)


async def _run(server: ChatServer, seconds: float | None) -> None:
    url = await server.start()
    print(f"fake server at {url} (delay {server.backend.delay_s * 1000:.0f} ms)", flush=True)
    try:
        if seconds:
            await asyncio.sleep(seconds)
        else:
            await asyncio.Event().wait()
    finally:
        await server.close()
        print(json.dumps(server.stats), flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8011)
    ap.add_argument("--delay-ms", type=float, default=100.0)
    ap.add_argument("--content", default="OK")
    ap.add_argument("--tool-call", default=None, help="answer every request with a call to this tool")
    ap.add_argument("--seconds", type=float, default=None, help="stop after this long (default: run until Ctrl-C)")
    args = ap.parse_args(argv)
    server = build_server(args.delay_ms, args.content, args.port, args.tool_call)
    try:
        asyncio.run(_run(server, args.seconds))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
