"""`evaluate`: run an agent against a task set through writ's runner and score it like tau2-bench.

The runner gives concurrency, crash safety and resumption; this module decides what it runs:
every task once per trial (copies ``ID#trial``), judged by `EvalJudge`, into ``OUT/run.db``.
A trial whose conversation was cut short by a model error or a crash is simulated again up to
``retries`` times in the same session; what remains is recorded as such (reward 0). Running the
same command again resumes an interrupted evaluation; another config in ``OUT`` is refused with
the difference named (``force`` starts over, keeping the old store aside).

Afterwards the results are rebuilt from the store (so they always describe everything recorded,
including an interrupted run's partial results) and written as ``results.json``, ``summary.md``
and ``results.html``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from writ.agents.prompt import PromptError
from writ.agents.setup import PromptOptions, agent_setup
from writ.data import DomainData, load_data
from writ.eval.agents import agent_factory, user_factory
from writ.eval.contamination import check_contamination
from writ.eval.judge import EvalJudge, ModelNLJudge
from writ.eval.results import build_results, collect_run, write_results
from writ.eval.selection import SelectionError, check_domain, select_split, trial_copies
from writ.sim.actors import check_pair, check_tasks, close_factories
from writ.sim.executor import make_executor
from writ.sim.orchestrator import Limits
from writ.sim.runner import run_config
from writ.sim.runstore import canonical_config
from writ.sim.sources import DataResolver
from writ.task import Task, TaskFileError, load_tasks

__all__ = ["EvalOptions", "EvalOutcome", "check_out", "evaluate", "load_eval_tasks", "make_nl_judge"]


@dataclass
class EvalOptions:
    domain: str
    out: Path
    agent: str = "scripted"
    user: str = "scripted"
    tau2_data: Path | None = None
    data: Path | None = None
    tasks_file: Path | None = None
    split: str | None = None
    limit: int | None = None
    base_url: list[str] = field(default_factory=list)
    user_base_url: list[str] = field(default_factory=list)
    judge: str | None = None
    judge_base_url: list[str] = field(default_factory=list)
    temperature: float | None = None  # this and the request options below: agent and user models alike
    top_p: float | None = None
    max_tokens: int | None = None
    extra_body: str | dict | None = None
    timeout: float | None = None
    max_response_bytes: int | None = None
    cache: Path | None = None
    prices: Path | None = None
    progress_every: float = 30.0
    trials: int = 1
    concurrency: int = 32
    retries: int = 1
    max_steps: int = Limits.max_steps
    max_errors: int = Limits.max_errors
    seed: int = 0
    train_data: Path | None = None
    force: bool = False
    progress: bool = True
    strict_replay: bool = True
    executor: str = "local"  # or "ray" (writ.sim.executor)
    address: str | None = None
    workers: int | None = None
    prompt: PromptOptions | None = None  # --agent-prompt / --policy: what the LLM agent is shown


@dataclass
class EvalOutcome:
    results: dict[str, Any]
    paths: list[Path]
    new_simulations: int
    resumed_simulations: int
    seconds: float
    unpriced: list[str] = field(default_factory=list)  # models whose cost reads $0 for want of a price


def load_eval_tasks(opts: EvalOptions) -> tuple[DomainData, list[Task], str]:
    """The domain's data and the tasks to evaluate (checked to belong to the domain), and their source."""
    if opts.tau2_data is not None and opts.data is not None:
        raise SelectionError("give either --tau2-data or --data, not both")
    data = load_data(opts.domain, tau2_data=opts.tau2_data, data=opts.data, seed=opts.seed)
    if opts.tasks_file is not None:
        try:
            tasks = load_tasks(opts.tasks_file)
        except TaskFileError as exc:
            raise SelectionError(str(exc)) from None
        source, split_dir = str(opts.tasks_file), opts.tasks_file.parent
    else:
        if not data.tasks:
            raise SelectionError(f"{data.source}: no tasks.json; pass --tasks FILE or --tau2-data DIR")
        tasks, source = data.tasks, data.source
        split_dir = Path(data.source.split(":", 1)[1]) if ":" in data.source else Path(".")
    if not tasks:
        raise SelectionError(f"{source}: no tasks")
    if opts.split:
        tasks = select_split(tasks, split_dir / "split_tasks.json", opts.split)
        source += f" (split {opts.split})"
    if opts.limit is not None:
        tasks = tasks[:opts.limit]
    check_domain(tasks, data, source)
    unsourced = [t for t in tasks if not (t.writ or {}).get("db_source")]
    if unsourced and opts.tau2_data is None and opts.data is None:
        raise SelectionError(f"{source}: {len(unsourced)} tasks carry no db_source (e.g. {unsourced[0].id}); "
                             "pass --tau2-data DIR or --data DIR for their database")
    return data, tasks, source


