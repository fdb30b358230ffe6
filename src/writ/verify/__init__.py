"""Verification: named verifiers run on every episode; an episode is kept only if all pass."""

from writ.verify.base import VERIFIERS, Check, Context, Verdict, register, verifier_judge, verify_episode
from writ.verify.state import gold_state, replayed_state

__all__ = ["VERIFIERS", "Check", "Context", "Verdict", "gold_state", "register", "replayed_state", "verifier_judge",
           "verify_episode"]
