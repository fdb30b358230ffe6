"""Executors: where simulation and task generation run, in this process or on a Ray cluster.

An executor has the runner's and the generator's signatures, so a caller switches by choosing an
object, not by rewriting a call:

    executor = make_executor("ray", address="auto", workers=8)    # or make_executor("local")
    with executor:
        tasks, report = executor.generate_tasks(data, 1000, writes, evidence, seed=0)
        summary = await executor.simulate(tasks, resolve_data=..., agent_factory=..., user_factory=...,
                                          run_dir=..., concurrency=256, attempts=3, judge=verifier_judge)

`LocalExecutor` calls `writ.sim.runner.simulate` and `writ.tasks.generate_tasks` as they are.
`RayExecutor` keeps the driver's part of both (the run store, gold, resume, the summary; the dedup
and numbering of tasks) and sends the per-task work to Ray actors (`writ.sim.ray_sim`,
`writ.sim.ray_tasks`). Same config and seed, same run store contents and same tasks file, byte
for byte, with either (modulo LLM sampling): the executor is recorded in the run's per-session
info, not its identity, so a run started locally may be resumed on Ray and back.

Ray is imported when a Ray executor first connects (lazily: a `writ synth` whose stages are all
done never starts a cluster); `close` shuts down a cluster only if this executor started it.
"""

from __future__ import annotations

from typing import Any, Protocol

from writ.sim.ray_pool import ExecutorError, client_mode, cluster_cpus, connect
from writ.sim.runner import simulate as _simulate

__all__ = ["EXECUTORS", "Executor", "ExecutorError", "LocalExecutor", "RayExecutor", "make_executor"]

EXECUTORS = ("local", "ray")


class Executor(Protocol):
    """What `writ simulate`, `writ synth` and `writ eval` need from an executor."""

    kind: str

    async def simulate(self, tasks: Any, **kwargs: Any) -> Any:
        """`writ.sim.runner.simulate`, same arguments, same `RunSummary`."""

    def generate_tasks(self, data: Any, n: int, writes: Any, evidence: Any, **kwargs: Any) -> Any:
        """`writ.tasks.generate_tasks`, same arguments, same ``(tasks, report)``."""

    def close(self) -> None: ...


class _Closing:
    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class LocalExecutor(_Closing):
    """Everything in this process: the asyncio runner and the sequential generator."""

    kind = "local"

    async def simulate(self, tasks: Any, **kwargs: Any) -> Any:
        return await _simulate(tasks, **kwargs)

    def generate_tasks(self, data: Any, n: int, writes: Any, evidence: Any, **kwargs: Any) -> Any:
        from writ.tasks.generate import generate_tasks

        return generate_tasks(data, n, writes, evidence, **kwargs)

    def __repr__(self) -> str:
        return "LocalExecutor()"


class RayExecutor(_Closing):
    """Ray actors do the per-task work; this process keeps the run store (see module docstring).

    `address`: ``auto`` (the cluster this node belongs to), ``ray://head:10001`` (Ray client) or
    None (``RAY_ADDRESS``, else a new local cluster). `workers`: actors per stage (default: one per
    CPU of the cluster). `cpus_per_worker`: Ray's CPU request per actor (default 1, or a share
    when there are more workers than CPUs). `concurrency` (of `simulate`) is split between workers.
    """

    kind = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, *,
                 cpus_per_worker: float | None = None):
        if workers is not None and workers < 1:
            raise ExecutorError(f"--workers must be at least 1, got {workers}")
        self.address, self._workers, self.cpus_per_worker = address, workers, cpus_per_worker
        self._ray: Any = None
        self._started = False
        self.last_dispatch: Any = None  # the RayDispatch of the latest simulate (deaths, for reports)

    def connect(self) -> Any:
        """The `ray` module, connected (joining or starting the cluster on first use)."""
        if self._ray is None:
            self._ray, self._started = connect(self.address)
        return self._ray

    @property
    def workers(self) -> int:
        return self._workers or max(1, int(cluster_cpus(self.connect())))

    @property
    def info(self) -> dict[str, Any]:
        """What a run records about this executor in its session info (never in its identity)."""
        return {"executor": "ray", "address": self.address, "workers": self.workers}

    async def simulate(self, tasks: Any, **kwargs: Any) -> Any:
        from writ.sim.ray_sim import RayDispatch

        ray = self.connect()
        dispatch = RayDispatch(ray, self.workers, cpus=self.cpus_per_worker, stream=not client_mode(ray))
        self.last_dispatch = dispatch
        info = {**dict(kwargs.pop("info", None) or {}), **self.info}
        return await _simulate(tasks, **kwargs, info=info, dispatch=dispatch)

    def generate_tasks(self, data: Any, n: int, writes: Any, evidence: Any, **kwargs: Any) -> Any:
        from writ.sim.ray_tasks import generate_tasks_ray

        return generate_tasks_ray(self.connect(), self.workers, data, n, writes, evidence,
                                  cpus=self.cpus_per_worker, **kwargs)

    def close(self) -> None:
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray, self._started = None, False

    def __repr__(self) -> str:
        return f"RayExecutor(address={self.address!r}, workers={self._workers!r})"


def make_executor(kind: str = "local", *, address: str | None = None, workers: int | None = None,
                  cpus_per_worker: float | None = None) -> LocalExecutor | RayExecutor:
    """The executor `kind` names (``local`` or ``ray``); `address` and `workers` apply to ``ray``."""
    if kind == "local":
        return LocalExecutor()
    if kind == "ray":
        return RayExecutor(address, workers, cpus_per_worker=cpus_per_worker)
    raise ExecutorError(f"--executor must be local or ray, got {kind!r}")