def make_nl_judge(spec: str | None, base_url: list[str]) -> ModelNLJudge | None:
    if not spec:
        return None
    from writ.models import make_backend

    if not spec.startswith(("openai:", "hf:")):
        raise SelectionError(f"bad --judge {spec!r}: use openai:MODEL or hf:PATH")
    options: dict[str, Any] = {"base_url": base_url[0] if len(base_url) == 1 else list(base_url)} if base_url else {}
    try:
        return ModelNLJudge(make_backend(spec, **options), spec)
    except (ValueError, TypeError) as exc:
        raise SelectionError(f"--judge {spec}: {exc}") from None


def _model_options(urls: list[str], opts: EvalOptions) -> dict[str, Any]:
    """Backend and sampling options of a model of the evaluation. A retry here repeats a trial cut
    short by a model error or a crash, not one the agent failed, so it keeps the trial's temperature
    (no retry temperature); its requests still carry seeds of their own."""
    from writ.models.sampling import model_options

    options: dict[str, Any] = {"concurrency": opts.concurrency}
    if urls:
        options["base_url"] = urls[0] if len(urls) == 1 else list(urls)
    try:
        requests = model_options(temperature=opts.temperature, top_p=opts.top_p, max_tokens=opts.max_tokens,
                                 extra_body=opts.extra_body, timeout=opts.timeout,
                                 max_response_bytes=opts.max_response_bytes, cache=opts.cache, prices=opts.prices)
    except ValueError as exc:
        raise SelectionError(str(exc)) from None
    requests["sampling"] = {**requests.get("sampling", {}), "retry_temperature": None}
    return {**options, **requests}


def _info(opts: EvalOptions, data: DomainData, tasks: list[Task], source: str, totals: dict[str, Any],
          started: float) -> dict[str, Any]:
    from writ import __version__

    return {
        "writ_version": __version__, "domain": data.domain.name, "agent": opts.agent, "user": opts.user,
        "judge": opts.judge, "num_tasks": len(tasks), "num_trials": opts.trials, "task_source": source,
        "data_source": data.source, "split": opts.split, "seed": opts.seed, "max_steps": opts.max_steps,
        "max_errors": opts.max_errors, "retries": opts.retries, "concurrency": opts.concurrency,
        "base_url": opts.base_url, "agent_info": {"implementation": opts.agent},
        "user_info": {"implementation": opts.user},
        "environment_info": {"domain_name": data.domain.name, "data_source": data.source},
        "strict_replay": opts.strict_replay, "run_store": str(Path(opts.out) / "run.db"),
        "agent_setup": agent_setup(data, opts.prompt).describe(),
        **({"prompt_options": opts.prompt.describe()} if opts.prompt else {}),
        "all_attempts": totals, "seconds": round(time.time() - started, 3),
    }


def _describe_config(config: dict[str, Any]) -> dict[str, Any]:
    """The parts of a run config a person recognises, by the option that sets them."""
    ev = config.get("eval") or {}
    spec = lambda actor: actor.get("spec") if isinstance(actor, dict) else actor  # noqa: E731
    judge = config.get("judge") if isinstance(config.get("judge"), dict) else {}
    prompt = (config.get("agent") or {}).get("prompt") if isinstance(config.get("agent"), dict) else None
    return {"--domain": ev.get("domain"), "--trials": ev.get("trials"), "--split": ev.get("split"),
            "--retries": ev.get("retries"), "--agent": spec(config.get("agent")), "--user": spec(config.get("user")),
            "--agent-prompt/--policy (SHA-256)": prompt,
            "--judge": (judge.get("nl_judge") or {}).get("spec"),
            "--lenient-replay": not judge.get("strict_replay", True),
            "--max-steps": (config.get("limits") or {}).get("max_steps"),
            "--max-errors": (config.get("limits") or {}).get("max_errors"),
            "--seed": (config.get("agent") or {}).get("seed") if isinstance(config.get("agent"), dict) else None,
            "tasks": (config.get("n_tasks"), config.get("tasks_sha256"))}


def check_out(out: Path, wanted: dict[str, Any]) -> None:
    """Refuse an ``--out`` holding an evaluation of another config, naming the options that differ."""
    from writ.sim.runstore import RunStore, RunStoreError

    if not (Path(out) / "run.db").is_file():
        return
    try:
        store = RunStore.read(out)
        try:
            there = store.config
        finally:
            store.close()
    except RunStoreError:
        return  # not a store at all: the runner says so
    if not there:
        return
    if "eval" not in there:
        raise SelectionError(f"--out {out}: holds a `writ simulate` run, not an evaluation; use another --out "
                             "or --force to start over")
    old, new = _describe_config(there), _describe_config(wanted)
    diffs = []
    for key in new:
        if old.get(key) == new.get(key):
            continue
        if key == "tasks":
            diffs.append(f"the task set ({old[key][0]} task copies there, {new[key][0]} now)"
                         if old[key][0] != new[key][0]
                         else "the task set (same size, other tasks)")
        else:
            diffs.append(f"{key} ({old.get(key)} there, {new.get(key)} now)")
    if diffs:
        raise SelectionError(f"--out {out}: holds an evaluation of another config: {'; '.join(diffs)}. "
                             "Rerun with the same options to resume, use another --out, or --force to start over")


