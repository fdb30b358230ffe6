"""The dataset card (``README.md``): a Hugging Face YAML header, then what a user needs to trust it.

The header makes the export directory uploadable to the Hub as is: license, task category, size
category, tags and a ``configs`` entry whose ``data_files`` name the split files, so the Hub's
loader and viewer find them. The body says how the trajectories were made (the run store's
generation config, verbatim), what is in them (counts per domain, the writes x evidence grid,
behaviours, turns and tokens per trajectory), which system prompt, tool schemas and policy the
records carry (with SHA-256s anyone can recompute from a record) and how to load the format that
was exported.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from typing import Any

import yaml

from writ.export.records import TrainingRecord
from writ.export.select import selection_card

__all__ = ["dataset_card", "size_category", "stats"]

TAGS = ["tool-calling", "function-calling", "agents", "customer-service", "synthetic", "multi-turn", "writ",
        "tau2-bench"]


def size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "1M<n<10M"


def _spread(values: list[int]) -> dict[str, float]:
    if not values:
        return {"mean": 0, "median": 0, "p90": 0, "max": 0}
    ordered = sorted(values)
    return {"mean": round(statistics.fmean(ordered), 1), "median": statistics.median(ordered),
            "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], "max": ordered[-1]}


def stats(splits: dict[str, list[TrainingRecord]]) -> dict[str, Any]:
    """The statistics the card shows (and the manifest keeps): per domain, grid, behaviours, lengths."""
    records = [r for rows in splits.values() for r in rows]
    domains: dict[str, dict[str, int]] = {}
    for split, rows in splits.items():
        for r in rows:
            domains.setdefault(r.domain, {s: 0 for s in splits})[split] += 1
    behaviours = Counter(b for r in records for b in r.behaviours)
    behaviours["(none)"] = sum(1 for r in records if not r.behaviours)
    grid = Counter((r.n_writes, r.evidence) for r in records)
    return {"records": len(records), "domains": dict(sorted(domains.items())),
            "grid": {f"{w}x{e}": n for (w, e), n in sorted(grid.items())},
            "behaviours": dict(sorted(behaviours.items(), key=lambda kv: (-kv[1], kv[0]))),
            "turns": _spread([r.turns for r in records]), "tokens": _spread([r.tokens for r in records])}


def _grid_table(grid: dict[str, int]) -> list[str]:
    cells = {tuple(int(x) for x in key.split("x")): n for key, n in grid.items()}
    writes = sorted({w for w, _ in cells})
    evidence = sorted({e for _, e in cells})
    lines = ["| writes \\ evidence | " + " | ".join(str(e) for e in evidence) + " |",
             "|---|" + "---|" * len(evidence)]
    for w in writes:
        lines.append(f"| {w} | " + " | ".join(str(cells.get((w, e), "")) for e in evidence) + " |")
    return lines


_LOADING = {
    "parquet": """```python
from datasets import load_dataset
import json

ds = load_dataset("parquet", data_dir="data")  # or load_dataset("<hub id>")
row = ds["train"][0]
messages, tools = json.loads(row["messages"]), json.loads(row["tools"])
```
`messages` and `tools` are JSON strings in OpenAI's fine-tuning form (tool-call arguments are
JSON strings; an assistant turn that only calls tools has no `content`). The other columns are
scalars for filtering (`domain`, `n_writes`, `evidence`, `behaviours` comma-separated, `turns`,
`tokens`).""",
    "openai": """Upload `train.jsonl` (and `validation.jsonl`) to OpenAI's fine-tuning API as they are:
each line is `{"messages": [...], "tools": [...]}`; assistant turns that only call tools have no
`content`; tool-call arguments are JSON strings.""",
    "trl": """```python
from writ.export import load_trl

train = load_trl(".", split="train")        # a datasets.Dataset
# trainer = SFTTrainer(model=..., train_dataset=train, ...)
```
Each row has `messages` (tool-call `arguments` as JSON objects) and `tools` (the JSON function
schemas), which SFTTrainer passes to `apply_chat_template(messages, tools=tools)`.

Prefer `load_trl` to a plain `load_dataset("json", ...)`: `datasets` releases without the `Json`
feature unify all argument objects, tool schemas and messages into one Arrow struct type and pad
every missing key with `null`, so a rendered call to `cancel_order(order_id)` shows every other
tool's arguments as `null` (and a key whose type differs between tools fails to load). Stripping
the nulls afterwards would also strip real ones (a schema's `"default": null`). `load_trl` never
lets Arrow unify them: it stores messages and tools as JSON values (`datasets.Json`, or JSON
strings decoded on access with older `datasets`), so every row renders exactly as written. Without writ:

```python
import json
from datasets import Dataset, Features, Json, List, Value

rows = [json.loads(line) for line in open("train.jsonl")]
features = Features({k: List(Json()) if k in ("messages", "tools") else
                     Value("int64") if isinstance(v, int) else Value("string") for k, v in rows[0].items()})
train = Dataset.from_list(rows, features=features)
```""",
    "sharegpt": """Register the files in LLaMA-Factory's `data/dataset_info.json`:

```json
"writ": {"file_name": "train.jsonl", "formatting": "sharegpt",
         "columns": {"messages": "conversations", "tools": "tools"}}
```
Roles: `system`, `human`, `gpt`, `function_call` (`{"name", "arguments"}` as JSON text, a list for
parallel calls) and `observation`. The agent's opening greeting is left out (LLaMA-Factory requires
the first turn to be the user's) and text said in the same turn as a tool call is dropped, as
LLaMA-Factory's own converter does.""",
}


