"""`writ kb`: search a domain's knowledge base from the shell, and precompute embedding indexes.

    writ kb search "close checking account fee" --tau2-data ../shared/tau2
    writ kb search "dispute" --domain banking_knowledge-grep_only --tau2-data ../shared/tau2
    writ kb index --domain banking_knowledge-openai_embeddings --tau2-data DIR --embeddings openai:MODEL --base-url URL

Each search runs the agent's own tool (``KB_search`` or ``grep`` of the chosen retrieval variant)
on a fresh environment and prints exactly what the agent would read.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from writ.cli._common import DataOpt, ScaleOpt, SeedOpt, Tau2DataOpt, UserError, console, load

app = typer.Typer(help="Knowledge bases: search them as the agent does; build embedding indexes.",
                  no_args_is_help=True)

KbDomainOpt = Annotated[str, typer.Option("--domain", "-d", help="banking_knowledge or banking_knowledge-<variant>.")]
EmbeddingsOpt = Annotated[str | None, typer.Option(
    "--embeddings", help="openai:MODEL: an OpenAI-compatible embeddings endpoint (embedding variants only).")]
BaseUrlOpt = Annotated[str | None,
                       typer.Option("--base-url", help="The embeddings endpoint, e.g. http://host:8000/v1.")]


def _configure(embeddings: str | None, base_url: str | None) -> None:
    if embeddings is None and base_url is not None:
        raise UserError("--base-url needs --embeddings openai:MODEL")
    if embeddings is not None:
        from writ.domains.banking_knowledge import embeddings as dense

        try:
            dense.configure(embeddings, base_url)
        except ValueError as exc:
            raise UserError(str(exc)) from None


def _knowledge_tool(loaded, tool: str | None) -> str:
    names = [t.name for t in loaded.domain.tools("agent")]
    wanted = tool or next((n for n in ("KB_search", "grep") if n in names), None)
    if wanted is None or wanted not in ("KB_search", "grep") or wanted not in names:
        have = [n for n in names if n in ("KB_search", "grep")]
        raise UserError(f"{loaded.domain.name} has no {wanted or 'search'} tool"
                        + (f" (it has {', '.join(have)})" if have else " (its policy carries the documents)"))
    return wanted


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="The query (KB_search) or regular expression (grep).")],
    domain: KbDomainOpt = "banking_knowledge",
    tool: Annotated[str | None,
                    typer.Option("--tool", help="KB_search or grep (default: the first the variant has).")] = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    seed: SeedOpt = 0,
    scale: ScaleOpt = 1.0,
    embeddings: EmbeddingsOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Print what the agent's search tool answers for QUERY."""
    _configure(embeddings, base_url)
    loaded = load(domain, tau2_data, data, seed, scale)
    name = _knowledge_tool(loaded, tool)
    start = time.perf_counter()
    result = loaded.environment().step(name, {"query" if name == "KB_search" else "pattern": query})
    typer.echo(result.content)
    console.print(f"{name} over {len(loaded.base.attachments.get('kb') or [])} documents in "
                  f"{(time.perf_counter() - start) * 1000:.1f} ms")
    if result.error:
        raise typer.Exit(1)


@app.command("index")
def index(
    domain: KbDomainOpt = "banking_knowledge-openai_embeddings",
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    seed: SeedOpt = 0,
    scale: ScaleOpt = 1.0,
    embeddings: EmbeddingsOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Embed every document once (cached on disk) so later runs only embed their queries."""
    _configure(embeddings, base_url)
    loaded = load(domain, tau2_data, data, seed, scale)
    index_ = loaded.base.attachments.get("embedding_index")
    if index_ is None:
        raise UserError(f"{loaded.domain.name} does not search with embeddings (choose an *_embeddings variant)")
    start = time.perf_counter()
    try:
        vectors = index_.vectors
    except Exception as exc:  # a dead or refusing endpoint is the user's to fix, not a traceback
        raise UserError(f"embedding the documents failed: {type(exc).__name__}: {exc}") from None
    console.print(f"embedded {len(vectors)} documents with {index_.config.label} in {time.perf_counter() - start:.1f}s")
