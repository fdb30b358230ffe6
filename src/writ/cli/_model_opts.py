"""The model request options that `simulate`, `synth`, `eval` and `users diversify` share.

One definition per flag, so every command spells, documents and checks them alike; `settings`
turns the values into actor-factory options (`writ.models.sampling.model_options`) or a one-line
`UserError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from writ.cli._common import UserError

__all__ = ["CacheOpt", "ExtraBodyOpt", "MaxResponseOpt", "MaxTokensOpt", "PricesOpt", "ProgressEveryOpt",
           "RetryTemperatureOpt", "TemperatureOpt", "TimeoutOpt", "TopPOpt", "settings"]

TemperatureOpt = Annotated[float | None, typer.Option(
    "--temperature", help="Sampling temperature of the model(s) (default: the server's).")]
TopPOpt = Annotated[float | None, typer.Option("--top-p", help="Nucleus sampling top_p (default: the server's).")]
MaxTokensOpt = Annotated[int | None, typer.Option("--max-tokens", help="Most tokens per model reply.")]
ExtraBodyOpt = Annotated[str | None, typer.Option(
    "--extra-body", metavar="JSON", help='A JSON object merged into every request body, e.g. '
    '\'{"chat_template_kwargs": {"enable_thinking": false}}\'.')]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", help="Seconds one model call may take (default 120).")]
RetryTemperatureOpt = Annotated[float | None, typer.Option(
    "--retry-temperature", help="Temperature of a task's later attempts when --temperature is 0 or unset "
    "(default 0.7; every attempt also gets its own seeds).")]
MaxResponseOpt = Annotated[int | None, typer.Option(
    "--max-response-bytes", help="A model response larger than this is a recorded failure (default 8 MiB).")]
CacheOpt = Annotated[Path | None, typer.Option(
    "--cache", help="SQLite response cache: a rerun pays nothing for a request it already made.")]
PricesOpt = Annotated[Path | None, typer.Option(
    "--prices", help="YAML price table, USD per 1M tokens: MODEL: {prompt: X, completion: Y}.")]
ProgressEveryOpt = Annotated[float, typer.Option(
    "--progress-every", help="When stderr is not a terminal: seconds between progress lines.")]


def settings(**values: Any) -> dict[str, Any]:
    """`writ.models.sampling.model_options` of the given flag values, or a one-line UserError."""
    from writ.cli._checks import check_number, check_output_file
    from writ.models.sampling import model_options

    flags = {"temperature": "--temperature", "top_p": "--top-p", "max_tokens": "--max-tokens",
             "retry_temperature": "--retry-temperature", "extra_body": "--extra-body", "timeout": "--timeout",
             "max_response_bytes": "--max-response-bytes", "cache": "--cache", "prices": "--prices"}
    for name in ("temperature", "top_p", "retry_temperature", "timeout"):
        check_number(flags[name], values.get(name))  # nan and inf are not numbers a server can use
    if values.get("cache") is not None:
        check_output_file("--cache", Path(values["cache"]))
    try:
        return model_options(**values)
    except ValueError as exc:
        text = str(exc)
        for name, flag in flags.items():
            if text.startswith(name + " "):
                text = flag + text[len(name):]
        raise UserError(text) from None
