"""Model-backend timings the tests check only by counting, never by the clock.

* how long the OpenAI-compatible backend takes to give up on a dead endpoint (connection refused,
  2 retries with a short backoff): a dead server must cost a run seconds, not minutes;
* how long a request to a server that answers after 1 s takes to fail under a 0.2 s timeout and
  one retry (the timeout is honoured: about 2 x 0.2 s plus the backoff);
* 32 requests to the fixed-delay fake server (100 ms each) with a concurrency limit of 32: in
  parallel they take about 0.1 s, in series 3.2 s.

    .venv/bin/python bench/bench_models.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import time
from pathlib import Path

from writ.models import EndpointUnavailable, OpenAICompatBackend, ScriptedBackend, serve_in_thread

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_server import build_server  # noqa: E402

MSGS = [{"role": "user", "content": "hi"}]


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/v1"


def _backend(url: str, **kw) -> OpenAICompatBackend:
    return OpenAICompatBackend("bench", base_url=url, backoff_base_s=0.01, backoff_max_s=0.05, **kw)


async def _fails(backend: OpenAICompatBackend) -> float:
    start = time.perf_counter()
    try:
        await backend.complete(MSGS)
    except EndpointUnavailable:
        return time.perf_counter() - start
    finally:
        await backend.aclose()
    raise RuntimeError("the request was expected to fail")


async def _parallel(n: int, delay_ms: float) -> tuple[float, int]:
    server = build_server(delay_ms=delay_ms, content="canned")
    url = await server.start()
    client = OpenAICompatBackend("fake", base_url=url, concurrency=n, retries=0)
    start = time.perf_counter()
    await asyncio.gather(*(client.complete(MSGS) for _ in range(n)))
    seconds = time.perf_counter() - start
    await client.aclose()
    await server.close()
    return seconds, server.stats["max_in_flight"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    dead = [asyncio.run(_fails(_backend(_dead_url(), retries=2, timeout=5.0))) for _ in range(args.repeat)]
    print(f"dead endpoint, 2 retries:            gives up in {statistics.median(dead) * 1000:7.1f} ms (median of "
          f"{args.repeat})")

    with serve_in_thread(ScriptedBackend(["late"], delay_s=1.0)) as server:
        late = [asyncio.run(_fails(_backend(server.base_url, retries=1, timeout=0.2))) for _ in range(args.repeat)]
    print(f"1 s server, 0.2 s timeout, 1 retry:  gives up in {statistics.median(late) * 1000:7.1f} ms "
          f"(the timeout alone accounts for 400 ms)")

    runs = [asyncio.run(_parallel(32, 100)) for _ in range(args.repeat)]
    seconds = statistics.median(s for s, _ in runs)
    print(f"32 requests of 100 ms, limit 32:      {seconds * 1000:7.1f} ms (in series: 3200 ms; "
          f"{3.2 / seconds:.0f}x), at most {max(m for _, m in runs)} in flight")


if __name__ == "__main__":
    main()
