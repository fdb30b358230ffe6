"""Export: kept episodes of run stores as supervised fine-tuning data.

`export_run` is the whole pipeline (what ``writ export`` calls): `collect` reads the kept episodes
of one or more run stores into `TrainingRecord` s (the agent's view, the domain policy as system
message, the agent tool schemas), `dedup` and `split_records` decide what goes where,
`writ.export.formats` and `writ.export.parquet` write OpenAI, TRL, ShareGPT or Parquet files,
`dataset_card` the Hugging Face ``README.md``. `select` (with `Budget` settings and a `Mix` of cell
weights) picks a budgeted subset balanced over the writes x evidence grid, behaviours and domains.
`load_trl` loads a TRL export without Arrow's null padding.
"""

from writ.export.card import dataset_card, size_category, stats
from writ.export.collect import Collection, RunInfo, Skipped, collect, run_resolver
from writ.export.export import FORMATS, ExportError, ExportResult, export_run
from writ.export.formats import CHAT_FORMATS, FormatError, ShareGPTStats, openai_row, sharegpt_row, trl_row
from writ.export.load import load_trl, read_jsonl
from writ.export.mix import MIXES, Mix, SelectionError, parse_mix
from writ.export.parquet import parquet_row, write_shards
from writ.export.records import (
                                 WEIGHT_MODES,
                                 DomainContext,
                                 RecordError,
                                 TrainingRecord,
                                 approx_tokens,
                                 build_record,
                                 conversation,
                                 task_stem,
                                 weights_for,
)
from writ.export.select import Budget, Candidate, Selection, allocate, select
from writ.export.split import Split, dedup, split_records, validation_stems

__all__ = [
    "Budget", "Candidate", "MIXES", "Mix", "Selection", "SelectionError", "allocate", "parse_mix", "select",
    "CHAT_FORMATS", "Collection", "DomainContext", "ExportError", "ExportResult", "FORMATS", "FormatError",
    "RecordError", "RunInfo", "ShareGPTStats", "Skipped", "Split", "TrainingRecord", "WEIGHT_MODES", "approx_tokens",
    "build_record", "collect", "conversation", "dataset_card", "dedup", "export_run", "load_trl", "openai_row",
    "parquet_row", "read_jsonl", "run_resolver", "sharegpt_row", "size_category", "split_records", "stats", "task_stem",
    "trl_row", "validation_stems", "weights_for", "write_shards",
]
