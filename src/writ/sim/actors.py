"""Actor specs: one string names who plays the agent and who plays the user.

``scripted`` is the offline pair (`ScriptedTeacher`, `ScriptedUser`); ``openai:MODEL``,
``hf:PATH`` (and for the agent ``guided:openai:MODEL``) put an LLM behind `writ.agents.llm` /
`writ.users.llm` through `writ.models.make_backend`. A factory makes one fresh actor per episode,
``factory(task, data, attempt)``, because actors keep per-episode state; LLM factories share one
backend across episodes, so its connection pool and per-endpoint concurrency limit are global.

Scripted actors are seeded by ``(seed, attempt)`` only, so an episode depends on nothing but its
task and attempt number: a resumed run reproduces exactly what an uninterrupted one would have.

The LLM modules are imported when a factory is made, not when this module is, so ``scripted``
runs need none of them and a missing module is reported once, up front, in one line.

A factory made here pickles as its recipe (maker, spec, seed, options), not as its backend: an
HTTP client or a loaded model cannot cross processes, so another process (a Ray worker) that
unpickles it builds its own backend from the same spec, with the same endpoints and sampling.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from writ.core import Agent, UserSimulator
from writ.data import DomainData
from writ.task import Task

__all__ = ["ActorFactory", "ActorSpecError", "close_factories", "make_agent_factory", "make_user_factory",
           "parse_actor_spec"]

MODEL_SCHEMES = ("openai", "hf")


class ActorSpecError(ValueError):
    """A bad or unusable actor spec; the message is one line for the user."""


def parse_actor_spec(spec: str, side: str) -> tuple[str, str | None, bool]:
    """``spec`` -> (kind, model spec, guided); kind is ``scripted`` or ``llm``.

    >>> parse_actor_spec("guided:openai:qwen", "agent")
    ('llm', 'openai:qwen', True)
    """
    text = (spec or "").strip()
    if text == "scripted":
        return "scripted", None, False
    guided = False
    if text.startswith("guided:"):
        if side != "agent":
            raise ActorSpecError(f"bad --{side} spec {spec!r}: guided: applies to the agent only")
        guided, text = True, text[len("guided:"):]
    scheme, sep, target = text.partition(":")
    if not sep or scheme not in MODEL_SCHEMES or not target.strip():
        forms = "scripted, openai:MODEL, hf:PATH" + (" or guided:openai:MODEL" if side == "agent" else "")
        raise ActorSpecError(f"bad --{side} spec {spec!r}: use {forms}")
    return "llm", f"{scheme}:{target.strip()}", guided


# Backend options that change where or how fast a model answers, never what it answers.
_NOT_IDENTITY = {"base_url", "api_key_env", "concurrency", "timeout", "retries", "meter", "cache_path", "cache_all",
                 "prices", "device", "name"}


class ActorFactory:
    """``factory(task, data, attempt) -> actor``, carrying the `spec` it was made from.

    `config` is what the run store compares on resume: the spec, the seed and the model options
    that change answers (sampling parameters), not the endpoints or timeouts.
    """

    def __init__(self, spec: str, make: Callable[[Task, DomainData, int], Any], *, seed: int = 0,
                 options: dict[str, Any] | None = None, backend: Any = None,
                 recipe: tuple[Callable[..., "ActorFactory"], str, int, dict[str, Any]] | None = None):
        self.spec = spec
        self._make = make
        self.backend = backend
        self._recipe = recipe
        kept = {k: v for k, v in sorted((options or {}).items()) if k not in _NOT_IDENTITY and v is not None}
        self.config = {"spec": spec, "seed": seed, **({"options": kept} if kept else {})}

    def __call__(self, task: Task, data: DomainData, attempt: int) -> Any:
        return self._make(task, data, attempt)

    def __repr__(self) -> str:
        return f"ActorFactory({self.spec!r})"

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickle as the recipe when there is one (see module docstring), else as usual."""
        if self._recipe is not None:
            return _rebuild, self._recipe
        return super().__reduce_ex__(protocol)


def _rebuild(maker: Callable[..., ActorFactory], spec: str, seed: int, options: dict[str, Any]) -> ActorFactory:
    return maker(spec, seed=seed, **options)


async def close_factories(*factories: Any) -> None:
    """Close the model backends behind factories (their HTTP clients live in the run's event loop)."""
    for factory in factories:
        backend = getattr(factory, "backend", None)
        close = getattr(backend, "aclose", None)
        if close is not None:
            await close()


def _has_frames(task: Task) -> bool:
    requests = (task.writ or {}).get("requests") or []
    return bool(requests) and all(r.get("frame") for r in requests)


def _seed(seed: int, attempt: int) -> int | str:
    return attempt if seed == 0 else f"{seed}/{attempt}"


