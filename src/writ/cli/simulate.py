"""`writ simulate`: run every task of a tasks file with an agent and a user into a run directory.

Running the same command again continues the run (after a crash, ``kill -9`` or Ctrl-C): finished
episodes are kept, unfinished tasks go on. A run directory of another config or writ version is
refused; ``--force`` sets the old store aside (``run.replaced-<time>.db``) and starts over.
``--executor ray`` runs the episodes on Ray workers; this process still writes the only store.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from writ.cli._checks import check_base_urls, check_input_file, check_number, check_output_dir, check_task_domain
from writ.cli._common import DataOpt, ScaleOpt, Tau2DataOpt, UserError, read_tasks, user_errors
from writ.cli._model_opts import (
    CacheOpt,
    ExtraBodyOpt,
    MaxResponseOpt,
    MaxTokensOpt,
    PricesOpt,
    ProgressEveryOpt,
    RetryTemperatureOpt,
    TemperatureOpt,
    TimeoutOpt,
    TopPOpt,
    settings,
)
from writ.cli._prompt import AgentPromptOpt, PolicyOpt, check_prompt, prompt_options
from writ.data import DataError, resolve_domain
from writ.redact import redact
from writ.sim.actors import (
    ActorSpecError,
    check_pair,
    check_tasks,
    close_factories,
    make_agent_factory,
    make_user_factory,
)
from writ.sim.executor import ExecutorError, make_executor
from writ.sim.orchestrator import Limits
from writ.sim.runstore import RunStoreError
from writ.sim.sources import DataResolver
from writ.verify import verifier_judge


def simulate(
    tasks_file: Annotated[Path, typer.Argument(help="A tasks file (writ's or tau2's).")],
    run: Annotated[Path, typer.Option("--run", help="The run directory (holds run.db); rerun to resume.")],
    agent: Annotated[str, typer.Option("--agent",
                                       help="scripted, openai:MODEL, hf:PATH or guided:openai:MODEL.")] = "scripted",
    user: Annotated[str, typer.Option("--user", help="scripted, openai:MODEL or hf:PATH.")] = "scripted",
    base_url: Annotated[list[str] | None,
                        typer.Option("--base-url", help="OpenAI-compatible endpoint; repeat for replicas.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", help="Tasks in flight at a time.")] = 64,
    attempts: Annotated[int, typer.Option("--attempts", help="Tries per task; the next only after a failure.")] = 3,
    domain: Annotated[str | None, typer.Option("--domain", "-d", help="Domain of tasks that name none.")] = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    db_seed: Annotated[int, typer.Option("--db-seed",
                                         help="Seed of the generated database for tasks without a db_source.")] = 0,
    scale: ScaleOpt = 1.0,
    max_steps: Annotated[int, typer.Option("--max-steps",
                                           help="Messages per episode before it is cut off.")] = Limits.max_steps,
    max_errors: Annotated[int, typer.Option("--max-errors",
                                            help="Tool errors per episode before it is cut off.")] = Limits.max_errors,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the scripted actors (with the attempt number).")] = 0,
    force: Annotated[bool, typer.Option(
        "--force", help="Start over even if --run holds a run (kept aside as run.replaced-*.db).")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a live progress bar.")] = True,
    judge: Annotated[str, typer.Option(
        "--judge", help="verify: every verifier must pass (default); hash: final state only.")] = "verify",
    executor: Annotated[str, typer.Option(
        "--executor", help="local (this process) or ray (Ray workers; needs the ray extra).")] = "local",
    address: Annotated[str | None, typer.Option(
        "--address", help="Ray cluster: auto, ray://HOST:10001; default RAY_ADDRESS or a new local one.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Ray workers (default: one per cluster CPU); --concurrency is split between them.")] = None,
    realizer: Annotated[str | None, typer.Option("--realizer", help="openai:MODEL or hf:PATH: an LLM rewrites the "
                                                    "scripted teacher's and customer's words, guarded; a rewrite "
                                                    "that changes a value falls back to the scripted text.")] = None,
    agent_prompt: AgentPromptOpt = None,
    policy: PolicyOpt = None,
    temperature: TemperatureOpt = None,
    top_p: TopPOpt = None,
    max_tokens: MaxTokensOpt = None,
    extra_body: ExtraBodyOpt = None,
    timeout: TimeoutOpt = None,
    retry_temperature: RetryTemperatureOpt = None,
    max_response_bytes: MaxResponseOpt = None,
    cache: CacheOpt = None,
    prices: PricesOpt = None,
    progress_every: ProgressEveryOpt = 30.0,
) -> None:
    """Simulate conversations for every task, keep the ones every verifier passes.

    The model options (--temperature ... --prices) apply to every model the run uses, agent and user.
    """
    for name, value, least, bound in (("--concurrency", concurrency, 1, "concurrency"),
                                      ("--attempts", attempts, 1, "attempts"), ("--max-steps", max_steps, 2, "steps"),
                                      ("--max-errors", max_errors, 1, "steps"), ("--workers", workers, 1, "workers")):
        check_number(name, value, least=least, bound=bound)
    check_number("--scale", scale, above=0, bound="scale")
    check_base_urls("--base-url", base_url)
    if judge not in ("verify", "hash"):
        raise UserError(f"--judge must be verify or hash, got {judge!r}")
    if tau2_data is not None and data is not None:
        raise UserError("give either --tau2-data or --data, not both")
    if executor != "ray" and (address is not None or workers is not None):
        raise UserError("--address and --workers apply to --executor ray only")
    if executor not in ("local", "ray"):
        raise UserError(f"--executor must be local or ray, got {executor!r}")
    check_number("--progress-every", progress_every)
    if progress_every <= 0:
        raise UserError(f"--progress-every must be positive (seconds), got {progress_every}")
    check_input_file("TASKS_FILE", tasks_file, "tasks file")
    check_output_dir("--run", run)
    if (run / "stages.json").is_file() or (run / "manifest.json").is_file():
        raise UserError(f"--run {run}: holds a {'synth job' if (run / 'stages.json').is_file() else 'writ export'}, "
                        "not a run; give a new or empty directory (a synth job's run is its run/ folder)")
    try:
        check_pair(agent, user)
    except ActorSpecError as exc:
        raise UserError(str(exc)) from None
    requests = settings(temperature=temperature, top_p=top_p, max_tokens=max_tokens, extra_body=extra_body,
                        timeout=timeout, retry_temperature=retry_temperature, max_response_bytes=max_response_bytes,
                        cache=cache, prices=prices)
    if judge == "hash":
        typer.echo("writ: warning: --judge hash keeps every episode that reaches the gold final state, even one "
                   "that never confirmed a change, said something false or guessed an id; --judge verify checks those",
                   err=True)
    tasks = read_tasks(tasks_file)
    if not tasks:
        raise UserError(f"{tasks_file}: no tasks")
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise UserError(f"{tasks_file}: task id {task.id!r} appears twice; task ids must be unique within a run")
        seen.add(task.id)
    try:
        check_tasks(agent, user, tasks)
    except ActorSpecError as exc:
        raise UserError(f"{tasks_file}: {exc}") from None
    prompt = prompt_options(agent_prompt, policy)
    resolver = DataResolver(domain, tau2_data.resolve() if tau2_data else None, data.resolve() if data else None,
                            db_seed, scale)
    if prompt:
        try:  # the tasks' domains by name: no database is loaded for this
            domains = [resolve_domain(d) for d in sorted({resolver.key(t)[0] for t in tasks})]
        except DataError as exc:
            raise UserError(str(exc)) from None
        check_prompt(prompt, domains)
    model_options = {"base_url": (base_url[0] if len(base_url) == 1 else list(base_url))} if base_url else {}
    model_options.update(requests)
    try:
        agent_factory = make_agent_factory(agent, seed=seed, prompt=prompt, realizer=realizer, **model_options)
        user_factory = make_user_factory(user, seed=seed, prompt=prompt, realizer=realizer, **model_options)
    except ActorSpecError as exc:
        raise UserError(str(exc)) from None
    with user_errors():
        for task in tasks:  # every task's database, loaded once per source (cached for the run)
            check_task_domain([task], resolver(task), str(tasks_file))
    info = {"tasks_file": str(tasks_file.resolve()), "base_url": base_url or []}
    try:  # made last: a Ray cluster is only started once every check has passed
        runner = make_executor(executor, address=address, workers=workers)
    except ExecutorError as exc:
        raise UserError(str(exc)) from None

    async def run_and_close():
        try:
            return await runner.simulate(
                tasks, resolve_data=resolver, agent_factory=agent_factory, user_factory=user_factory, run_dir=run,
                concurrency=concurrency, attempts=attempts, limits=Limits(max_steps, max_errors), progress=progress,
                overwrite=force, info=info, judge=verifier_judge if judge == "verify" else None,
                progress_every=progress_every)
        finally:
            await close_factories(agent_factory, user_factory)

    try:
        with runner:
            summary = asyncio.run(run_and_close())
    except (RunStoreError, DataError, ExecutorError) as exc:
        raise UserError(str(exc)) from None
    for line in summary.lines():
        typer.echo(redact(line), err=True)  # plain lines: no wrapping, easy to grep in logs
    if prompt and agent.strip() == "scripted":
        typer.echo("note: the scripted teacher reads no prompt; pass the same --agent-prompt/--policy to "
                   "`writ export` to write them into the data", err=True)
