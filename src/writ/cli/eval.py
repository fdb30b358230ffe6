"""`writ eval`: run an agent against a task set and score it like tau2-bench (and stricter).

    writ eval --domain airline --tau2-data DIR --split test --agent openai:MODEL --base-url URL \\
              --user openai:MODEL --trials 4 --concurrency 32 --out results/
    writ eval run ...            (the same, spelled out)
    writ eval score CONVERSATIONS.jsonl --domain retail --tau2-data DIR

Running the same command again resumes; an ``--out`` that holds another configuration is refused
with the difference named (``--force`` starts over, keeping the old run store aside).
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from writ.cli._checks import check_base_urls, check_input_dir, check_input_file, check_number, check_output_dir
from writ.cli._common import DataOpt, Tau2DataOpt, UserError, console, out
from writ.cli._model_opts import (
    CacheOpt,
    ExtraBodyOpt,
    MaxResponseOpt,
    MaxTokensOpt,
    PricesOpt,
    ProgressEveryOpt,
    TimeoutOpt,
    TopPOpt,
    settings,
)
from writ.cli._prompt import AgentPromptOpt, PolicyOpt, prompt_options
from writ.data import DataError
from writ.sim.orchestrator import Limits

__all__ = ["app", "run", "score"]

app = typer.Typer(help="Evaluate an agent on a task set: tau2-equal and strict rewards, pass^k, tokens.",
                  no_args_is_help=False, add_completion=False, pretty_exceptions_enable=False)

DomainOpt = Annotated[str | None, typer.Option("--domain", "-d", help="airline, retail, telecom or mock.")]
TasksOpt = Annotated[Path | None, typer.Option(
    "--tasks", help="A tasks file (writ's or tau2's) instead of the data directory's tasks.")]
SplitOpt = Annotated[str | None, typer.Option("--split", help="A split of split_tasks.json (e.g. test).")]
JudgeOpt = Annotated[str | None, typer.Option(
    "--judge", help="openai:MODEL that grades NL assertions; without it they are reported as not evaluated.")]
JudgeUrlOpt = Annotated[list[str] | None, typer.Option("--judge-base-url", help="Endpoint of the NL judge.")]
LenientOpt = Annotated[bool, typer.Option("--lenient-replay", help="Note, instead of scoring 0, a replayed write whose "
                                                                   "result differs from the recorded one.")]
TrainOpt = Annotated[Path | None, typer.Option("--train-data", help="Training data (tasks file, run dir, writ export, "
                                                                    "JSONL) to check for shared gold write sets.")]


def _errors():
    from writ.eval.contamination import ContaminationError
    from writ.eval.selection import SelectionError
    from writ.sim.actors import ActorSpecError
    from writ.sim.executor import ExecutorError
    from writ.sim.runstore import RunStoreError

    return (SelectionError, DataError, RunStoreError, ActorSpecError, ContaminationError, ExecutorError)


def run(
    domain: DomainOpt = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    tasks: TasksOpt = None,
    split: SplitOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N tasks.")] = None,
    agent: Annotated[str, typer.Option("--agent", help="openai:MODEL, hf:PATH, guided:openai:MODEL, scripted or noop "
                                                       "(greets, declines, ends).")] = "scripted",
    base_url: Annotated[list[str] | None, typer.Option(
        "--base-url", help="The agent's OpenAI-compatible endpoint; repeat for replicas.")] = None,
    temperature: Annotated[float | None, typer.Option(
        "--temperature", help="Sampling temperature of the agent and user models (default: the server's).")] = None,
    user: Annotated[str, typer.Option("--user", help="openai:MODEL, hf:PATH or scripted.")] = "scripted",
    user_base_url: Annotated[list[str] | None, typer.Option(
        "--user-base-url", help="The user model's endpoint (default: --base-url).")] = None,
    judge: JudgeOpt = None,
    judge_base_url: JudgeUrlOpt = None,
    trials: Annotated[int, typer.Option("--trials", help="Simulations per task (pass^k for k up to this).")] = 1,
    concurrency: Annotated[int, typer.Option("--concurrency", help="Simulations in flight at a time.")] = 32,
    retries: Annotated[int, typer.Option("--retries",
                                         help="Extra attempts for a trial cut short by a model error or crash.")] = 1,
    max_steps: Annotated[int, typer.Option(
        "--max-steps", help="Messages per simulation before it is cut off (scores 0).")] = Limits.max_steps,
    max_errors: Annotated[int, typer.Option(
        "--max-errors", help="Tool errors per simulation before it is cut off (scores 0).")] = Limits.max_errors,
    seed: Annotated[int, typer.Option(
        "--seed", help="Seed of scripted actors, bootstrap intervals and a generated database.")] = 0,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Results directory (run.db, results.json, summary.md, "
                                                              "results.html); rerun to resume.")] = Path("results"),
    train_data: TrainOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Start over even if --out holds another evaluation.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a live progress bar.")] = True,
    lenient_replay: LenientOpt = False,
    executor: Annotated[str, typer.Option(
        "--executor", help="local (this process) or ray (Ray workers; needs the ray extra).")] = "local",
    address: Annotated[str | None, typer.Option(
        "--address", help="Ray cluster: auto, ray://HOST:10001; default RAY_ADDRESS or a new local one.")] = None,
    workers: Annotated[int | None,
                       typer.Option("--workers", help="Ray workers (default: one per cluster CPU).")] = None,
    agent_prompt: AgentPromptOpt = None,
    policy: PolicyOpt = None,
    top_p: TopPOpt = None,
    max_tokens: MaxTokensOpt = None,
    extra_body: ExtraBodyOpt = None,
    timeout: TimeoutOpt = None,
    max_response_bytes: MaxResponseOpt = None,
    cache: CacheOpt = None,
    prices: PricesOpt = None,
    progress_every: ProgressEveryOpt = 30.0,
) -> None:
    """Simulate every task x trial with the agent and user, score, and write the results.

    The model options (--temperature, --top-p ... --prices) apply to the agent and user models alike.
    """
    from writ.eval.render import print_summary
    from writ.eval.run import EvalOptions, evaluate

    if not domain:
        raise UserError("--domain is required (airline, retail, telecom or mock)")
    _check_run_options(limit=limit, trials=trials, concurrency=concurrency, retries=retries, max_steps=max_steps,
                       max_errors=max_errors, temperature=temperature, workers=workers)
    for option, urls in (("--base-url", base_url), ("--user-base-url", user_base_url),
                         ("--judge-base-url", judge_base_url)):
        check_base_urls(option, urls)
    _check_paths(out_dir, tasks, tau2_data, data)
    settings(top_p=top_p, max_tokens=max_tokens, extra_body=extra_body, timeout=timeout,
             max_response_bytes=max_response_bytes, cache=cache, prices=prices)
    if train_data is not None and not train_data.exists():
        raise UserError(f"--train-data {train_data}: no such file or directory")
    opts = EvalOptions(domain=domain, out=out_dir, agent=agent, user=user, tau2_data=tau2_data, data=data,
                       tasks_file=tasks, split=split, limit=limit, base_url=list(base_url or []),
                       user_base_url=list(user_base_url or []), judge=judge, judge_base_url=list(judge_base_url or []),
                       temperature=temperature, trials=trials, concurrency=concurrency, retries=retries,
                       max_steps=max_steps, max_errors=max_errors, seed=seed, train_data=train_data, force=force,
                       progress=progress, strict_replay=not lenient_replay, executor=executor, address=address,
                       workers=workers, prompt=prompt_options(agent_prompt, policy), top_p=top_p,
                       max_tokens=max_tokens, extra_body=extra_body, timeout=timeout,
                       max_response_bytes=max_response_bytes, cache=cache, prices=prices, progress_every=progress_every)
    if progress_every <= 0:
        raise UserError(f"--progress-every must be positive (seconds), got {progress_every}")
    if executor != "ray" and (address is not None or workers is not None):
        raise UserError("--address and --workers apply to --executor ray only")
    try:
        outcome = asyncio.run(evaluate(opts))
    except _errors() as exc:
        raise UserError(f"{exc}") from None
    print_summary(outcome.results, out)
    resumed = f" ({outcome.resumed_simulations} from before)" if outcome.resumed_simulations else ""
    if outcome.unpriced:
        typer.echo(f"cost: no price known for {', '.join(outcome.unpriced)}: counted as $0; --prices FILE sets one",
                   err=True)
    typer.echo(f"{outcome.new_simulations} simulations run now{resumed} in {outcome.seconds:.1f}s; "
               f"results: {', '.join(str(p) for p in outcome.paths)}", err=True)


@app.command("score")
def score(
    conversations: Annotated[Path, typer.Argument(
        help="JSONL of {task_id, termination_reason, messages[, trial]} or a results JSON with 'simulations'.")],
    domain: DomainOpt = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    tasks: TasksOpt = None,
    judge: JudgeOpt = None,
    judge_base_url: JudgeUrlOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap intervals.")] = 0,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write scores.json, summary.md, scores.html (default: beside the input).")] = None,
    lenient_replay: LenientOpt = False,
) -> None:
    """Rescore recorded conversations (no simulation) and write the same reward info."""
    from writ.eval.render import print_summary
    from writ.eval.results import write_results
    from writ.eval.run import EvalOptions
    from writ.eval.score import score_file

    if not domain:
        raise UserError("--domain is required (airline, retail, telecom or mock)")
    check_input_file("CONVERSATIONS", conversations, "conversations file")
    check_base_urls("--judge-base-url", judge_base_url)
    target = out_dir or conversations.with_name(conversations.stem + ".scores")
    _check_paths(target, tasks, tau2_data, data)
    opts = EvalOptions(domain=domain, out=target, tau2_data=tau2_data, data=data, tasks_file=tasks, judge=judge,
                       judge_base_url=list(judge_base_url or []), seed=seed, strict_replay=not lenient_replay)
    try:
        outcome = asyncio.run(score_file(conversations, opts))
    except _errors() as exc:
        raise UserError(f"{exc}") from None
    for problem in outcome.skipped[:20]:
        console.print(f"skipped {problem}", markup=False)
    print_summary(outcome.results, out)
    paths = write_results(target, outcome.results, stem="scores")
    typer.echo(f"{len(outcome.results['simulations'])} conversations scored; results: "
               f"{', '.join(str(p) for p in paths)}", err=True)


app.command("run")(run)


def _check_run_options(*, limit: int | None, trials: int, concurrency: int, retries: int, max_steps: int,
                       max_errors: int, temperature: float | None, workers: int | None) -> None:
    check_number("--limit", limit, least=1, bound="tasks")
    check_number("--trials", trials, least=1, bound="trials")
    check_number("--concurrency", concurrency, least=1, bound="concurrency")
    check_number("--retries", retries, least=0, bound="attempts")
    check_number("--max-steps", max_steps, least=2, bound="steps")
    check_number("--max-errors", max_errors, least=1, bound="steps")
    check_number("--temperature", temperature, least=0)
    check_number("--workers", workers, least=1, bound="workers")


def _check_paths(out_dir: Path, tasks: Path | None, tau2_data: Path | None, data: Path | None) -> None:
    check_output_dir("--out", out_dir)
    for marker, what in (("stages.json", "a synth job"), ("manifest.json", "a writ export")):
        if (out_dir / marker).is_file():
            raise UserError(f"--out {out_dir}: holds {what}, not evaluation results; give a new or empty directory")
    if tasks is not None:
        check_input_file("--tasks", tasks, "tasks file")
    for option, folder in (("--tau2-data", tau2_data), ("--data", data)):
        if folder is not None:
            check_input_dir(option, folder, "data directory")


def _default(ctx: typer.Context, **options: Any) -> None:
    """`writ eval --domain ...` without a subcommand runs the evaluation."""
    if ctx.invoked_subcommand is not None:
        return
    if not options.get("domain"):
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    run(**options)


# The callback takes exactly run's options, so `writ eval --domain X ...` and `writ eval run --domain X ...` agree.
_default.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    + list(inspect.signature(run, eval_str=True).parameters.values()))
app.callback(invoke_without_command=True)(_default)