def _import(module: str, spec: str, side: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            raise ActorSpecError(f"--{side} {spec}: this writ has no {module} yet; only --{side} scripted works") from None
        raise ActorSpecError(f"--{side} {spec}: {module} needs {exc.name!r}, which is not installed") from None


def _backend(spec: str, model_spec: str, side: str, model_options: dict[str, Any]) -> Any:
    models = _import("writ.models", spec, side)
    try:
        return models.make_backend(model_spec, **model_options)
    except (ValueError, TypeError) as exc:
        raise ActorSpecError(f"--{side} {spec}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


def _with_prompt(factory: ActorFactory, prompt: Any) -> ActorFactory:
    """Record an LLM actor's agent prompt / policy files in its config: they change its answers."""
    if prompt:
        factory.config["prompt"] = prompt.identity()
    return factory


def _realizer(realizer: str | None, side: str, model_options: dict[str, Any]) -> Any:
    """The backend of an LLM realizer (`writ.dialogue.realizer`) for a scripted side, or None."""
    if not realizer:
        return None
    kind, model_spec, _ = parse_actor_spec(realizer, "user")
    if kind != "llm":
        raise ActorSpecError(f"--realizer {realizer!r}: use openai:MODEL or hf:PATH")
    return _backend(realizer, model_spec, side, model_options)


def _realized(actor: Any, backend: Any, role: str, task: Task) -> Any:
    if backend is None or not hasattr(actor, "cues"):
        return actor  # the legacy plan-following pair has no readings to guard a rewrite with
    from writ.dialogue.realizer import RealizedActor

    persona = (task.user_scenario or {}).get("persona") or "" if role == "user" else ""
    return RealizedActor(actor, backend, role, actor.cues, persona=persona)


def make_agent_factory(spec: str, *, seed: int = 0, prompt: Any = None, realizer: str | None = None,
                       **model_options: Any) -> ActorFactory:
    """The agent factory a spec names; `model_options` go to `make_backend` (base_url, params, ...).

    `prompt` (`writ.agents.setup.PromptOptions`) changes what an LLM agent is shown; the scripted
    teacher reads no prompt, so it ignores them. `realizer` (``openai:MODEL``/``hf:PATH``) has an
    LLM rewrite the scripted teacher's words, guarded (`writ.dialogue.realizer`).
    """
    kind, model_spec, guided = parse_actor_spec(spec, "agent")
    if kind == "scripted":
        from writ.agents.plan_teacher import ScriptedTeacher as PlanTeacher
        from writ.agents.scripted import SKILLED_DOMAINS, scripted_teacher

        rewriter = _realizer(realizer, "agent", model_options)

        def scripted(task: Task, data: DomainData, attempt: int) -> Agent:
            if data.domain.name in SKILLED_DOMAINS and _has_frames(task):
                teacher = scripted_teacher(data.domain.name, seed=f"{task.id}/{_seed(seed, attempt)}")
                return _realized(teacher, rewriter, "assistant", task)
            return PlanTeacher(task, data.domain, seed=_seed(seed, attempt))

        extra = {"realizer": realizer, **model_options} if realizer else {}
        return ActorFactory("scripted", scripted, seed=seed, options={"realizer": realizer} if realizer else None,
                            backend=rewriter, recipe=(make_agent_factory, spec, seed, extra))
    llm = _import("writ.agents.llm", spec, "agent")
    backend = _backend(spec, model_spec, "agent", model_options)

    def model_agent(task: Task, data: DomainData, attempt: int) -> Agent:
        return llm.LLMAgent(task, data, backend, guided=guided, prompt=prompt)

    recipe = dict(model_options, **({"prompt": prompt} if prompt else {}))
    return _with_prompt(ActorFactory(spec.strip(), model_agent, seed=seed, options=model_options, backend=backend,
                                     recipe=(make_agent_factory, spec, seed, recipe)), prompt)


def make_user_factory(spec: str, *, seed: int = 0, prompt: Any = None, realizer: str | None = None,
                      **model_options: Any) -> ActorFactory:
    """The user-simulator factory a spec names; `model_options` go to `make_backend`.

    `prompt` gives an LLM user the device tool schemas of an agent prompt file (``user_tools``).
    """
    kind, model_spec, _ = parse_actor_spec(spec, "user")
    if kind == "scripted":
        from writ.users.plan_user import ScriptedUser as PlanUser
        from writ.users.scripted import ScriptedUser

        rewriter = _realizer(realizer, "user", model_options)

        def scripted(task: Task, data: DomainData, attempt: int) -> UserSimulator:
            if _has_frames(task):
                return _realized(ScriptedUser(task, seed=_seed(seed, attempt)), rewriter, "user", task)
            return PlanUser(task, seed=_seed(seed, attempt))

        extra = {"realizer": realizer, **model_options} if realizer else {}
        return ActorFactory("scripted", scripted, seed=seed, options={"realizer": realizer} if realizer else None,
                            backend=rewriter, recipe=(make_user_factory, spec, seed, extra))
    llm = _import("writ.users.llm", spec, "user")
    backend = _backend(spec, model_spec, "user", model_options)

    user_prompt = prompt if prompt and any(p.user_tools is not None for p in prompt.agent_prompts.values()) else None

    def model_user(task: Task, data: DomainData, attempt: int) -> UserSimulator:
        return llm.LLMUser(task, data, backend, prompt=user_prompt)

    recipe = dict(model_options, **({"prompt": user_prompt} if user_prompt else {}))
    return _with_prompt(ActorFactory(spec.strip(), model_user, seed=seed, options=model_options, backend=backend,
                                     recipe=(make_user_factory, spec, seed, recipe)), user_prompt)
