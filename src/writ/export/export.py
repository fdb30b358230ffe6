"""`export_run`: run stores in; training files, a dataset card and a manifest out.

The stages run in a fixed order so that every output is a pure function of the run stores and the
options (the same inputs give the same bytes): collect records (`collect`), drop exact duplicates
(`dedup`), convert each record to the format (a record the format cannot hold is skipped with its
reason), split by task stem (`split_records`), write the split files, the card and, last, the
manifest with every file's SHA-256. A directory with a manifest therefore holds a complete export.

An existing output directory is only ever replaced with ``overwrite`` and only when it holds a
previous writ export: exactly the files its manifest lists are removed, and only once the new
export is known to have something to write.

``prompt`` (``--agent-prompt``, ``--policy``) sets the records' system message and tools through
`writ.agents.setup.agent_setup`; the manifest and the card name every system prompt, tool schema
list and policy used, with SHA-256s, and note a run whose LLM agent was shown other files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from writ.agents.prompt import PromptError
from writ.agents.setup import PromptOptions
from writ.export.card import dataset_card, stats
from writ.export.collect import Collection, Skipped, collect
from writ.export.formats import CHAT_FORMATS, FormatError, ShareGPTStats, sharegpt_row
from writ.export.parquet import parquet_row, write_shards
from writ.export.records import WEIGHT_MODES, TrainingRecord, approx_tokens
from writ.export.select import Budget, Candidate, SelectionError, select
from writ.export.split import dedup as drop_duplicates
from writ.export.split import Split, split_records

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
            lines.append(f"selected {chosen['selected']} of {chosen['candidates']} ({chosen['eligible']} eligible) over "
                         f"{sum(1 for v in chosen['cells'].values() if v['selected'])} writes x evidence cells; "
                         f"{len(chosen['spills'])} cells short of their share (see README.md)")
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


def _previous_files(out: Path, overwrite: bool) -> list[Path]:
    """The files of a previous export in `out` to remove (none if `out` is new or empty)."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: exists and is not a directory")
    if not out.exists() or not any(out.iterdir()):
        return []
    if not overwrite:
        raise ExportError(f"{out}: not empty; pass --force to replace a previous export")
    try:
        old = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        listed = [out / f["path"] for f in old["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise ExportError(f"{out}: not empty and holds no readable writ export manifest; refusing to replace it") from None
    return [p for p in listed if out.resolve() in p.resolve().parents] + [out / MANIFEST]


def _remove(paths: list[Path], out: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
    data = out / "data"
    if data.is_dir() and not any(data.iterdir()):
        data.rmdir()


def _convert(records: list[TrainingRecord], fmt: str, skipped: list[Skipped],
             sharegpt: ShareGPTStats) -> list[tuple[TrainingRecord, dict[str, Any]]]:
    rows = []
    for record in records:
        try:
            if fmt == "parquet":
                row = parquet_row(record)
            elif fmt == "sharegpt":
                row = sharegpt_row(record, sharegpt)
            else:
                row = CHAT_FORMATS[fmt](record)
        except FormatError as exc:
            skipped.append(Skipped(f"{record.run}: {record.task_id}#{record.attempt}", str(exc)))
            continue
        rows.append((record, row))
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _actor_seed(config: dict[str, Any], side: str) -> Any:
    actor = config.get(side)
    return actor.get("seed") if isinstance(actor, dict) else None


def _write_splits(out: Path, fmt: str, split: Split, row_of: dict[int, dict[str, Any]],
                  max_rows: int) -> tuple[list[tuple[Path, int]], dict[str, str]]:
    """Write each non-empty split; returns (path, rows) per file and the card's data_files per split."""
    written: list[tuple[Path, int]] = []
    data_files: dict[str, str] = {}
    for name, part in split.items():
        if not part:
            continue
        rows = [row_of[id(r)] for r in part]
        if fmt == "parquet":
            written += write_shards(out, name, rows, max_rows)
            data_files[name] = f"data/{name}-*.parquet"
        else:
            path = out / f"{name}.jsonl"
            _write_jsonl(path, rows)
            written.append((path, len(rows)))
            data_files[name] = path.name
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
                entry = found[id(record.setup)] = {**record.setup.describe(), "records": {s: 0 for s, _ in split.items()}}
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
    reasons = [s.reason for s in skipped]
    first = f"; first: {skipped[0]}" if skipped else ""
    return ExportError(f"nothing to export: {collection.kept_episodes} kept episodes, "
                       f"{len(reasons)} items skipped{first}")


def export_run(runs: str | Path | Iterable[str | Path], out: str | Path, *, fmt: str = "openai",
               val_fraction: float = 0.1, seed: int = 0, weights: str = "all", dedup: bool = True,
               max_rows_per_shard: int = 10_000, overwrite: bool = False, budget: int | None = None,
               mix: Any = None, max_per_task: int | None = None,
               resolve: Callable[[dict[str, Any]], Callable] | None = None,
               count_tokens: Callable[[str], int] = approx_tokens,
               prompt: PromptOptions | None = None) -> ExportResult:
    """Export the kept episodes of `runs` (one run directory or several) to `out` in `fmt`.

    `budget`, `mix` and `max_per_task` select a balanced subset before the split
    (`writ.export.select`). Bad items are skipped and listed in the result and the manifest; raises
    `ExportError` when nothing at all could be exported, for bad options, prompt options that do not
    fit a domain of the runs, or an output directory it may not use.
    """
    from writ import __version__

    _check_options(fmt, val_fraction, weights, max_rows_per_shard)
    try:
        selecting = Budget.of(budget, mix, max_per_task, seed)
    except SelectionError as exc:
        raise ExportError(str(exc)) from None
    out = Path(out)
    run_paths = [Path(runs)] if isinstance(runs, (str, Path)) else [Path(r) for r in runs]
    if not run_paths:
        raise ExportError("no run directory given")
    previous = _previous_files(out, overwrite)
    try:
        collection = collect(run_paths, weights=weights, resolve=resolve, count_tokens=count_tokens, prompt=prompt)
    except PromptError as exc:
        raise ExportError(str(exc)) from None
    skipped = list(collection.skipped)
    records, duplicates = drop_duplicates(collection.records) if dedup else (collection.records, [])
    sharegpt = ShareGPTStats()
    converted = _convert(records, fmt, skipped, sharegpt)
    if not converted:
        raise _nothing(collection, skipped)
    selection = None
    if selecting.active:
        try:
            selection = select([Candidate.of(record) for record, _ in converted], selecting)
        except SelectionError as exc:
            raise ExportError(str(exc)) from None
        converted = [(record, row) for record, row in converted if record.id in selection.keys]
    row_of = {id(record): row for record, row in converted}
    split = split_records([record for record, _ in converted], val_fraction, seed)

    _remove(previous, out)
    out.mkdir(parents=True, exist_ok=True)
    written, data_files = _write_splits(out, fmt, split, row_of, max_rows_per_shard)

    figures = stats(dict(split.items()))
    manifest: dict[str, Any] = {
        "writ_version": __version__,
        "format": fmt,
        "options": {"val_fraction": val_fraction, "seed": seed, "weights": weights, "dedup": dedup,
                    **({"max_rows_per_shard": max_rows_per_shard} if fmt == "parquet" else {}),
                    **({"budget": budget, "mix": selecting.mix.to_json(), "max_per_task": max_per_task}
                       if selection else {})},
        "seeds": {"split": seed, "runs": [{side: _actor_seed(r.config, side) for side in ("agent", "user")}
                                          for r in collection.runs]},
        "runs": [{"path": r.path, "kept_episodes": r.kept, "config": r.config} for r in collection.runs],
        "counts": {
            "kept_episodes": collection.kept_episodes, "records": len(collection.records),
            "deduplicated": len(duplicates), "skipped": len(skipped), "exported": len(converted),
            "train": len(split.train), "validation": len(split.validation),
            "train_stems": len({r.stem for r in split.train}),
            "validation_stems": len({r.stem for r in split.validation}),
            "per_domain": figures["domains"],
        },
        "statistics": figures,
        **({"selection": selection.to_json()} if selection else {}),
        **({"sharegpt": sharegpt.to_json()} if fmt == "sharegpt" else {}),
        "agent_setups": agent_setups(split),
        **({"prompt_options": prompt.describe()} if prompt else {}),
        **({"notes": notes} if (notes := _prompt_notes(collection, prompt)) else {}),
        "skipped": [{"item": s.item, "reason": s.reason} for s in skipped],
    }
    card = out / "README.md"
    card.write_text(dataset_card(fmt=fmt, data_files=data_files, statistics_=figures, manifest=manifest),
                    encoding="utf-8")
    manifest["files"] = [{"path": path.relative_to(out).as_posix(), "sha256": _sha256(path),
                          "bytes": path.stat().st_size, **({"rows": rows} if rows is not None else {})}
                         for path, rows in [*written, (card, None)]]
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return ExportResult(out, manifest, skipped)
