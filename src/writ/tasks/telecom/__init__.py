"""Telecom task generator (see `generator` for the task design, `route` for the gold workflow)."""

from writ.tasks.telecom.generator import GENERATOR, TelecomGenerator

__all__ = ["GENERATOR", "TelecomGenerator"]
