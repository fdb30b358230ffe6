"""writ: synthesize verified training trajectories for tool-using, user-facing agents.

The public API, in pipeline order. Start with `writ.core` (the contract), then `load_data`.
"""

from writ.core import Domain, Environment, Tool, Toolbox, ToolCall, ToolError, ToolKind, ToolResult
from writ.data import DataError, DomainData, load_data
from writ.domains import domain_names, get_domain
from writ.fingerprint import fingerprint
from writ.replay import GoldReplay, replay_gold, replay_task
from writ.store import Base, Shape, Store
from writ.task import Task, load_tasks, save_tasks

__version__ = "0.1.0"

__all__ = [
    "Base", "DataError", "Domain", "DomainData", "Environment", "GoldReplay", "Shape", "Store", "Task", "Tool",
    "ToolCall", "ToolError", "ToolKind", "ToolResult", "Toolbox", "domain_names", "fingerprint",
    "get_domain", "load_data", "load_tasks", "replay_gold", "replay_task", "save_tasks", "__version__",
]