async def _write(opts: EvalOptions, data: DomainData, tasks: list[Task], source: str, originals: dict[str, Task],
                 resolver: DataResolver, nl_judge: Any, contamination: dict[str, Any] | None, started: float,
                 partial: bool = False) -> tuple[dict[str, Any], list[Path]]:
    try:
        simulations, totals = await collect_run(opts.out, originals, resolver, nl_judge)
    finally:
        if nl_judge is not None:
            await nl_judge.aclose()
    info = _info(opts, data, tasks, source, totals, started)
    if partial:
        info["interrupted"] = True
    if contamination:
        info["contamination"] = contamination
    results = build_results(info, tasks, simulations, data, opts.trials, seed=opts.seed)
    return results, write_results(opts.out, results)


async def evaluate(opts: EvalOptions) -> EvalOutcome:
    """Run (or resume) an evaluation and write its results; raises SelectionError, DataError,
    RunStoreError, ActorSpecError or ContaminationError with a one-line message."""
    if opts.trials < 1 or opts.concurrency < 1 or opts.retries < 0:
        raise SelectionError("--trials and --concurrency must be at least 1, --retries at least 0")
    started = time.time()
    data, tasks, source = load_eval_tasks(opts)
    if opts.prompt:
        try:
            opts.prompt.check([data.domain])
        except PromptError as exc:
            raise SelectionError(str(exc)) from None
    contamination = check_contamination(tasks, data, opts.train_data) if opts.train_data else None
    copies = trial_copies(tasks, opts.trials)
    originals = {c.id: t for c, t in zip(copies, [t for _ in range(opts.trials) for t in tasks], strict=True)}
    nl_judge = make_nl_judge(opts.judge, opts.judge_base_url or opts.user_base_url or opts.base_url)
    judge = EvalJudge(originals, nl_judge, opts.strict_replay)
    if opts.agent.strip() != "noop":  # the do-nothing floor plays opposite any user, on any task
        check_pair(opts.agent, opts.user)
        check_tasks(opts.agent, opts.user, tasks)
    agents = agent_factory(opts.agent, seed=opts.seed, prompt=opts.prompt,
                           **(_model_options(opts.base_url, opts)
                              if opts.agent.strip() not in ("scripted", "noop") else {}))
    users = user_factory(opts.agent, opts.user, seed=opts.seed, prompt=opts.prompt,
                         **(_model_options(opts.user_base_url or opts.base_url, opts)
                            if opts.user.strip() != "scripted" else {}))
    resolver = DataResolver(opts.domain, opts.tau2_data.resolve() if opts.tau2_data else None,
                            opts.data.resolve() if opts.data else None, opts.seed)
    config = {"eval": {"domain": opts.domain, "trials": opts.trials, "split": opts.split, "retries": opts.retries}}
    limits = Limits(opts.max_steps, opts.max_errors)
    if not opts.force:
        wanted = run_config(copies, {}, agents, users, 1 + opts.retries, limits, judge, config)
        check_out(opts.out, canonical_config(wanted))
    runner = make_executor(opts.executor, address=opts.address, workers=opts.workers)
    try:
        summary = await runner.simulate(copies, resolve_data=resolver, agent_factory=agents, user_factory=users,
                                 run_dir=opts.out, concurrency=opts.concurrency, attempts=1 + opts.retries,
                                 limits=limits, judge=judge, progress=opts.progress,
                                 config=config, overwrite=opts.force,
                                 info={"command": "eval", "base_url": opts.base_url,
                                       "judge_base_url": opts.judge_base_url},
                                 progress_every=opts.progress_every)
    except (asyncio.CancelledError, KeyboardInterrupt):
        # Interrupted: what the store holds is written out as partial results, then the interruption goes on.
        if (Path(opts.out) / "run.db").is_file():
            await _write(opts, data, tasks, source, originals, resolver, None, contamination, started, partial=True)
        if nl_judge is not None:
            await nl_judge.aclose()
        raise
    finally:
        await close_factories(agents, users)
        runner.close()
    results, paths = await _write(opts, data, tasks, source, originals, resolver, nl_judge, contamination, started)
    return EvalOutcome(results, paths, summary.new_episodes, summary.resumed_episodes, time.time() - started,
                       summary.unpriced)
