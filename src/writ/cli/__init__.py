"""The `writ` command line: one module per command, assembled here.

Every expected failure (a bad data directory, a malformed tasks file, an unknown domain) becomes a
one-line message on stderr and exit code 2; a traceback means a bug in writ.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from writ.cli import check, db, domains, export, kb, replay, report, serve, simulate, synth, tasks, users, verify
from writ.cli._common import UserError

__all__ = ["app", "main"]

app = typer.Typer(
    name="writ",
    help="Synthesize verified, write-intensive and read-heavy tool-use trajectories (tau2-bench compatible).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("domains")(domains.domains)
app.command("replay")(replay.replay)
app.command("check")(check.check)
app.command("simulate")(simulate.simulate)
app.command("report")(report.report)
app.command("export")(export.export)
app.command("synth")(synth.synth)
app.command("verify")(verify.verify)
app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(kb.app, name="kb")
app.add_typer(tasks.app, name="tasks")
app.add_typer(users.app, name="users")
app.add_typer(__import__("writ.cli.eval", fromlist=["app"]).app, name="eval")
app.command("train")(__import__("writ.cli.train", fromlist=["train"]).train)


@app.callback()
def options(
    embeddings: Annotated[str | None, typer.Option(
        "--embeddings", help="openai:MODEL: the embeddings endpoint of banking_knowledge's embedding variants "
                             "(also WRIT_EMBEDDINGS).")] = None,
    embeddings_base_url: Annotated[str | None, typer.Option(
        "--embeddings-base-url",
        help="Its base URL, e.g. http://host:8000/v1 (also WRIT_EMBEDDINGS_BASE_URL).")] = None,
) -> None:
    """Options for every command, given before it: ``writ --embeddings openai:M --embeddings-base-url U eval ...``."""
    if embeddings is None and embeddings_base_url is not None:
        raise UserError("--embeddings-base-url needs --embeddings openai:MODEL")
    if embeddings is not None:
        from writ.domains.banking_knowledge import embeddings as dense

        try:
            dense.configure(embeddings, embeddings_base_url)
        except ValueError as exc:
            raise UserError(str(exc)) from None


def _usage_error(exc: BaseException) -> bool:
    """A click/typer usage error (bad option value, unknown option, missing argument), by its shape.

    Matched by shape rather than class because typer ships its own copy of click in some versions.
    """
    return (any(k.__name__ in ("UsageError", "BadParameter") for k in type(exc).__mro__)
            and hasattr(exc, "format_message"))


def _fail(message: str, code: int = 2) -> None:
    from writ.redact import redact

    line = " ".join(redact(str(message)).split())  # one line, whatever the message held
    print(f"writ: error: {line}", file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; every expected failure is one line on stderr and exit code 2."""
    try:
        code = app(args=argv, prog_name="writ", standalone_mode=False)
    except UserError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        print("writ: interrupted", file=sys.stderr)
        sys.exit(130)
    except OSError as exc:  # the environment refused a file operation (full disk, permissions, ...)
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `writ tasks` alone: show that group's help
            print(exc.format_message(), file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(getattr(exc, "exit_code", 2))
        if not _usage_error(exc):
            raise
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _fail(f"{exc.format_message()}{hint}")  # type: ignore[attr-defined]
    if code == 130:
        print("writ: interrupted", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
