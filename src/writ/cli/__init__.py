"""The `writ` command line: one module per command, assembled here.

Every expected failure (a bad data directory, a malformed tasks file, an unknown domain) becomes a
one-line message on stderr and exit code 2; a traceback means a bug in writ.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

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
    embeddings: Annotated[Optional[str], typer.Option(
        "--embeddings", help="openai:MODEL: the embeddings endpoint of banking_knowledge's embedding variants "
                             "(also WRIT_EMBEDDINGS).")] = None,
    embeddings_base_url: Annotated[Optional[str], typer.Option(
        "--embeddings-base-url", help="Its base URL, e.g. http://host:8000/v1 (also WRIT_EMBEDDINGS_BASE_URL).")] = None,
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


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="writ", standalone_mode=True)
    except UserError as exc:
        print(f"writ: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("writ: interrupted", file=sys.stderr)
        sys.exit(130)
