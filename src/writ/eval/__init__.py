"""Evaluation: run an agent against a task set and score it the way tau2-bench does, and stricter.

* `evaluate` (``run``): simulate every task x trial through writ's runner (concurrent, resumable)
  and write ``results.json`` (tau2-bench's layout), ``summary.md`` and ``results.html``;
* `score_file` (``score``): rescore recorded conversations without simulating;
* `score_reward` (``reward``): the tau2-equal reward of one conversation; `strict_reward`
  (``strict``): the same plus what tau2's judge lets through;
* `pass_hat_k` (``passk``): the unbiased pass^k with bootstrap intervals;
* `check_contamination` (``contamination``): evaluation tasks whose gold writes the training data holds;
* `DoNothingAgent` (``agents``): the floor every agent must beat (``--agent noop``).
"""

from writ.eval.agents import DoNothingAgent, agent_factory
from writ.eval.contamination import ContaminationError, check_contamination
from writ.eval.conversation import ConversationError, canonical_messages, tool_calls
from writ.eval.judge import EvalJudge, ModelNLJudge, score_episode
from writ.eval.passk import bootstrap_mean, pass_hat_k, pass_hat_ks, task_pass_hat_k
from writ.eval.results import build_results, write_results
from writ.eval.reward import DEFAULT_BASIS, is_success, score_reward
from writ.eval.run import EvalOptions, EvalOutcome, evaluate
from writ.eval.score import ScoreOutcome, score_file
from writ.eval.selection import SelectionError
from writ.eval.strict import strict_reward

__all__ = [
    "DEFAULT_BASIS", "ContaminationError", "ConversationError", "DoNothingAgent", "EvalJudge", "EvalOptions",
    "EvalOutcome", "ModelNLJudge", "ScoreOutcome", "SelectionError", "agent_factory", "bootstrap_mean",
    "build_results", "canonical_messages", "check_contamination", "evaluate", "is_success", "pass_hat_k",
    "pass_hat_ks", "score_episode", "score_file", "score_reward", "strict_reward", "task_pass_hat_k", "tool_calls",
    "write_results",
]
