"""The scripted teacher: an offline agent that acts only on what was said and read.

`ScriptedTeacher` (``teacher``) is the domain-independent dialogue policy; each domain gives it
skills (``retail``, ...): how to read a record, how to authenticate, and what each kind of request
needs, written over `Knowledge` (``knowledge``). `scripted_teacher` builds one for a domain.
"""

from __future__ import annotations

import importlib

from writ.agents.scripted.knowledge import Knowledge, NeedCalc, NeedDevice, NeedRead, NeedSlot, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Skills, Transfer
from writ.agents.scripted.teacher import ScriptedTeacher

__all__ = [
    "Inform", "Knowledge", "NeedCalc", "NeedDevice", "NeedRead", "NeedSlot", "Propose", "Refuse", "Request",
    "SKILLED_DOMAINS", "ScriptedTeacher", "Skills", "Transfer", "scripted_teacher",
]

SKILLED_DOMAINS = {"retail": "writ.agents.scripted.retail:RetailSkills",
                   "mock": "writ.agents.scripted.mock:MockSkills",
                   "airline": "writ.agents.scripted.airline:AirlineSkills",
                   "telecom": "writ.agents.scripted.telecom:TelecomSkills",
                   "banking_knowledge": "writ.agents.scripted.banking:BankingSkills",
                   "banking_knowledge-bm25_grep": "writ.agents.scripted.banking:BankingSkills",
                   "banking_knowledge-grep_only": "writ.agents.scripted.banking:GrepBankingSkills"}


def scripted_teacher(domain: str, seed: int | str = 0) -> ScriptedTeacher:
    """The scripted teacher for `domain` (raises KeyError for a domain without skills)."""
    module, _, cls = SKILLED_DOMAINS[domain].partition(":")
    skills = getattr(importlib.import_module(module), cls)()
    calculator = "calculate" if domain in ("retail", "airline") else None
    return ScriptedTeacher(skills, seed, calculator=calculator)
