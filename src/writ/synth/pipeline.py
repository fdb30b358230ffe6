"""`writ synth`: database -> tasks on both axes -> behaviour variants -> simulation -> verification
-> export -> report, as one resumable job.

Each stage writes its output into the job directory and records a hash of what produced it, so
running the same command again skips finished stages and the simulation resumes where it stopped
(its run store never repeats a finished episode). Changing a stage's config reruns that stage and
everything after it. Same config and seed, same dataset, with either executor
(``simulate.executor: ray`` shards task generation and simulation over Ray workers).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from writ.agents.setup import PromptOptions
from writ.data import load_data, resolve_domain
from writ.models.sampling import model_options
from writ.sim.actors import check_pair, close_factories, make_agent_factory, make_user_factory
from writ.sim.executor import Executor, make_executor
from writ.sim.orchestrator import Limits
from writ.sim.sources import DataResolver
from writ.synth.config import ConfigError, SynthConfig
from writ.task import Task, load_tasks, save_tasks
from writ.tasks.axes import parse_outcomes, parse_range
from writ.tasks.stats import report_path
from writ.users.diversify import diversify
from writ.verify import verifier_judge

__all__ = ["SynthResult", "run_synth"]


@dataclass
class SynthResult:
    out: Path
    tasks: int = 0
    variants: int = 0
    kept: int = 0
    episodes: int = 0
    exports: dict[str, Any] = field(default_factory=dict)
    report: Path | None = None
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


class _Stages:
    """Which stage outputs are current (by the hash of what produced them)."""

    def __init__(self, out: Path):
        self.path = out / "stages.json"
        self.done: dict[str, str] = json.loads(self.path.read_text()) if self.path.is_file() else {}

    def current(self, name: str, digest: str, output: Path) -> bool:
        return self.done.get(name) == digest and output.exists()

    def mark(self, name: str, digest: str) -> None:
        self.done[name] = digest
        self.path.write_text(json.dumps(self.done, indent=1))


def _tasks_stage(cfg: SynthConfig, out: Path, stages: _Stages, say: Callable[[str], None],
                 executor: Executor) -> list[Task]:
    writes = parse_range(cfg.tasks.writes, "writes", minimum=0, maximum=12)
    evidence = parse_range(cfg.tasks.evidence, "evidence", minimum=0, maximum=60)
    tasks: list[Task] = []
    for domain in cfg.domains:
        path = out / f"tasks.{domain}.json"
        digest = _digest("tasks", domain, cfg.data.model_dump(), cfg.tasks.model_dump())
        if stages.current(f"tasks.{domain}", digest, path):
            domain_tasks = load_tasks(path)
            say(f"tasks: {len(domain_tasks)} {domain} tasks already generated ({path})")
        else:
            data = load_data(domain, tau2_data=cfg.data.tau2_data, data=cfg.data.data, seed=cfg.data.seed,
                             scale=cfg.data.scale)
            domain_tasks, report = executor.generate_tasks(data, cfg.tasks.n, writes, evidence, seed=cfg.tasks.seed,
                                                           mode=cfg.tasks.mode, attempts_per_task=cfg.tasks.attempts,
                                                           outcomes=parse_outcomes(cfg.tasks.outcomes))
            save_tasks(domain_tasks, path)
            report_path(path).write_text(json.dumps(report.to_json(), indent=1) + "\n")
            stages.mark(f"tasks.{domain}", digest)
            say(f"tasks: {report.produced}/{cfg.tasks.n} {domain} tasks validated in {report.seconds:.1f}s -> {path}")
        tasks.extend(domain_tasks)
    return tasks


def _variants_stage(cfg: SynthConfig, tasks: list[Task], out: Path, stages: _Stages, say: Callable[[str], None]) -> list[Task]:
    if cfg.users.variants == 0 and not cfg.users.behaviours:
        return tasks
    path = out / "tasks.diverse.json"
    digest = _digest("variants", [t.id for t in tasks], stages.done, cfg.users.model_dump())
    if stages.current("variants", digest, path):
        variants = load_tasks(path)
        say(f"users: {len(variants)} behaviour variants already made ({path})")
        return variants
    variants, report = diversify(tasks, variants=max(cfg.users.variants, 1), seed=cfg.users.seed,
                                 behaviours=cfg.users.behaviours)
    save_tasks(variants, path)
    stages.mark("variants", digest)
    say(f"users: {len(variants)} variants of {len(tasks)} tasks, {len(report.behaviours)} behaviours -> {path}")
    for reason, count in report.skipped.items():
        say(f"users: skipped {count}: {reason}")
    return variants


def _model_options(cfg: SynthConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    """The agent's and the user's backend options; a bad one (a price file that will not load) is a
    ConfigError before any stage runs."""
    sim = cfg.simulate
    check_pair(sim.agent, sim.user)
    options: dict[str, Any] = {}
    if sim.base_url:
        options["base_url"] = sim.base_url[0] if len(sim.base_url) == 1 else list(sim.base_url)

    def side(params: Any, name: str) -> dict[str, Any]:
        try:
            return {**options, **model_options(**params.model_dump(), cache=sim.cache, prices=sim.prices)}
        except ValueError as exc:
            raise ConfigError(f"simulate.{name}: {exc}") from None

    return side(sim.agent_params, "agent_params"), side(sim.user_params, "user_params")


def _simulate_stage(cfg: SynthConfig, tasks: list[Task], out: Path, progress: bool, executor: Executor,
                    prompt: PromptOptions | None, sides: tuple[dict[str, Any], dict[str, Any]]) -> Any:
    sim = cfg.simulate
    agent_factory = make_agent_factory(sim.agent, seed=sim.seed, prompt=prompt, realizer=sim.realizer, **sides[0])
    user_factory = make_user_factory(sim.user, seed=sim.seed, prompt=prompt, realizer=sim.realizer, **sides[1])
    resolver = DataResolver(cfg.domains[0] if len(cfg.domains) == 1 else None, cfg.data.tau2_data, cfg.data.data,
                            cfg.data.seed, cfg.data.scale)

    async def go():
        try:
            return await executor.simulate(tasks, resolve_data=resolver, agent_factory=agent_factory,
                                           user_factory=user_factory, run_dir=out / "run", concurrency=sim.concurrency,
                                           attempts=sim.attempts, limits=Limits(sim.max_steps, sim.max_errors),
                                           judge=verifier_judge, progress=progress, info={"synth": str(out)},
                                           progress_every=sim.progress_every)
        finally:
            await close_factories(agent_factory, user_factory)

    return asyncio.run(go())


def prompt_options(cfg: SynthConfig) -> PromptOptions | None:
    """The config's agent prompt and policy files, read and checked against its domains (PromptError)."""
    if cfg.agent_prompt is None and cfg.policy is None:
        return None
    prompt = PromptOptions.load(cfg.agent_prompt, cfg.policy)
    prompt.check([resolve_domain(d) for d in cfg.domains])
    return prompt