def _setup_section(setups: list[dict[str, Any]], options: dict[str, Any] | None) -> list[str]:
    """Which system message, tools and policy the records carry; SHA-256s of the texts as written."""
    lines = ["## System prompt, tools and policy", "",
             "Every record's system message and `tools` are what writ's plain LLM agent and `writ eval` "
             "send to a model for that domain. `system` is the SHA-256 of the system message (UTF-8), "
             "`tools` that of `json.dumps(tools, ensure_ascii=False)` of a record's tool list, `policy` that "
             "of the policy text inside the system message.", "",
             "| domain | records | system prompt | system SHA-256 | tools | tools SHA-256 | policy | policy SHA-256 |",
             "|---|---|---|---|---|---|---|---|"]
    for e in setups:
        n = sum(e["records"].values())
        lines.append(f"| {e['domain']} | {n} | {e['system_prompt']['source']} | `{e['system_prompt']['sha256']}` | "
                     f"{e['tools']['source']} ({e['tools']['count']}) | `{e['tools']['sha256']}` | "
                     f"{e['policy']['source']} | `{e['policy']['sha256']}` |")
    if options:
        lines += ["", "Export options (file SHA-256s):", "", "```json",
                  json.dumps(options, indent=1, sort_keys=True), "```"]
    return lines + [""]


def dataset_card(*, fmt: str, data_files: dict[str, str], statistics_: dict[str, Any], manifest: dict[str, Any]) -> str:
    """The README.md text: YAML header plus body."""
    header = {
        "license": "mit",
        "language": ["en"],
        "pretty_name": "writ tool-use SFT trajectories",
        "task_categories": ["text-generation"],
        "size_categories": [size_category(statistics_["records"])],
        "tags": TAGS,
        "configs": [{"config_name": "default",
                     "data_files": [{"split": split, "path": path} for split, path in data_files.items()]}],
    }
    counts = manifest["counts"]
    weights = manifest["options"]["weights"]
    body = [
        "# writ tool-use SFT trajectories", "",
        "Multi-turn customer-service conversations in which an agent reads a database through tools and "
        "changes it through write tools, synthesized by writ and kept only when the "
        "final database state equals the task's gold state. Each record is the conversation as the agent "
        "saw it: its system message (the domain policy, or an agent prompt template around it), the "
        "domain's agent tool schemas, the user's and the agent's turns and the tool results (the user's own device "
        "calls and the simulator's closing line are not part of it).", "",
        f"Format: **{fmt}**. Per-turn weights: **{weights}**"
        + ("" if weights == "none" else " (a `weight` of 0 or 1 on agent turns)") + ".", "",
        "## Counts", "",
        f"- kept episodes read: {counts['kept_episodes']}",
        f"- exported: {counts['exported']} (train {counts['train']}, validation {counts['validation']})",
        f"- exact duplicates dropped: {counts['deduplicated']}; items skipped: {counts['skipped']}",
        f"- split by task stem (variants of a task never straddle train and validation): "
        f"{counts['train_stems']} train stems, {counts['validation_stems']} validation stems, "
        f"seed {manifest['options']['seed']}", "",
        "| domain | " + " | ".join(data_files) + " |", "|---|" + "---|" * len(data_files),
    ]
    for domain, per in statistics_["domains"].items():
        body.append(f"| {domain} | " + " | ".join(str(per.get(s, 0)) for s in data_files) + " |")
    body += ["", "### Writes x evidence", "", "Gold writes per task against the evidence burden (reads needed to "
             "pin down a write's arguments) of its hardest write.", ""]
    body += _grid_table(statistics_["grid"])
    body += ["", "### User behaviours", "", "| behaviour | trajectories |", "|---|---|"]
    body += [f"| {b} | {n} |" for b, n in statistics_["behaviours"].items()]
    body += ["", "### Length per trajectory", "", "| | mean | median | p90 | max |", "|---|---|---|---|---|"]
    for key, label in (("turns", "agent turns"), ("tokens", "tokens (approx., characters / 4)")):
        s = statistics_[key]
        body.append(f"| {label} | {s['mean']} | {s['median']} | {s['p90']} | {s['max']} |")
    if manifest.get("selection"):
        body += [""] + selection_card(manifest["selection"])[:-1]
    body += [""] + _setup_section(manifest.get("agent_setups") or [], manifest.get("prompt_options"))
    body += ["## Loading", "", _LOADING[fmt], "", "## Generation config", "",
             f"writ {manifest['writ_version']}; the run store's config of each run:", "", "```json",
             json.dumps([r["config"] for r in manifest["runs"]], indent=1, sort_keys=True), "```", "",
             "`manifest.json` lists every file with its SHA-256, the options of this export and every "
             "skipped item with its reason.", ""]
    return "---\n" + yaml.safe_dump(header, sort_keys=False) + "---\n\n" + "\n".join(body)
