"""Where a task's database comes from, turned back into a `load_data` call.

A generated task records the database it was generated against in ``task.writ["db_source"]``
(`DomainData.source`): ``generated:seed=0,scale=1.0``, ``tau2:/path/to/domain_folder`` or
``dir:/path``. The simulator must run each task on exactly that database, or its gold hashes mean
nothing, so a tasks file that mixes sources is fine: each task gets its own. Tasks that carry no
source (tau2's own tasks) use the command line's ``--domain`` / ``--tau2-data`` / ``--data``.

Loading is cached per source: thousands of tasks share a handful of databases, and every episode
forks the shared base in O(1). A resolver crosses processes as its options, never its cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.data import DataError, DomainData, load_data
from writ.task import Task

__all__ = ["DataResolver", "parse_source", "task_domain"]


def parse_source(source: str) -> dict[str, Any]:
    """``"generated:seed=3,scale=0.5"`` -> ``{"seed": 3, "scale": 0.5}``; ``"tau2:/p"`` -> ``{"tau2_data": "/p"}``."""
    kind, sep, rest = source.partition(":")
    if sep and kind == "generated":
        options: dict[str, Any] = {}
        for part in filter(None, rest.split(",")):
            key, eq, value = part.partition("=")
            try:
                if key.strip() == "seed" and eq:
                    options["seed"] = int(value)
                elif key.strip() == "scale" and eq:
                    options["scale"] = float(value)
                else:
                    raise ValueError(part)
            except ValueError:
                raise DataError(f"bad db_source {source!r}: unknown part {part!r}") from None
        return options
    if sep and kind == "tau2" and rest:
        return {"tau2_data": rest}
    if sep and kind == "dir" and rest:
        return {"data": rest}
    raise DataError(f"bad db_source {source!r}: expected generated:seed=N,scale=X, tau2:PATH or dir:PATH")


def task_domain(task: Task) -> str | None:
    """The domain a task names (writ metadata or tau2's structured instructions), if any."""
    meta = task.writ or {}
    instructions = task.user_scenario.get("instructions")
    named = meta.get("domain") or (instructions.get("domain") if isinstance(instructions, dict) else None)
    return str(named) if named else None


@dataclass
class DataResolver:
    """``resolve(task) -> DomainData``: the task's own source first, then the command line's data.

    `domain`, `tau2_data`, `data`, `seed` and `scale` are the command line's fallbacks (the same
    meaning as for `load_data`). A task whose domain differs from `domain` keeps its own.
    """

    domain: str | None = None
    tau2_data: str | Path | None = None
    data: str | Path | None = None
    seed: int = 0
    scale: float = 1.0
    _cache: dict[tuple, DomainData] = field(default_factory=dict, repr=False)

    def key(self, task: Task) -> tuple:
        """The (domain, source options) a task resolves to; equal keys share one loaded database."""
        domain = task_domain(task) or self.domain
        if not domain:
            raise DataError(f"task {task.id}: names no domain; pass --domain")
        source = (task.writ or {}).get("db_source")
        if source:
            options = parse_source(str(source))
        elif self.tau2_data is not None:
            options = {"tau2_data": str(self.tau2_data)}
        elif self.data is not None:
            options = {"data": str(self.data)}
        else:
            options = {"seed": self.seed, "scale": self.scale}
        if "seed" in options or "scale" in options:
            options = {"seed": options.get("seed", 0), "scale": float(options.get("scale", 1.0))}
        return (domain, tuple(sorted(options.items())))

    def __call__(self, task: Task) -> DomainData:
        key = self.key(task)
        loaded = self._cache.get(key)
        if loaded is None:
            domain, options = key
            loaded = self._cache[key] = load_data(domain, **dict(options))
        return loaded

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its cache: another process (a Ray worker) loads its own databases."""
        return {**self.__dict__, "_cache": {}}

    def loaded(self) -> dict[str, DomainData]:
        """source text -> data, for every source resolved so far (recorded in the run's config)."""
        return {f"{key[0]}@{data.source}": data for key, data in self._cache.items()}
