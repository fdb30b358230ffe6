"""The gold replay: a task's gold actions run on a fresh copy of its initial state.

This one function is how writ proves parity with tau2-bench (the same task, replayed by both, gives
the same result strings call by call and the same final state), how a generated task proves it is
executable, how the runner learns the state a kept episode must reach, and how the state verifier
and the tau2-equal reward get the gold state they compare with.

Two semantics, one named option, because the two things writ mirrors differ:

* ``sync=False`` (the default): as tau2's evaluator replays gold. The initial state is set and the
  domain's sync run once (``set_state`` ends that way), then the gold actions run without the
  per-call sync.
* ``sync=True``: as in a live conversation, where the environment syncs after every call, so the
  final state is settled. In telecom a phone left unsynced by the evaluator's replay would never
  match a perfect live episode; the other domains have no sync and the two agree.

The replay never raises: an initial state that cannot be applied is a `GoldReplay` with ``error``
set, and a gold write that fails is listed in ``failed_writes`` (tau2 flags the gold state as
incomplete then). Results are cached per loaded database, keyed by what determines them (initial
state, actions, semantics), so behaviour variants of one task share one replay; the cache lives
in the database object (`Base.memo`), dies with it, and holds at most `CACHE_SIZE` replays.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.task import Task

__all__ = ["CACHE_SIZE", "GoldReplay", "replay_gold", "replay_task", "replay_tasks"]

CACHE_SIZE = 4096  # replays kept per loaded database (least recently used dropped first)


@dataclass(frozen=True)
class GoldReplay:
    """What the gold actions did: every result, which writes failed, and the final state."""

    outputs: tuple[str, ...]
    errors: tuple[bool, ...]
    failed_writes: tuple[dict[str, Any], ...]
    db_hash: str | None
    user_db_hash: str | None
    error: str | None  # the initial state could not be applied; nothing else is set
    environment: Environment | None  # shared by every caller of the cache: fork it, never step it

    def final_environment(self) -> Environment:
        """A private copy (O(1) fork) of the environment after the gold actions."""
        if self.environment is None:
            raise ValueError(f"no gold state: {self.error}")
        return self.environment.fork()


class _Cache:
    """Replays per database, least recently used dropped beyond `size`.

    They live in the `Base` object's own memo, so they go when the database goes (no id of a dead
    object can be reused to return a stale replay), and are keyed by content within it.
    """

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()

    @staticmethod
    def _entries(data: DomainData) -> OrderedDict[str, tuple[Any, GoldReplay]]:
        return data.base.memo.setdefault("gold_replays", OrderedDict())

    def get(self, data: DomainData, key: str) -> GoldReplay | None:
        with self._lock:
            entries = self._entries(data)
            hit = entries.get(key)
            # the entry holds its user base, so this identity test cannot be fooled by a reused id
            if hit is None or hit[0] is not data.user_base:
                return None
            entries.move_to_end(key)
            return hit[1]

    def put(self, data: DomainData, key: str, replay: GoldReplay) -> None:
        with self._lock:
            entries = self._entries(data)
            entries[key] = (data.user_base, replay)
            entries.move_to_end(key)
            while len(entries) > self.size:
                entries.popitem(last=False)


_CACHE = _Cache(CACHE_SIZE)


def _key(task: Task, sync: bool) -> str:
    return json.dumps([sync, task.initial_state, [a.model_dump(mode="json") for a in task.actions]],
                      sort_keys=True, default=str)


def _replay(data: DomainData, task: Task, sync: bool) -> GoldReplay:
    try:
        env = data.environment(task)
        env.run_sync()
    except Exception as exc:  # a broken initial_state is a recorded failure, never a crash
        return GoldReplay((), (), (), None, None,
                          f"initial state could not be applied: {type(exc).__name__}: {exc}", None)
    outputs: list[str] = []
    errors: list[bool] = []
    failed: list[dict[str, Any]] = []
    for action in task.actions:
        result = env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=sync)
        outputs.append(result.content)
        errors.append(result.error)
        if result.error and data.domain.is_write(action.name):  # tau2 classifies by name alone
            failed.append({"action_id": action.action_id, "tool_name": action.name, "requestor": action.requestor,
                           "error": result.content[:300]})
    return GoldReplay(tuple(outputs), tuple(errors), tuple(failed), env.fingerprint(),
                      env.user_fingerprint(), None, env)


def replay_gold(data: DomainData, task: Task, *, sync: bool = False, cache: bool = True) -> GoldReplay:
    """Replay `task`'s gold actions on `data` (see the module docstring for `sync`); never raises."""
    if not cache:
        return _replay(data, task, sync)
    key = _key(task, sync)
    hit = _CACHE.get(data, key)
    if hit is None:
        hit = _replay(data, task, sync)
        _CACHE.put(data, key, hit)
    return hit


def replay_task(data: DomainData, task: Task, *, sync: bool = False) -> dict[str, Any]:
    """The gold replay as one JSON record (what `writ replay` writes); raises if the initial state fails."""
    gold = replay_gold(data, task, sync=sync)
    if gold.error:
        raise ValueError(gold.error)
    return {"task_id": task.id, "outputs": list(gold.outputs), "errors": list(gold.errors),
            "final_db_hash": gold.db_hash, "final_user_db_hash": gold.user_db_hash}


def replay_tasks(data: DomainData, tasks: Iterable[Task], *, sync: bool = False) -> Iterator[dict[str, Any]]:
    """`replay_task` for every task; a task whose initial state fails is a record with ``failure``."""
    for task in tasks:
        gold = replay_gold(data, task, sync=sync)
        if gold.error:
            yield {"task_id": task.id, "outputs": [], "errors": [], "final_db_hash": None,
                   "final_user_db_hash": None, "failure": gold.error}
        else:
            yield replay_task(data, task, sync=sync)