def run_synth(cfg: SynthConfig, *, progress: bool = True, say: Callable[[str], None] = print) -> SynthResult:
    """Run (or resume) the job; bad prompt options raise `PromptError` before anything is written."""
    start = time.perf_counter()
    prompt = prompt_options(cfg)
    sides = _model_options(cfg)  # before any stage runs
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(yaml.safe_dump(cfg.model_dump(), sort_keys=False))
    stages = _Stages(out)
    result = SynthResult(out)
    with make_executor(cfg.simulate.executor, address=cfg.simulate.address, workers=cfg.simulate.workers) as executor:
        tasks = _tasks_stage(cfg, out, stages, say, executor)
        result.tasks = len(tasks)
        if not tasks:
            raise ValueError("no task could be generated; see the tasks.*.report.json files in " + str(out))
        variants = _variants_stage(cfg, tasks, out, stages, say)
        result.variants = len(variants)
        summary = _simulate_stage(cfg, variants, out, progress, executor, prompt, sides)
    for line in summary.lines():
        say(f"simulate: {line}")
    result.kept, result.episodes = summary.kept, summary.episodes
    from writ.export import export_run

    for fmt in cfg.export.formats:
        target = out / "export" / fmt
        result.exports[fmt] = export_run(out / "run", target, fmt=fmt, val_fraction=cfg.export.val_fraction,
                                         seed=cfg.export.seed, weights=cfg.export.weights, overwrite=True,
                                         budget=cfg.export.budget, mix=cfg.export.mix,
                                         max_per_task=cfg.export.max_per_task, prompt=prompt)
        say(f"export: {fmt} -> {target}")
    if cfg.report:
        from writ.report import write_report

        result.report = out / "report.html"
        write_report(out / "run", result.report)
        say(f"report: {result.report}")
    result.seconds = time.perf_counter() - start
    return result
