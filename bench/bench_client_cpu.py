"""Client CPU per model call of the OpenAI-compatible backend, without the simulation around it.

`bench_sim_llm.py` measures whole episodes, whose CPU is mostly the simulator's; this isolates
what one HTTP model call costs the client process (request body, the openai SDK's ``client.post``,
parsing, and with ``writ.models.sampling`` present the per-request seed and its record). The
fake server runs in its own process (`fake_server.py`, no delay) so its CPU is not counted.
Compare trees by pointing PYTHONPATH at each, in the same session, on the same machine:

    PYTHONPATH=/path/to/other/src .venv/bin/python bench/bench_client_cpu.py
    .venv/bin/python bench/bench_client_cpu.py
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_sim_llm import free_port  # noqa: E402

MESSAGES = [{"role": "system", "content": "You are a helpful agent. " * 40},
            {"role": "user", "content": "Where is my order #W1234567? It was supposed to arrive yesterday."}]


async def calls(url: str, n: int, concurrency: int) -> float:
    """Process CPU seconds per call for `n` calls, `concurrency` at a time."""
    from writ.models import OpenAICompatBackend

    backend = OpenAICompatBackend("fake", base_url=url, concurrency=concurrency, retries=0, timeout=30)
    try:
        from writ.models.sampling import SamplingSettings, SeededBackend

        def model(i: int):
            return SeededBackend(backend, SamplingSettings(temperature=0.3, max_tokens=64), run_seed=0,
                                 task_id=f"t{i}", attempt=0, side="agent")
        params: dict = {}
    except ImportError:  # a tree without per-request seeds: send the same settings by hand
        def model(i: int):
            return backend
        params = {"temperature": 0.3, "max_tokens": 64, "seed": 1}
    slots = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with slots:
            await model(i).complete(MESSAGES, None, **params)

    await asyncio.gather(*(one(i) for i in range(50)))  # warm-up: connections, imports
    cpu = time.process_time()
    await asyncio.gather(*(one(i) for i in range(n)))
    spent = time.process_time() - cpu
    await backend.aclose()
    return spent / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, str(HERE / "fake_server.py"), "--port", str(port), "--delay-ms", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    server.stdout.readline()
    try:
        import openai

        import writ

        runs = [asyncio.run(calls(f"http://127.0.0.1:{port}/v1", args.calls, args.concurrency)) * 1000
                for _ in range(args.repeats)]
        print(f"writ at {Path(writ.__file__).parent}, openai {openai.__version__}: client CPU per call "
              f"median {statistics.median(runs):.3f} ms, min {min(runs):.3f} ms over {args.repeats} x {args.calls} "
              f"calls, {args.concurrency} in flight")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
