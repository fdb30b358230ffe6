"""Simulation: one episode (`run_episode`), many episodes (`simulate`) and the run store they fill.

Layers, each usable alone: `writ.sim.orchestrator` runs one conversation; `writ.sim.runner`
decides which conversations to have (tasks x attempts, concurrently, resumably) and judges them;
`writ.sim.runstore` keeps them durable in ``RUN/run.db``; `writ.sim.sources` finds each task's
database and `writ.sim.actors` turns agent and user specs into factories. `writ.sim.executor`
chooses where the work runs: this process, or Ray workers (`writ.sim.ray_sim`, `writ.sim.ray_tasks`)
feeding the driver's one run store.
"""

from writ.sim.actors import (
                             ActorFactory,
                             ActorSpecError,
                             check_pair,
                             check_tasks,
                             close_factories,
                             make_agent_factory,
                             make_user_factory,
                             parse_actor_spec,
)
from writ.sim.executor import EXECUTORS, Executor, ExecutorError, LocalExecutor, RayExecutor, make_executor
from writ.sim.orchestrator import Limits, run_episode
from writ.sim.progress import RunSummary
from writ.sim.rejections import RejectionTally
from writ.sim.runner import hash_judge, run_config, simulate
from writ.sim.runstore import RunStore, RunStoreError, StoredTask
from writ.sim.sources import DataResolver, parse_source, task_domain

__all__ = [
    "EXECUTORS", "ActorFactory", "ActorSpecError", "DataResolver", "Executor", "ExecutorError", "Limits",
    "LocalExecutor", "RayExecutor", "RejectionTally", "RunStore", "RunStoreError", "RunSummary", "StoredTask",
    "check_pair", "check_tasks", "close_factories", "hash_judge", "make_agent_factory", "make_executor",
    "make_user_factory", "parse_actor_spec", "parse_source", "run_config", "run_episode", "simulate", "task_domain",
]
