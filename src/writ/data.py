"""Where a domain's database, tasks and policy come from: a tau2 data directory, a directory that
`writ db generate` wrote, or a database generated in memory from a seed.

Every problem with a data source becomes a `DataError` whose one-line message names the file and
the problem, so the CLI can print it and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from writ.core import Domain, Environment
from writ.domains import UnknownDomain, get_domain
from writ.limits import over_limit
from writ.store import Base
from writ.task import Task, TaskFileError, load_tasks

__all__ = ["DataError", "DomainData", "load_data", "resolve_domain", "write_db_dir"]


class DataError(ValueError):
    """A data source that cannot be used; the message is one line for the user."""


@dataclass
class DomainData:
    """A loaded domain: the shared database bases every episode forks from, tasks and policy."""

    domain: Domain
    base: Base
    user_base: Base | None
    policy: str
    source: str
    tasks: list[Task] = field(default_factory=list)

    def environment(self, task: Task | None = None) -> Environment:
        """A fresh environment (O(1): it forks the shared base) in the task's initial state."""
        env = Environment(self.domain, self.base.store(), self.user_base.store() if self.user_base else None)
        if task is not None and task.initial_state:
            env.apply_initial_state(task.initial_state)
        if self.domain.setup_env is not None:
            self.domain.setup_env(env, task)
        return env

    def policy_for(self, task: Task | None = None) -> str:
        """The policy the agent gets for `task` (banking's golden_retrieval inlines its documents)."""
        if task is None or self.domain.task_policy is None:
            return self.policy
        return self.domain.task_policy(self.policy, self.base, task)


def resolve_domain(name: str) -> Domain:
    try:
        return get_domain(name)
    except UnknownDomain as exc:
        raise DataError(str(exc)) from None


def _read_structured(path: Path) -> Any:
    try:
        if path.suffix == ".toml":
            return tomllib.loads(path.read_text(encoding="utf-8"))
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: malformed {path.suffix[1:].upper()} ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None


def _first_existing(folder: Path, names: list[str]) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    return None


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"schema violation at {where}: {first['msg']}{more}"


def _build_base(domain: Domain, raw: Any, path: Path, user: bool = False) -> Base:
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected an object at the top level")
    try:
        return domain.user_base(raw) if user else domain.base(raw)
    except ValidationError as exc:
        raise DataError(f"{path}: {_validation_message(exc)}") from None
    except (ValueError, TypeError, KeyError) as exc:
        raise DataError(f"{path}: {exc}") from None


def _attach(domain: Domain, data: DomainData, source: Any, where: Path | str) -> DomainData:
    """Load the domain's resources beside its database (a knowledge base), if it has any."""
    if domain.attach is None:
        return data
    try:
        policy = domain.attach(data.base, source)
    except (ValueError, OSError, KeyError, TypeError) as exc:
        raise DataError(f"{where}: {exc}") from None
    if policy is not None:
        data.policy = policy
    return data


def _domain_folder(root: Path, domain: str) -> Path:
    if not root.exists():
        raise DataError(f"{root}: no such directory")
    if not root.is_dir():
        raise DataError(f"{root}: not a directory")
    if (root / domain).is_dir():
        return root / domain
    if _first_existing(root, ["db.json", "db.toml"]):
        return root
    raise DataError(f"{root}: neither {root / domain} nor a db.json/db.toml inside it")


def _load_folder(domain: Domain, folder: Path, source: str) -> DomainData:
    db_path = _first_existing(folder, ["db.json", "db.toml"])
    if db_path is None:
        raise DataError(f"{folder}: missing db.json or db.toml")
    base = _build_base(domain, _read_structured(db_path), db_path)
    user_base = None
    if domain.user is not None:
        user_path = _first_existing(folder, ["user_db.json", "user_db.toml"])
        if user_path is not None:
            user_base = _build_base(domain, _read_structured(user_path), user_path, user=True)
        elif domain.normalize_user_db is not None:
            user_base = _build_base(domain, {}, folder / "user_db.json", user=True)
    policy_path = folder / "policy.md"
    try:
        policy = policy_path.read_text(encoding="utf-8") if policy_path.is_file() else domain.policy
    except UnicodeDecodeError:
        raise DataError(f"{policy_path}: not a policy text (not UTF-8)") from None
    except OSError as exc:
        raise DataError(f"{policy_path}: cannot read ({exc.strerror})") from None
    tasks: list[Task] = []
    tasks_path = folder / "tasks.json"
    if tasks_path.is_file():
        try:
            tasks = load_tasks(tasks_path)
        except TaskFileError as exc:
            raise DataError(str(exc)) from None
    return _attach(domain, DomainData(domain, base, user_base, policy, source, tasks), folder, folder)


@lru_cache(maxsize=8)
def _generated(name: str, seed: int, scale: float) -> DomainData:
    domain = get_domain(name)
    if domain.generate is None:
        raise DataError(f"domain {name!r} has no database generator")
    generated = domain.generate(seed=seed, scale=scale)
    db, user_db = generated[0], generated[1]
    base = domain.base(db)
    user_base = domain.user_base(user_db) if user_db is not None else None
    source = f"generated:seed={seed},scale={scale}"
    data = DomainData(domain, base, user_base, domain.policy, source)
    return _attach(domain, data, generated[2], source) if len(generated) > 2 else data


def load_data(domain: str, *, tau2_data: str | Path | None = None, data: str | Path | None = None,
              seed: int = 0, scale: float = 1.0) -> DomainData:
    """Load a domain from a tau2 data directory, a writ data directory, or generate it."""
    spec = resolve_domain(domain)
    if tau2_data is not None and data is not None:
        raise DataError("give either --tau2-data or --data, not both")
    if tau2_data is not None:
        folder = _domain_folder(Path(tau2_data), spec.data_folder or spec.name)
        return _load_folder(spec, folder, f"tau2:{folder.resolve()}")
    if data is not None:
        folder = _domain_folder(Path(data), spec.data_folder or spec.name)
        return _load_folder(spec, folder, f"dir:{folder.resolve()}")
    if not math.isfinite(scale) or scale <= 0:
        raise DataError(f"scale must be a positive number, got {scale}")
    too_big = over_limit("scale", scale, "scale")
    if too_big:
        raise DataError(too_big)
    loaded = _generated(domain, seed, float(scale))
    return DomainData(loaded.domain, loaded.base, loaded.user_base, loaded.policy, loaded.source)


DB_FILES = ("db.json", "user_db.json", "policy.md", "documents")  # what `write_db_dir` writes


def write_db_dir(data: DomainData, out: str | Path) -> list[Path]:
    """Write a loaded database as a directory `load_data(data=...)` reads back (db.json, ...).

    The directory is written whole and then put in place (`writ.atomic.atomic_dir`): a kill
    leaves the previous directory or the new one. Anything else in `out` is replaced with it.
    """
    from writ.atomic import atomic_dir

    out = Path(out)
    names = ["db.json"] + (["user_db.json"] if data.user_base is not None else []) + ["policy.md"]
    with atomic_dir(out) as tmp:
        (tmp / "db.json").write_text(json.dumps(data.base.store().dump(), ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
        if data.user_base is not None:
            (tmp / "user_db.json").write_text(json.dumps(data.user_base.store().dump(), ensure_ascii=False, indent=1)
                                              + "\n", encoding="utf-8")
        (tmp / "policy.md").write_text(data.policy, encoding="utf-8")
        extra = data.domain.write_resources(data.base, tmp) if data.domain.write_resources is not None else []
    return [out / name for name in names] + [out / Path(p).relative_to(tmp) for p in extra]
