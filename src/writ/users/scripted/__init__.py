"""The scripted customer: plays a writ task's scenario and says only what it holds or was told.

`ScriptedUser` (``user``) is the domain-independent policy; each domain module (``retail``, ...)
says how its requests, answers and push-back are worded, and which words express values that are
not written as themselves (``cues``), for the reading's grounding check.
"""

from writ.users.scripted.scenario import Scenario, ScenarioRequest
from writ.users.scripted.user import ScriptedUser, guess_acts

__all__ = ["Scenario", "ScenarioRequest", "ScriptedUser", "guess_acts"]
