"""writ's core contract, on one page. Everything else composes these types.

* `Tool` (`writ.core.tools`): a typed Python function with a `ToolKind` (read, write, generic) and a
  side (the agent's, or the user's own device in dual-control domains); its OpenAI schema comes
  from its type hints and docstring. `Toolbox` registers the tools of one side.
* `Domain` and `Environment` (`writ.core.environment`): a domain is a named set of tools plus its
  database layout, policy and hooks; an environment executes ``step(name, arguments)`` against a
  copy-on-write database and always answers with tau2-bench's result text (errors included, never
  raised). `fork` is cheap; `fingerprint` is the canonical hash a verifier compares.
* `Turn`, `Episode`, `Termination` (`writ.core.conversation`): what one actor says or calls, and the
  record of a whole conversation with what each side saw (`agent_view`, `user_view`).
* `Agent`, `UserSimulator` (`writ.core.actors`): anything with ``async act(messages) -> Turn``.

The `Task` (tau2's task schema plus writ's metadata) lives in `writ.task`; verifiers, which judge an
`Episode` against its `Task`, in `writ.verify`.
"""

from writ.core.actors import Agent, ModelFailure, UserSimulator
from writ.core.conversation import Episode, Termination, Turn, agent_view, public_message, user_view
from writ.core.environment import AssertionResult, Domain, Environment, deep_merge
from writ.core.tools import Tool, Toolbox, ToolCall, ToolError, ToolKind, ToolResult, render_result

__all__ = [
    "Agent", "AssertionResult", "Domain", "Environment", "Episode", "ModelFailure", "Termination", "Tool", "ToolCall",
    "ToolError", "ToolKind", "ToolResult", "Toolbox", "Turn", "UserSimulator", "agent_view", "deep_merge",
    "public_message", "render_result", "user_view",
]
