"""Import every verifier module so that each registers itself, in the order they run."""

from writ.verify import dialogue, fidelity, flow, outcome, state  # noqa: F401
