"""`writ synth`: database -> tasks on both axes -> behaviour variants -> simulation -> verification
-> export -> report, as one resumable job.

Each stage writes its output into the job directory atomically (`writ.atomic`) and records a
digest of what produced it (`writ.synth.job`), so running the same command again, after a finish
or a ``kill -9`` at any moment, redoes only what is missing: a finished job is left untouched (not
a byte changes on disk), the simulation resumes where it stopped (its run store never repeats a
finished episode, and retries the episodes an outage cost), and an interrupted export or report is
made again from the run store. A job is only continued with the config that started it; changing
the export or report settings redoes those two stages. Same config and seed, same dataset, with
either executor (``simulate.executor: ray`` shards task generation and simulation over Ray workers).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.agents.setup import PromptOptions
from writ.atomic import atomic_write_text
from writ.data import load_data, resolve_domain
from writ.models.sampling import model_options
from writ.sim.actors import (
    ActorSpecError,
    check_pair,
    check_tasks,
    close_factories,
    make_agent_factory,
    make_user_factory,
)
from writ.sim.executor import Executor, make_executor
from writ.sim.orchestrator import Limits
from writ.sim.sources import DataResolver
from writ.synth.config import ConfigError, SynthConfig
from writ.synth.job import JobDir, digest, identity
from writ.task import Task, load_tasks, save_tasks
from writ.tasks.axes import parse_outcomes, parse_range
from writ.tasks.generate import data_scale
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


def _task_digest(cfg: SynthConfig, domain: str) -> str:
    return digest("tasks", domain, cfg.data.model_dump(), cfg.tasks.model_dump())


def _variants_digest(cfg: SynthConfig, task_digests: list[str]) -> str:
    """What the variants depend on: the tasks (by their own stage digests) and the users section."""
    if cfg.users.variants == 0 and not cfg.users.behaviours:
        return digest("no variants", task_digests)
    return digest("variants", task_digests, cfg.users.model_dump())


def _sim_digest(cfg: SynthConfig, variants_digest: str, prompt: PromptOptions | None) -> str:
    """What the episodes depend on: the variants, the data, the simulate settings that change answers
    (not speed, endpoints or caches: `writ.synth.job.identity`) and the agent prompt files' contents."""
    return digest("simulate", variants_digest, cfg.data.model_dump(),
                  identity(cfg.model_dump(mode="json"))["simulate"], prompt.identity() if prompt else None)


def _tasks_stage(cfg: SynthConfig, out: Path, stages: JobDir, say: Callable[[str], None],
                 executor: Executor) -> tuple[list[Task], list[str]]:
    writes = parse_range(cfg.tasks.writes, "writes", minimum=0, maximum=12)
    evidence = parse_range(cfg.tasks.evidence, "evidence", minimum=0, maximum=60)
    tasks: list[Task] = []
    digests = []
    for domain in cfg.domains:
        path = out / f"tasks.{domain}.json"
        stage_digest = _task_digest(cfg, domain)
        digests.append(stage_digest)
        if stages.current(f"tasks.{domain}", stage_digest, path):
            domain_tasks = load_tasks(path)
            say(f"tasks: {len(domain_tasks)} {domain} tasks already generated ({path})")
        else:
            scale = cfg.data.scale
            if cfg.data.tau2_data is None and cfg.data.data is None:
                scale = data_scale(domain, cfg.tasks.n, scale)
                if scale != cfg.data.scale:
                    say(f"tasks: generated {domain} database at scale {scale:g}, to spread {cfg.tasks.n} tasks "
                        f"over enough customers")
            data = load_data(domain, tau2_data=cfg.data.tau2_data, data=cfg.data.data, seed=cfg.data.seed,
                             scale=scale)
            domain_tasks, report = executor.generate_tasks(data, cfg.tasks.n, writes, evidence, seed=cfg.tasks.seed,
                                                           mode=cfg.tasks.mode, attempts_per_task=cfg.tasks.attempts,
                                                           outcomes=parse_outcomes(cfg.tasks.outcomes))
            atomic_write_text(report_path(path), json.dumps(report.to_json(), indent=1) + "\n")
            save_tasks(domain_tasks, path)
            stages.mark(f"tasks.{domain}", stage_digest)
            say(f"tasks: {report.produced}/{cfg.tasks.n} {domain} tasks validated in {report.seconds:.1f}s -> {path}")
        tasks.extend(domain_tasks)
    return tasks, digests


