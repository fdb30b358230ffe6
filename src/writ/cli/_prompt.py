"""The ``--agent-prompt`` and ``--policy`` options, shared by synth, simulate, export and eval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer

from writ.agents.prompt import PromptError
from writ.agents.setup import PromptOptions
from writ.cli._common import UserError
from writ.core import Domain

AgentPromptOpt = Annotated[list[str] | None, typer.Option(
    "--agent-prompt", help="[DOMAIN=]FILE: a JSON agent prompt (system_prompt_template with {policy}, agent_tools, "
                           "user_tools), e.g. ../shared/tau2/retail/tau2_agent_prompt.json; repeat per domain.")]
PolicyOpt = Annotated[list[str] | None, typer.Option(
    "--policy",
    help="[DOMAIN=]FILE: the policy text the agent is given (instead of the data source's); repeat per domain.")]


def prompt_options(agent_prompt: list[str] | None, policy: list[str] | None) -> PromptOptions | None:
    """The files read (checked against domains later, by `check_prompt` or the command); None when none given."""
    if not agent_prompt and not policy:
        return None
    try:
        return PromptOptions.load(agent_prompt or None, policy or None)
    except PromptError as exc:
        raise UserError(str(exc)) from None


def check_prompt(options: PromptOptions | None, domains: Iterable[Domain]) -> None:
    """Refuse options that do not fit the run's domains, before anything is written."""
    if options:
        try:
            options.check(domains)
        except PromptError as exc:
            raise UserError(str(exc)) from None
