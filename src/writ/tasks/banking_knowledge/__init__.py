"""Banking task generator (see `generator` for the task design, `procedures` for what the documents prescribe)."""

from writ.tasks.banking_knowledge.generator import GENERATOR, BankingGenerator

__all__ = ["GENERATOR", "BankingGenerator"]
