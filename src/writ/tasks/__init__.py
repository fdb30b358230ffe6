"""Task synthesis on the two axes (writes per task, evidence burden per write), validated by execution."""

from writ.tasks.axes import AxisRange, Cell, parse_range, target_cells
from writ.tasks.draft import DraftError, TaskDraft, WriteRecord
from writ.tasks.generate import GenerationReport, TaskGenerator, generate_tasks, get_generator
from writ.tasks.stats import report_path, task_axes, tasks_stats
from writ.tasks.validate import leaked_ids, validate_task, write_set_key

__all__ = [
    "AxisRange", "Cell", "DraftError", "GenerationReport", "TaskDraft", "TaskGenerator", "WriteRecord",
    "generate_tasks", "get_generator", "leaked_ids", "parse_range", "report_path", "target_cells",
    "task_axes", "tasks_stats", "validate_task", "write_set_key",
]
