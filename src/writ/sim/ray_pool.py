"""Ray plumbing shared by the sharded stages: connecting, and a pool of actors that heals itself.

Nothing here decides what work is done; `writ.sim.ray_sim` (episodes) and `writ.sim.ray_tasks`
(task generation) do. This module only keeps ``workers`` actors alive:

* a dead actor (its process was killed, its node lost, it ran out of memory) is replaced by a
  fresh one the first time a caller notices, and only once however many callers notice;
* an actor that cannot even start (writ or a model module missing on a node, a database path
  that node cannot see) is an error at once, in one line, not an endless cycle of restarts;
* workers that keep dying without anything finishing in between stop the run after
  ``3 x workers`` deaths in a row, with the last error: the store keeps what was done, and
  running the command again resumes.

Ray's own restarts are off (``max_restarts=0``): the driver decides what a death means for the
work that was in flight, and a fresh actor starts with empty caches, which is all that is needed.
Ray is imported only when an executor connects, so writ without the ``[ray]`` extra never needs it.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["ActorPool", "ExecutorError", "client_mode", "connect", "import_ray", "is_worker_death", "share",
           "task_error"]


class ExecutorError(ValueError):
    """The executor cannot run as asked (no Ray, no cluster, workers dying); one line for the user."""


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ExecutorError("--executor ray needs Ray: pip install 'writ[ray]' (ray[default]>=2.9)") from None
    return ray


def connect(address: str | None) -> tuple[Any, bool]:
    """``(ray, started)``: join the cluster at `address` (``auto``, ``ray://host:10001``, ``host:6379``)
    or, with None, the one ``RAY_ADDRESS`` names or a new local one; `started` says this call did it.

    A connection this process already holds is reused as it is (tests, notebooks, eval inside synth).
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    try:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="warning")
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a new local cluster"
        raise ExecutorError(f"cannot connect to Ray at {where}: {_first_line(exc)}") from None
    return ray, True


def client_mode(ray: Any) -> bool:
    """Connected through Ray Client (``ray://``), which cannot stream an actor's results."""
    try:
        from ray.util.client import ray as client

        return bool(client.is_connected())
    except Exception:
        return False


def cluster_cpus(ray: Any) -> float:
    return float(ray.cluster_resources().get("CPU", 1.0)) or 1.0


def is_worker_death(ray: Any, exc: BaseException) -> bool:
    """A failure of the worker, not of the work: the work may be given to another worker."""
    e = ray.exceptions
    kinds = tuple(k for k in (getattr(e, "RayActorError", None), getattr(e, "WorkerCrashedError", None),
                              getattr(e, "ObjectLostError", None), getattr(e, "NodeDiedError", None),
                              getattr(e, "ActorUnavailableError", None), getattr(e, "OwnerDiedError", None))
                  if k is not None)
    return isinstance(exc, kinds)


def task_error(ray: Any, exc: BaseException) -> BaseException:
    """The error a worker's own code raised (Ray wraps it in RayTaskError), for re-raising here."""
    if isinstance(exc, ray.exceptions.RayTaskError):
        cause = getattr(exc, "cause", None)
        if isinstance(cause, ValueError):  # one-line errors (DataError, ExecutorError, ...) stay as they are
            return cause
        return ExecutorError(f"a Ray worker failed: {_first_line(cause or exc)}")
    return exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


class ActorPool:
    """``workers`` actors of one class made with the same (named) arguments; `replace` heals a dead slot.

    The arguments go into Ray's object store once, so a large judge or resolver is not pickled
    again for every replacement. `cpus` per actor defaults to one core each, or a share of the
    cluster when more workers than cores are asked for (LLM-bound workers mostly wait).
    """

    def __init__(self, ray: Any, cls: type, args: dict[str, Any], workers: int, *, cpus: float | None = None):
        self.ray = ray
        self.workers = workers
        cpus = cpus if cpus is not None else min(1.0, cluster_cpus(ray) / workers)
        self._remote = ray.remote(num_cpus=cpus, max_restarts=0, max_task_retries=0)(cls)
        self._args = [self._put(name, value) for name, value in args.items()]
        self.actors = [self._start() for _ in range(workers)]
        self.deaths = 0
        self._strikes = 0
        self._limit = 3 * workers

    def _put(self, name: str, value: Any) -> Any:
        try:
            return self.ray.put(value)
        except Exception as exc:  # a closure over a socket, a lock, a loaded model
            raise ExecutorError(f"cannot send {name} to Ray workers ({_first_line(exc)}): it must be picklable; "
                                "factories from writ.sim.actors are, by spec") from None

    def _start(self) -> Any:
        return self._remote.remote(*self._args)

    def check_ready(self, answers: list[Any]) -> None:
        """Each actor's ``ready()`` answer is its writ version; another version is refused."""
        from writ import __version__

        for answer in answers:
            if answer != __version__:
                raise ExecutorError(f"a Ray worker runs writ {answer}, this driver writ {__version__}: "
                                    "install the same writ on every node")

    def startup_error(self, exc: BaseException) -> ExecutorError:
        """One line for an actor that died starting: the error its constructor raised, when Ray says it."""
        cause = task_error(self.ray, exc)
        if isinstance(cause, ValueError) and not isinstance(cause, ExecutorError):
            return ExecutorError(str(cause))
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        if lines and "creation task" in lines[0]:  # Ray puts the constructor's traceback in the text
            name, sep, message = lines[-1].partition(": ")
            return ExecutorError(f"a Ray worker could not start: {message if sep else lines[-1]}"[:400])
        return ExecutorError(f"a Ray worker could not start: {_first_line(cause)}")

    def replace(self, slot: int, dead: Any, exc: BaseException) -> Any:
        """The live actor of `slot`, starting a fresh one if `dead` still holds it."""
        if self.actors[slot] is dead:
            self.deaths += 1
            self._strikes += 1
            if self._strikes > self._limit:
                raise ExecutorError(f"Ray workers keep dying ({self._strikes} in a row without finishing anything; "
                                    f"last: {_first_line(exc)})")
            self._kill(dead)
            self.actors[slot] = self._start()
        return self.actors[slot]

    def progressed(self) -> None:
        """Something finished: the workers are not dying in a loop."""
        self._strikes = 0

    def _kill(self, actor: Any) -> None:
        try:
            self.ray.kill(actor, no_restart=True)
        except Exception:  # already gone
            pass

    def close(self) -> None:
        for actor in self.actors:
            self._kill(actor)
        self.actors = []


def share(total: int, parts: int) -> int:
    """Each of `parts` workers' share of a bound of `total`: at least 1, rounded up, so the bound
    holds overall within ``parts - 1``."""
    return max(1, math.ceil(total / parts))