def _variants_stage(cfg: SynthConfig, tasks: list[Task], task_digests: list[str], out: Path, stages: JobDir,
                    say: Callable[[str], None]) -> tuple[list[Task], str]:
    stage_digest = _variants_digest(cfg, task_digests)
    if cfg.users.variants == 0 and not cfg.users.behaviours:
        return tasks, stage_digest
    path = out / "tasks.diverse.json"
    if stages.current("variants", stage_digest, path):
        variants = load_tasks(path)
        say(f"users: {len(variants)} behaviour variants already made ({path})")
        return variants, stage_digest
    variants, report = diversify(tasks, variants=max(cfg.users.variants, 1), seed=cfg.users.seed,
                                 behaviours=cfg.users.behaviours)
    save_tasks(variants, path)
    stages.mark("variants", stage_digest)
    say(f"users: {len(variants)} variants of {len(tasks)} tasks, {len(report.behaviours)} behaviours -> {path}")
    for reason, count in report.skipped.items():
        say(f"users: skipped {count}: {reason}")
    return variants, stage_digest


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
    try:
        check_tasks(sim.agent, sim.user, tasks)
    except ActorSpecError as exc:
        raise ConfigError(str(exc)) from None
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


@dataclass(frozen=True)
class _Setup:
    """What every stage needs besides the config, checked before anything is written."""

    prompt: PromptOptions | None
    sides: tuple[dict[str, Any], dict[str, Any]]


def run_synth(cfg: SynthConfig, *, progress: bool = True, say: Callable[[str], None] = print,
              force: bool = False) -> SynthResult:
    """Run (or resume) the job `cfg` describes; `ConfigError` for a directory it may not use, bad
    prompt options raise `PromptError`; both before anything is written.

    `force` starts over: an existing job in ``cfg.out`` is moved aside (``OUT.replaced-<time>``).
    """
    start = time.perf_counter()
    out = Path(cfg.out)
    job = JobDir(out)
    job.check(cfg, force=force)
    _preflight(cfg)
    setup = _Setup(prompt_options(cfg), _model_options(cfg))
    if force:
        held = job.lock()
        try:
            aside = job.set_aside()
        finally:
            if held is not None:
                os.close(held)
        if aside is not None:
            say(f"synth: the old job was moved to {aside}")
        job = JobDir(out)
    out.mkdir(parents=True, exist_ok=True)
    held = job.lock()
    try:
        result = _run_stages(cfg, out, job, setup, progress, say)
    finally:
        if held is not None:
            os.close(held)
    result.seconds = time.perf_counter() - start
    return result


def _run_stages(cfg: SynthConfig, out: Path, job: JobDir, setup: _Setup, progress: bool,
                say: Callable[[str], None]) -> SynthResult:
    job.record_config(cfg)
    result = SynthResult(out)
    sim = _finished_simulation(cfg, out, job, setup, say)
    if sim is not None:  # nothing before the export needs doing: not even reading the tasks back
        result.tasks, result.variants = sim.get("generated", 0), sim.get("tasks", 0)
        result.kept, result.episodes = sim["kept"], sim["episodes"]
        _export_stages(cfg, out, job, sim, result, setup, say)
        if cfg.report:
            result.report = _report_stage(out, job, sim, say)
        return result
    with make_executor(cfg.simulate.executor, address=cfg.simulate.address, workers=cfg.simulate.workers) as executor:
        tasks, task_digests = _tasks_stage(cfg, out, job, say, executor)
        result.tasks = len(tasks)
        if not tasks:
            raise ValueError("no task could be generated; see the tasks.*.report.json files in " + str(out))
        variants, variants_digest = _variants_stage(cfg, tasks, task_digests, out, job, say)
        result.variants = len(variants)
        del tasks
        sim = _simulation(cfg, variants, variants_digest, out, job, setup, progress, executor, say,
                          generated=result.tasks)
    del variants
    result.kept, result.episodes = sim["kept"], sim["episodes"]
    _export_stages(cfg, out, job, sim, result, setup, say)
    if cfg.report:
        result.report = _report_stage(out, job, sim, say)
    return result


def _preflight(cfg: SynthConfig) -> None:
    """Every check that needs no work, before the job directory is touched: a typo costs nothing."""
    from writ.data import DataError, resolve_domain
    from writ.sim.actors import parse_actor_spec

    parse_range(cfg.tasks.writes, "writes", minimum=0, maximum=12)
    parse_range(cfg.tasks.evidence, "evidence", minimum=0, maximum=60)
    for domain in cfg.domains:
        resolve_domain(domain)
    parse_actor_spec(cfg.simulate.agent, "agent")
    parse_actor_spec(cfg.simulate.user, "user")
    for option, folder in (("data.tau2_data", cfg.data.tau2_data), ("data.data", cfg.data.data)):
        if folder is not None and not Path(folder).is_dir():
            raise DataError(f"{option}: {folder}: no such directory")
    if cfg.data.tau2_data is not None and cfg.data.data is not None:
        raise DataError("give either data.tau2_data (--tau2-data) or data.data (--data), not both")


