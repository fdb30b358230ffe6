"""Import every verifier module so that each registers itself, in the order they run."""

from writ.verify import dialogue, flow, fidelity, state  # noqa: F401
