"""`export_run`: run stores in; training files, a dataset card and a manifest out.

The stages run in a fixed order so that every output is a pure function of the run stores and the
options (the same inputs give the same bytes): read records one at a time (`iter_records`), drop
exact duplicates (by a digest of each), convert each record to the format (a record the format
cannot hold is skipped with its reason) and spool the row to disk; then split by task stem
(`validation_stems`, which needs only the stems), copy the spooled rows into the split files,
write the card and, last, the manifest with every file's SHA-256. Only a few numbers per record
stay in memory, so the memory an export needs is that of its largest episode, not of the run.

Everything is written into a temporary folder beside the output, which then replaces it
(`writ.atomic.atomic_dir`): a kill at any moment leaves the previous export or the new one, and
the next run cleans up. An existing output directory is only ever replaced with ``overwrite`` and
only when it holds a previous writ export (files it holds beyond those its manifest lists are kept);
``owned`` (a synth job's own export folder) replaces whatever is there.

``budget`` / ``mix`` / ``max_per_task`` choose a balanced subset before the split
(`writ.export.select`, which needs only each record's metadata). ``prompt`` (``--agent-prompt``,
``--policy``) sets the records' system message and tools through `writ.agents.setup.agent_setup`;
the manifest and the card name every system prompt, tool schema list and policy used, with
SHA-256s, and note a run whose LLM agent was shown other files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.agents.prompt import PromptError
from writ.agents.setup import PromptOptions
from writ.atomic import atomic_dir, recover
from writ.export.card import dataset_card, stats
from writ.export.collect import Collection, Skipped, iter_records
from writ.export.formats import CHAT_FORMATS, FormatError, ShareGPTStats, sharegpt_row
from writ.export.parquet import ShardWriter, parquet_row, shard_names
from writ.export.records import WEIGHT_MODES, TrainingRecord, approx_tokens
from writ.export.select import Budget, Candidate, SelectionError, select
from writ.export.split import Split, validation_stems
from writ.failpoints import failpoint
from writ.sim.runstore import RunStoreError

__all__ = ["FORMATS", "ExportError", "ExportResult", "export_run"]

FORMATS = ("openai", "trl", "sharegpt", "parquet")
MANIFEST = "manifest.json"
SHOWN_SKIPS = 20  # skipped items printed by `lines`; the manifest lists them all


class ExportError(ValueError):
    """Nothing could be exported, or the options or output directory are unusable (one line)."""


@dataclass
class ExportResult:
    out: Path
    manifest: dict[str, Any]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [self.out / f["path"] for f in self.manifest["files"]]

    def lines(self) -> list[str]:
        """A plain summary for the command line: totals, then the skipped items with their reasons."""
        c = self.manifest["counts"]
        lines = [f"exported {c['exported']} trajectories (train {c['train']}, validation {c['validation']}) "
                 f"from {c['kept_episodes']} kept episodes as {self.manifest['format']} to {self.out}",
                 f"duplicates dropped: {c['deduplicated']}; items skipped: {c['skipped']}"]
        chosen = self.manifest.get("selection")
        if chosen:
            lines.append(f"selected {chosen['selected']} of {chosen['candidates']} ({chosen['eligible']} "
                         f"eligible) over {sum(1 for v in chosen['cells'].values() if v['selected'])} writes x "
                         f"evidence cells; {len(chosen['spills'])} cells short of their share (see README.md)")
        lines += [f"note: {note}" for note in self.manifest.get("notes", [])]
        lines += [f"skipped {s}" for s in self.skipped[:SHOWN_SKIPS]]
        if len(self.skipped) > SHOWN_SKIPS:
            lines.append(f"... and {len(self.skipped) - SHOWN_SKIPS} more skipped items (see manifest.json)")
        return lines


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_options(fmt: str, val_fraction: float, weights: str, max_rows_per_shard: int) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if weights not in WEIGHT_MODES:
        raise ExportError(f"unknown weights {weights!r} (use {', '.join(WEIGHT_MODES)})")
    if not 0 <= val_fraction < 1:
        raise ExportError(f"--val-fraction must be in [0, 1), got {val_fraction}")
    if max_rows_per_shard < 1:
        raise ExportError(f"--max-rows-per-shard must be at least 1, got {max_rows_per_shard}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ExportError("the parquet format needs pyarrow: pip install 'writ[export]'") from None


def _previous(out: Path, overwrite: bool, owned: bool) -> list[Path]:
    """Check that `out` may be (re)written; returns the entries of a previous export to keep."""
    recover(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: exists and is not a directory")
    if not out.exists() or not any(out.iterdir()) or owned:
        return []
    if not overwrite:
        raise ExportError(f"{out}: not empty; pass --force to replace a previous export")
    try:
        old = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        listed = {(out / f["path"]).resolve() for f in old["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        raise ExportError(
            f"{out}: not empty and holds no readable writ export manifest; refusing to replace it") from None
    listed.add((out / MANIFEST).resolve())
    keep = []
    for entry in out.iterdir():
        if entry.is_dir() and entry.name == "data":
            keep += [p for p in entry.rglob("*") if p.is_file() and p.resolve() not in listed]
        elif entry.resolve() not in listed:
            keep.append(entry)
    return keep


def _keep(previous: list[Path], out: Path, tmp: Path) -> None:
    """Copy what the user added to a previous export into the new one (copied: a kill loses nothing)."""
    for path in previous:
        target = tmp / path.relative_to(out)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, target, symlinks=True)
        else:
            shutil.copy2(path, target, follow_symlinks=False)


def _convert(record: TrainingRecord, fmt: str, sharegpt: ShareGPTStats) -> dict[str, Any]:
    if fmt == "parquet":
        return parquet_row(record)
    if fmt == "sharegpt":
        return sharegpt_row(record, sharegpt)
    return CHAT_FORMATS[fmt](record)


@dataclass(frozen=True)
class _Entry:
    """What selection, the split, the card and the manifest need of one record (its row is spooled)."""

    id: str
    task_id: str
    stem: str
    domain: str
    n_writes: int
    evidence: int
    behaviours: tuple[str, ...]
    turns: int
    tokens: int
    setup: Any = field(default=None, compare=False, repr=False)


def _actor_seed(config: dict[str, Any], side: str) -> Any:
    actor = config.get(side)
    return actor.get("seed") if isinstance(actor, dict) else None


def _spool(records: Iterator[TrainingRecord], fmt: str, dedup: bool, spool: Path, skipped: list[Skipped],
           sharegpt: ShareGPTStats) -> tuple[list[_Entry], int, int]:
    """Convert each record and write its row (one JSON line) to `spool`; (entries, duplicates, records)."""
    seen: set[bytes] = set()
    entries: list[_Entry] = []
    duplicates = built = 0
    with open(spool, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            failpoint("export.record")
            built += 1
            if dedup:
                key = hashlib.sha256(record.key().encode("utf-8")).digest()
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
            try:
                row = _convert(record, fmt, sharegpt)
            except FormatError as exc:
                skipped.append(Skipped(f"{record.run}: {record.task_id}#{record.attempt}", str(exc)))
                continue
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            entries.append(_Entry(record.id, record.task_id, record.stem, record.domain, record.n_writes,
                                  record.evidence, tuple(record.behaviours), record.turns, record.tokens, record.setup))
    return entries, duplicates, built


def _write_splits(tmp: Path, fmt: str, spool: Path, sides: list[str | None], counts: dict[str, int],
                  max_rows: int) -> tuple[list[tuple[Path, int]], dict[str, str]]:
    """Copy the spooled rows into each non-empty split's files, in spool order; (path, rows) per file.

    `sides` says, per spooled row, "train", "validation" or None (not selected: left out).
    """
    names = [name for name in ("train", "validation") if counts[name]]
    written: list[tuple[Path, int]] = []
    data_files: dict[str, str] = {}
    if fmt == "parquet":
        writers = {name: ShardWriter(tmp, shard_names(name, counts[name], max_rows), max_rows) for name in names}
        for name in names:
            data_files[name] = f"data/{name}-*.parquet"
        with open(spool, encoding="utf-8") as f:
            for line, side in zip(f, sides, strict=True):
                if side is not None:
                    writers[side].add(json.loads(line))
        for name in names:
            written += writers[name].close()
        return written, data_files
    handles = {name: open(tmp / f"{name}.jsonl", "w", encoding="utf-8", newline="\n") for name in names}
    try:
        with open(spool, encoding="utf-8") as f:
            for line, side in zip(f, sides, strict=True):
                if side is not None:
                    handles[side].write(line)
    finally:
        for handle in handles.values():
            handle.close()
    for name in names:
        written.append((tmp / f"{name}.jsonl", counts[name]))
        data_files[name] = f"{name}.jsonl"
    return written, data_files


def agent_setups(split: Split) -> list[dict[str, Any]]:
    """Each distinct system message + tools + policy the exported records carry, with its counts."""
    found: dict[int, dict[str, Any]] = {}
    for name, part in split.items():
        for record in part:
            if record.setup is None:
                continue
            entry = found.get(id(record.setup))
            if entry is None:
                entry = found[id(record.setup)] = {**record.setup.describe(),
                                                   "records": {s: 0 for s, _ in split.items()}}
            entry["records"][name] += 1
    return sorted(found.values(), key=lambda e: (e["domain"], e["system_prompt"]["sha256"], e["tools"]["sha256"]))


def _prompt_notes(collection: Collection, prompt: PromptOptions | None) -> list[str]:
    """Runs whose LLM agent was shown other agent prompt or policy files than this export writes."""
    wanted = prompt.identity() if prompt else {}
    notes = []
    for run in collection.runs:
        agent = run.config.get("agent")
        shown = agent.get("prompt") if isinstance(agent, dict) else None
        if shown and shown != wanted:
            notes.append(f"{run.path}: its agent was shown other agent prompt/policy files (SHA-256 "
                         f"{json.dumps(shown, sort_keys=True)}) than this export writes; pass the same "
                         "--agent-prompt/--policy to export what it saw")
    return notes


def _nothing(collection: Collection, skipped: list[Skipped]) -> ExportError:
    first = f"; first: {skipped[0]}" if skipped else ""
    return ExportError(f"nothing to export: {collection.kept_episodes} kept episodes, "
                       f"{len(skipped)} items skipped{first}")


def export_run(runs: str | Path | Iterable[str | Path], out: str | Path, *, fmt: str = "openai",
               val_fraction: float = 0.1, seed: int = 0, weights: str = "all", dedup: bool = True,
               max_rows_per_shard: int = 10_000, overwrite: bool = False, owned: bool = False,
               budget: int | None = None, mix: Any = None, max_per_task: int | None = None,
               resolve: Callable[[dict[str, Any]], Callable] | None = None,
               count_tokens: Callable[[str], int] = approx_tokens,
               prompt: PromptOptions | None = None) -> ExportResult:
    """Export the kept episodes of `runs` (one run directory or several) to `out` in `fmt`.

    `budget`, `mix` and `max_per_task` select a balanced subset before the split
    (`writ.export.select`). Bad items are skipped and listed in the result and the manifest; raises
    `ExportError` when nothing at all could be exported, for a damaged run store (never a partial
    export), bad options, prompt options that do not fit a domain of the runs, or an output
    directory it may not use. `owned`: `out` belongs to the caller (a synth job's export folder)
    and is replaced whatever it holds.
    """
    _check_options(fmt, val_fraction, weights, max_rows_per_shard)
    try:
        selecting = Budget.of(budget, mix, max_per_task, seed)
    except SelectionError as exc:
        raise ExportError(str(exc)) from None
    out = Path(out)
    run_paths = [Path(runs)] if isinstance(runs, (str, Path)) else [Path(r) for r in runs]
    if not run_paths:
        raise ExportError("no run directory given")
    previous = _previous(out, overwrite, owned)
    options = _Options(fmt, val_fraction, seed, weights, dedup, max_rows_per_shard, budget, max_per_task, selecting,
                       prompt)
    try:
        with atomic_dir(out) as tmp:
            result = _export_into(tmp, out, run_paths, options, resolve, count_tokens)
            _keep(previous, out, tmp)
    except (RunStoreError, PromptError, SelectionError) as exc:
        raise ExportError(str(exc)) from None
    return result


@dataclass(frozen=True)
class _Options:
    fmt: str
    val_fraction: float
    seed: int
    weights: str
    dedup: bool
    max_rows: int
    budget: int | None
    max_per_task: int | None
    selecting: Budget
    prompt: PromptOptions | None


def _export_into(tmp: Path, out: Path, run_paths: list[Path], o: _Options,
                 resolve: Callable[[dict[str, Any]], Callable] | None,
                 count_tokens: Callable[[str], int]) -> ExportResult:
    from writ import __version__

    collection = Collection()
    spool = tmp / ".rows.jsonl"
    sharegpt = ShareGPTStats()
    records = iter_records(run_paths, collection, weights=o.weights, resolve=resolve, count_tokens=count_tokens,
                           prompt=o.prompt)
    entries, duplicates, built = _spool(records, o.fmt, o.dedup, spool, collection.skipped, sharegpt)
    skipped = collection.skipped
    if not entries:
        raise _nothing(collection, skipped)
    selection = None
    chosen = entries
    if o.selecting.active:
        selection = select([Candidate.of(e) for e in entries], o.selecting)
        chosen = [e for e in entries if e.id in selection.keys]
    held_out = validation_stems({e.stem for e in chosen}, o.val_fraction, o.seed)
    picked = {id(e) for e in chosen}
    sides: list[str | None] = [None if id(e) not in picked else "validation" if e.stem in held_out else "train"
                               for e in entries]
    split = Split(train=[e for e, s in zip(entries, sides, strict=True) if s == "train"],
                  validation=[e for e, s in zip(entries, sides, strict=True) if s == "validation"])
    counts = {"train": len(split.train), "validation": len(split.validation)}
    written, data_files = _write_splits(tmp, o.fmt, spool, sides, counts, o.max_rows)
    spool.unlink()

    figures = stats(dict(split.items()))
    manifest: dict[str, Any] = {
        "writ_version": __version__,
        "format": o.fmt,
        "options": {"val_fraction": o.val_fraction, "seed": o.seed, "weights": o.weights, "dedup": o.dedup,
                    **({"max_rows_per_shard": o.max_rows} if o.fmt == "parquet" else {}),
                    **({"budget": o.budget, "mix": o.selecting.mix.to_json(), "max_per_task": o.max_per_task}
                       if selection else {})},
        "seeds": {"split": o.seed, "runs": [{side: _actor_seed(r.config, side) for side in ("agent", "user")}
                                            for r in collection.runs]},
        "runs": [{"path": r.path, "kept_episodes": r.kept, "config": r.config} for r in collection.runs],
        "counts": {
            "kept_episodes": collection.kept_episodes, "records": built, "deduplicated": duplicates,
            "skipped": len(skipped), "exported": len(chosen), "train": counts["train"],
            "validation": counts["validation"], "train_stems": len({e.stem for e in split.train}),
            "validation_stems": len({e.stem for e in split.validation}),
            "per_domain": figures["domains"],
        },
        "statistics": figures,
        **({"selection": selection.to_json()} if selection else {}),
        **({"sharegpt": sharegpt.to_json()} if o.fmt == "sharegpt" else {}),
        "agent_setups": agent_setups(split),
        **({"prompt_options": o.prompt.describe()} if o.prompt else {}),
        **({"notes": notes} if (notes := _prompt_notes(collection, o.prompt)) else {}),
        "skipped": [{"item": s.item, "reason": s.reason} for s in skipped],
    }
    card = tmp / "README.md"
    card.write_text(dataset_card(fmt=o.fmt, data_files=data_files, statistics_=figures, manifest=manifest),
                    encoding="utf-8")
    manifest["files"] = [{"path": path.relative_to(tmp).as_posix(), "sha256": _sha256(path),
                          "bytes": path.stat().st_size, **({"rows": rows} if rows is not None else {})}
                         for path, rows in [*written, (card, None)]]
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return ExportResult(out, manifest, list(skipped))