def _finished_simulation(cfg: SynthConfig, out: Path, job: JobDir, setup: _Setup,
                         say: Callable[[str], None]) -> dict[str, Any] | None:
    """The simulation's record when it and every stage before it are current, else None."""
    task_digests = [_task_digest(cfg, domain) for domain in cfg.domains]
    if not all(job.current(f"tasks.{d}", dg, out / f"tasks.{d}.json")
               for d, dg in zip(cfg.domains, task_digests, strict=True)):
        return None
    variants_digest = _variants_digest(cfg, task_digests)
    with_variants = cfg.users.variants != 0 or bool(cfg.users.behaviours)
    if with_variants and not job.current("variants", variants_digest, out / "tasks.diverse.json"):
        return None
    sim_digest = _sim_digest(cfg, variants_digest, setup.prompt)
    if not job.current("simulate", sim_digest, out / "run" / "run.db"):
        return None
    info = job.info("simulate")
    say(f"tasks, variants: already made ({', '.join(f'tasks.{d}.json' for d in cfg.domains)}"
        f"{', tasks.diverse.json' if with_variants else ''})")
    say(f"simulate: complete ({info.get('tasks')} tasks, {info.get('kept')} kept, {info.get('episodes')} episodes)")
    return {"digest": sim_digest, **info}


def _simulation(cfg: SynthConfig, variants: list[Task], variants_digest: str, out: Path, job: JobDir, setup: _Setup,
                progress: bool, executor: Executor, say: Callable[[str], None], *, generated: int) -> dict[str, Any]:
    """Simulate (or resume); skipped when the run is known complete. Returns what later stages key on.

    The run counts as complete when every task is kept or out of attempts and no failure is left
    that a rerun would retry (`writ.sim.failures`); only then is the stage marked, so an outage
    is retried by the next run of the same command.
    """
    sim_digest = _sim_digest(cfg, variants_digest, setup.prompt)
    if job.current("simulate", sim_digest, out / "run" / "run.db"):
        info = job.info("simulate")
        say(f"simulate: complete ({info.get('tasks')} tasks, {info.get('kept')} kept, {info.get('episodes')} episodes)")
        return {"digest": sim_digest, **info}
    summary = _simulate_stage(cfg, variants, out, progress, executor, setup.prompt, setup.sides)
    for line in summary.lines():
        say(f"simulate: {line}")
    info = {"generated": generated, "tasks": summary.tasks, "kept": summary.kept, "episodes": summary.episodes}
    if summary.new_episodes:  # the run changed: what was made from it is out of date
        for name in [n for n in job.done if n.startswith("export.") or n == "report"]:
            job.forget(name)
    if summary.pending == 0 and summary.retryable == 0:
        job.mark("simulate", sim_digest, info)
    else:
        job.forget("simulate")
    return {"digest": sim_digest, **info}


def _export_stages(cfg: SynthConfig, out: Path, job: JobDir, sim: dict[str, Any], result: SynthResult, setup: _Setup,
                   say: Callable[[str], None]) -> None:
    from writ.export import export_run

    options = cfg.export.model_dump(exclude={"formats"})
    for fmt in cfg.export.formats:
        target = out / "export" / fmt
        stage_digest = digest("export", fmt, options, sim)
        if job.current(f"export.{fmt}", stage_digest, target / "manifest.json"):
            say(f"export: {fmt} already written ({target})")
            continue
        job.forget(f"export.{fmt}")
        result.exports[fmt] = export_run(out / "run", target, fmt=fmt, val_fraction=cfg.export.val_fraction,
                                         seed=cfg.export.seed, weights=cfg.export.weights, overwrite=True, owned=True,
                                         budget=cfg.export.budget, mix=cfg.export.mix,
                                         max_per_task=cfg.export.max_per_task, prompt=setup.prompt)
        job.mark(f"export.{fmt}", stage_digest)
        say(f"export: {fmt} -> {target}")


def _report_stage(out: Path, job: JobDir, sim: dict[str, Any], say: Callable[[str], None]) -> Path:
    from writ.report import write_report

    page = out / "report.html"
    stage_digest = digest("report", sim)
    if job.current("report", stage_digest, page):
        say(f"report: already written ({page})")
        return page
    job.forget("report")
    write_report(out / "run", page)
    job.mark("report", stage_digest)
    say(f"report: {page}")
    return page
