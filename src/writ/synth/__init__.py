"""`writ synth`: the whole pipeline as one resumable job."""

from writ.synth.config import ConfigError, SynthConfig, load_config
from writ.synth.pipeline import SynthResult, run_synth

__all__ = ["ConfigError", "SynthConfig", "SynthResult", "load_config", "run_synth"]
