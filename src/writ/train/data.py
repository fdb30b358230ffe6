"""From a writ ``trl`` export to tokenized training sets, with the data's identity recorded.

The export is read with `writ.export.load_trl` (each row's messages and tool schemas exactly as
written: no Arrow null padding that a template would render as ``"reason": null``). Every row is
rendered with the *training template* (`writ.train.template`) and the export's tools, then
labelled by `writ.train.labels`. The SHA-256 of the split files is recorded so a trained model
can always be traced back to the exact data it saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.train.labels import Example, PrepStats, prepare_rows

__all__ = ["DataError", "ExportData", "Prepared", "load_export", "make_render", "prepare"]

SPLITS = ("train", "validation")


class DataError(ValueError):
    """An export directory that cannot be trained on; one line for the user."""


@dataclass
class ExportData:
    """The rows of each split present in the export, and the files' hashes."""

    path: Path
    rows: dict[str, list[dict[str, Any]]]
    sha256: dict[str, str]

    @property
    def digest(self) -> str:
        """One hash for the whole training data (every split file, in split order)."""
        return hashlib.sha256("".join(f"{k}:{v};" for k, v in sorted(self.sha256.items())).encode()).hexdigest()


@dataclass
class Prepared:
    """Tokenized splits ready for the trainer, with what preparation dropped or cut."""

    train: list[Example]
    validation: list[Example]
    stats: dict[str, PrepStats] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_export(path: str | Path) -> ExportData:
    """The train (required) and validation (optional) splits of a ``trl`` export directory."""
    from writ.export import load_trl

    path = Path(path)
    if not path.is_dir():
        raise DataError(f"{path}: not a directory (give the --out of `writ export --format trl`)")
    if not (path / "train.jsonl").is_file():
        other_format = any(path.glob("*.parquet")) or (path / "data").is_dir() or (path / "train.json").is_file()
        hint = " (was it exported with --format trl?)" if other_format else ""
        raise DataError(f"{path}: no train.jsonl{hint}")
    rows: dict[str, list[dict[str, Any]]] = {}
    sha: dict[str, str] = {}
    for split in SPLITS:
        file = path / f"{split}.jsonl"
        if not file.is_file():
            continue
        try:
            dataset = load_trl(path, split=split)
            rows[split] = [dataset[i] for i in range(len(dataset))]
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{file}: not a writ trl export ({str(exc).splitlines()[0]})") from None
        sha[split] = _sha256(file)
    for split, split_rows in rows.items():
        bad = next((i for i, r in enumerate(split_rows) if not isinstance(r.get("messages"), list)), None)
        if bad is not None:
            raise DataError(f"{path / (split + '.jsonl')}: row {bad} has no messages list")
    if not rows.get("train"):
        raise DataError(f"{path / 'train.jsonl'}: no rows")
    return ExportData(path, rows, sha)


def make_render(tokenizer: Any, template: str) -> Callable[[list[dict], list[dict] | None, bool], str]:
    """``render(messages, tools, add_generation_prompt) -> text`` with the training template."""

    def render(messages: list[dict], tools: list[dict] | None, add_generation_prompt: bool) -> str:
        return tokenizer.apply_chat_template(messages, tools=tools or None, chat_template=template, tokenize=False,
                                             add_generation_prompt=add_generation_prompt)

    return render


def prepare(data: ExportData, tokenizer: Any, template: str, max_length: int, truncation: str) -> Prepared:
    """Tokenize and label every split; raises `DataError` when no training example survives."""
    render = make_render(tokenizer, template)
    out = Prepared([], [])
    for split, rows in data.rows.items():
        examples, stats = prepare_rows(rows, tokenizer, render, max_length, truncation)
        setattr(out, split, examples)
        out.stats[split] = stats
    if not out.train:
        stats = out.stats["train"]
        raise DataError(f"{data.path}: none of {stats.records} training records fits max_length {max_length} with a "
                        f"trained turn ({'; '.join(stats.errors)})")
    return out
