"""The job directory of `writ synth`: what it is, what config made it, which stages are finished.

Three promises rest on this module:

* **a job is only ever continued with the config that started it.** The job's ``config.yaml`` is
  compared with the new config before anything is written; a difference in anything that shapes
  the tasks or the episodes is one line naming it (``tasks.n: 20 now, 10 there``), and ``--force``
  starts over, keeping the old job aside (``OUT.replaced-<time>``). Settings that only decide how
  fast it runs (concurrency, executor, endpoints) and what is made from the episodes (export,
  report) may change between runs: the export and report are redone, nothing else;
* **a directory that is not a synth job is never written into**: a ``writ simulate`` run, an eval
  results directory or any other non-empty folder is refused;
* **a finished stage is never redone**: ``stages.json`` records, per stage, a digest of what
  produced its output. It is written atomically, so a kill leaves the old record or the new one;
  a damaged record is one line naming the file and what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import yaml

from writ.atomic import atomic_write_text, recover
from writ.synth.config import ConfigError, SynthConfig

__all__ = ["JobDir", "digest", "identity"]

# Settings that may differ between a job and its resumption: speed, endpoints, caches, time limits,
# and what is derived from the episodes (export and report are redone when they change). The same
# split as the run store's (`writ.sim.actors`: what changes where or how fast a model answers).
_FREE = {("out",), ("export",), ("report",), ("simulate", "concurrency"), ("simulate", "executor"),
         ("simulate", "address"), ("simulate", "workers"), ("simulate", "base_url"), ("simulate", "cache"),
         ("simulate", "prices"), ("simulate", "progress_every"),
         *(("simulate", side, key) for side in ("agent_params", "user_params")
            for key in ("timeout", "max_response_bytes"))}


def digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def identity(config: dict[str, Any], _path: tuple[str, ...] = ()) -> dict[str, Any]:
    """The part of a config dump that decides the job's tasks and episodes (`_FREE` left out)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        path = (*_path, key)
        if path in _FREE:
            continue
        out[key] = identity(value, path) if isinstance(value, dict) else value
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): value}


def difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    """``"tasks.n: 20 now, 10 there"`` (and how many more settings differ)."""
    a, b = _flatten(old), _flatten(new)
    keys = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    if not keys:
        return "no difference"
    first = keys[0]
    shown = ", ".join(keys[1:4]) + (", ..." if len(keys) > 4 else "")
    more = f" (also {shown})" if shown else ""
    return f"{first}: {json.dumps(b.get(first), default=str)} now, {json.dumps(a.get(first), default=str)} there{more}"


class JobDir:
    """One job directory: its recorded config and its stage record."""

    def __init__(self, out: Path):
        self.out = out
        self.config_path = out / "config.yaml"
        self.stages_path = out / "stages.json"
        self.done: dict[str, dict[str, Any]] = {}

    # -- what is there ----------------------------------------------------------------------------
    def _contents(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir() if not p.name.startswith("."))

    def is_job(self) -> bool:
        return self.config_path.is_file() or self.stages_path.is_file()

    def check(self, cfg: SynthConfig, *, force: bool) -> None:
        """Refuse, in one line, a directory this config may not write into (see the module docstring)."""
        out = self.out
        if out.exists() and not out.is_dir():
            raise ConfigError(f"{out}: exists and is not a directory; give a new or empty --out")
        if not out.is_dir():
            return
        recover(self.config_path)
        recover(self.stages_path)
        names = self._contents()
        if not names:
            return
        if not self.is_job():
            raise ConfigError(f"{out}: {_what(out, names)}, not a writ synth job; give a new or empty --out")
        if force:
            return
        old = self.recorded_config()
        if old is not None:
            new = identity(cfg.model_dump(mode="json"))
            if identity(old) != new:
                raise ConfigError(f"{out}: holds a synth job of another config ({difference(identity(old), new)}); "
                                  "rerun with the same settings, or pass --force to start over "
                                  "(the old job is kept aside)")
        self.load_stages()

    def recorded_config(self) -> dict[str, Any] | None:
        if not self.config_path.is_file():
            return None
        try:
            raw = yaml.safe_load(self.config_path.read_text(encoding="utf-8"))
            return SynthConfig.model_validate(raw).model_dump(mode="json")
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
            kind = type(exc).__name__
            raise ConfigError(f"{self.config_path}: damaged ({kind}); restore it, or pass --force to start "
                              "over (the old job is kept aside)") from None

    def lock(self) -> int | None:
        """Hold the job (``OUT/.writ.lock``) while this process works on it; None where flock is missing.

        A second `writ synth` on the same job would race this one for every stage's output; it is
        refused at once instead. The kernel releases the lock when the holder dies (``kill -9``).
        """
        if not self.out.is_dir():
            return None
        fd = os.open(self.out / ".writ.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            pass
        except OSError:
            os.close(fd)
            raise ConfigError(f"{self.out}: another writ synth is working on this job; wait for it to finish") from None
        return fd

    def set_aside(self) -> Path | None:
        """``--force``: move the whole job to ``OUT.replaced-<UTC time>`` (nothing is deleted)."""
        if not self.out.is_dir() or not self._contents():
            return None
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        aside = self.out.with_name(f"{self.out.name}.replaced-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.out.with_name(f"{self.out.name}.replaced-{stamp}-{n}")
        os.replace(self.out, aside)
        return aside

    def record_config(self, cfg: SynthConfig) -> None:
        text = yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False)
        if not self.config_path.is_file() or self.config_path.read_text(encoding="utf-8") != text:
            atomic_write_text(self.config_path, text)

    # -- stages -----------------------------------------------------------------------------------
    def load_stages(self) -> None:
        if not self.stages_path.is_file():
            self.done = {}
            return
        try:
            raw = json.loads(self.stages_path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            reason = "empty" if not self.stages_path.stat().st_size else f"not a stage record ({type(exc).__name__})"
            raise ConfigError(f"{self.stages_path}: damaged ({reason}); delete it and rerun: finished stages are "
                              "redone with the same result and the simulation resumes from its run store") from None
        # written by older writ: {name: digest}
        self.done = {k: (v if isinstance(v, dict) else {"digest": v}) for k, v in raw.items()}

    def current(self, name: str, stage_digest: str, output: Path) -> bool:
        return (self.done.get(name) or {}).get("digest") == stage_digest and output.exists()

    def info(self, name: str) -> dict[str, Any]:
        return dict((self.done.get(name) or {}).get("info") or {})

    def mark(self, name: str, stage_digest: str, info: dict[str, Any] | None = None) -> None:
        entry = {"digest": stage_digest, **({"info": info} if info else {})}
        if self.done.get(name) == entry:
            return
        self.done[name] = entry
        atomic_write_text(self.stages_path, json.dumps(self.done, indent=1, sort_keys=True) + "\n")

    def forget(self, name: str) -> None:
        if self.done.pop(name, None) is not None:
            atomic_write_text(self.stages_path, json.dumps(self.done, indent=1, sort_keys=True) + "\n")


def _what(out: Path, names: list[str]) -> str:
    if "run.db" in names and "results.json" in names:
        return "holds `writ eval` results"
    if "run.db" in names:
        return "holds a `writ simulate` run"
    if "manifest.json" in names:
        return "holds a `writ export`"
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return f"is not empty (holds {names[0]}{more})"
