"""Actor specs: one string names who plays the agent and who plays the user.

``scripted`` is the offline pair (`ScriptedTeacher`, `ScriptedUser`); ``openai:MODEL``,
``hf:PATH`` (and for the agent ``guided:openai:MODEL``) put an LLM behind `writ.agents.llm` /
`writ.users.llm` through `writ.models.make_backend`. A factory makes one fresh actor per episode,
``factory(task, data, attempt)``, because actors keep per-episode state; LLM factories share one
backend across episodes, so its connection pool and per-endpoint concurrency limit are global.

Scripted actors are seeded by ``(seed, attempt)`` only, so an episode depends on nothing but its
task and attempt number: a resumed run reproduces exactly what an uninterrupted one would have.
LLM actors get the same property from `writ.models.sampling`: each episode talks to the shared
backend through a `SeededBackend` that sends the run's sampling settings and a seed derived from
(seed, task, attempt, side, turn), so a retry never repeats the request that failed.

The scripted teacher reads the scripted user's private annotations (what each message means), so
it plays only opposite the scripted user (`check_pair`).

The LLM modules are imported when a factory is made, not when this module is, so ``scripted``
runs do not pay for them; a backend that cannot be made (a bad option, a missing model file, a
missing extra) is reported once, up front, in one line.

A factory made here pickles as its recipe (maker, spec, seed, options), not as its backend: an
HTTP client or a loaded model cannot cross processes, so another process (a Ray worker) that
unpickles it builds its own backend from the same spec, with the same endpoints and sampling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from writ.core import Agent, UserSimulator
from writ.data import DomainData
from writ.task import Task

__all__ = ["ActorFactory", "ActorSpecError", "check_pair", "check_tasks", "close_factories", "has_frames",
           "make_agent_factory", "make_user_factory", "parse_actor_spec"]

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


def check_pair(agent: str, user: str) -> None:
    """Refuse a scripted teacher opposite any user but the scripted one, in one line.

    The scripted teacher understands the scripted customer through the readings it attaches to its
    messages (parses of their own text); an LLM user's words carry none, so the teacher would hear
    no request at all.
    """
    parse_actor_spec(agent, "agent")  # a malformed spec is the more useful error
    parse_actor_spec(user, "user")
    if (agent or "").strip() == "scripted" and (user or "").strip() != "scripted":
        raise ActorSpecError(f"--agent scripted needs --user scripted (got --user {user}): the scripted teacher "
                             "understands only the scripted user's annotated messages; use an LLM agent "
                             "(openai:MODEL or guided:openai:MODEL) opposite an LLM user")


# Backend options that change where or how fast a model answers, never what it answers.
_NOT_IDENTITY = {"base_url", "api_key_env", "concurrency", "timeout", "retries", "meter", "cache_path", "cache_all",
                 "prices", "device", "name", "max_response_bytes"}


class ActorFactory:
    """``factory(task, data, attempt) -> actor``, carrying the `spec` it was made from.

    `config` is what the run store compares on resume: the spec, the seed and the model options
    that change answers (sampling parameters), not the endpoints or timeouts.
    """

    def __init__(self, spec: str, make: Callable[[Task, DomainData, int], Any], *, seed: int = 0,
                 options: dict[str, Any] | None = None, backend: Any = None,
                 recipe: tuple[Callable[..., ActorFactory], str, int, dict[str, Any]] | None = None):
        self.spec = spec
        self._make = make
        self.backend = backend
        self.unpriced = _unpriced(backend)  # the model's name when no price is known for it
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


def has_frames(task: Task) -> bool:
    """Whether the offline pair can play `task`: a writ task whose every request has a frame."""
    requests = (task.writ or {}).get("requests") or []
    return bool(requests) and all(r.get("frame") for r in requests)


def check_tasks(agent: str, user: str, tasks: list[Task]) -> None:
    """Refuse, in one line and before anything runs, a scripted actor opposite tasks it cannot play.

    The scripted pair speaks from a writ task's request frames; tau2's own tasks carry none (they
    are for evaluating an LLM agent opposite an LLM user)."""
    scripted = [side for side, spec in (("agent", agent), ("user", user)) if (spec or "").strip() == "scripted"]
    bare = [t.id for t in tasks if not has_frames(t)]
    if scripted and bare:
        raise ActorSpecError(f"--{scripted[0]} scripted plays only writ-generated tasks (requests with frames); "
                             f"{len(bare)} of {len(tasks)} tasks have none (e.g. {bare[0]}): use an LLM "
                             f"{scripted[0]} (openai:MODEL) for tau2's own tasks")


def _require_frames(task: Task) -> None:
    if not has_frames(task):
        raise ActorSpecError(f"task {task.id}: the scripted pair plays writ-generated tasks (requests with frames); "
                             "tau2's own tasks are for evaluating an LLM agent")


def _unpriced(backend: Any) -> str | None:
    """The model name a backend charges $0 for only because its price table does not know it."""
    if backend is None:
        return None
    inner = getattr(backend, "inner", backend)
    prices = getattr(inner, "prices", None)
    model = getattr(inner, "model", None) or getattr(inner, "name", "")
    return None if prices is None or prices.knows(model) else str(model)


def _seed(seed: int, attempt: int) -> int | str:
    return attempt if seed == 0 else f"{seed}/{attempt}"


def _one_line(spec: str, side: str, exc: Exception) -> ActorSpecError:
    return ActorSpecError(f"--{side} {spec}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


def _backend(spec: str, model_spec: str, side: str, model_options: dict[str, Any]) -> tuple[Any, Any]:
    """The shared backend and the `SamplingSettings` its episodes send (``sampling`` option)."""
    from writ.models import make_backend
    from writ.models.sampling import SamplingSettings

    options = dict(model_options)
    try:
        settings = SamplingSettings.from_json(options.pop("sampling", None))
        return make_backend(model_spec, **options), settings
    except (ValueError, TypeError, OSError, ImportError) as exc:  # a bad option, a missing file or extra
        raise _one_line(spec, side, exc) from None


def _seeded(backend: Any, settings: Any, seed: int, task: Task, attempt: int, side: str) -> Any:
    from writ.models.sampling import SeededBackend

    return SeededBackend(backend, settings, run_seed=seed, task_id=task.id, attempt=attempt, side=side)


def _with_prompt(factory: ActorFactory, prompt: Any) -> ActorFactory:
    """Record an LLM actor's agent prompt / policy files in its config: they change its answers."""
    if prompt:
        factory.config["prompt"] = prompt.identity()
    return factory


def _realizer(realizer: str | None, side: str, model_options: dict[str, Any]) -> tuple[Any, Any]:
    """(backend, sampling settings) of an LLM realizer (`writ.dialogue.realizer`) for a scripted side."""
    if not realizer:
        return None, None
    kind, model_spec, _ = parse_actor_spec(realizer, "user")
    if kind != "llm":
        raise ActorSpecError(f"--realizer {realizer!r}: use openai:MODEL or hf:PATH")
    return _backend(realizer, model_spec, side, model_options)


def _realized(actor: Any, rewriter: tuple[Any, Any], seed: int, task: Task, attempt: int, role: str) -> Any:
    """`actor`, its words rewritten by the realizer (each request seeded as an LLM actor's would be)."""
    backend, settings = rewriter
    if backend is None or not hasattr(actor, "cues"):
        return actor  # the legacy plan-following pair has no readings to guard a rewrite with
    from writ.dialogue.realizer import RealizedActor

    persona = ((task.user_scenario or {}).get("persona") or "") if role == "user" else ""
    seeded = _seeded(backend, settings, seed, task, attempt, f"realizer-{role}")
    return RealizedActor(actor, seeded, role, actor.cues, persona=persona)


def make_agent_factory(spec: str, *, seed: int = 0, prompt: Any = None, realizer: str | None = None,
                       **model_options: Any) -> ActorFactory:
    """The agent factory a spec names; `model_options` go to `make_backend` (base_url, prices, ...)
    but ``sampling`` (a `SamplingSettings` or its JSON), which each episode sends per request.

    `prompt` (`writ.agents.setup.PromptOptions`) changes what an LLM agent is shown; the scripted
    teacher reads no prompt, so it ignores them. `realizer` (``openai:MODEL``/``hf:PATH``) has an
    LLM rewrite the scripted teacher's words, guarded (`writ.dialogue.realizer`).
    """
    kind, model_spec, guided = parse_actor_spec(spec, "agent")
    if kind == "scripted":
        from writ.agents.scripted import SKILLED_DOMAINS, scripted_teacher

        rewriter = _realizer(realizer, "agent", model_options)

        def scripted(task: Task, data: DomainData, attempt: int) -> Agent:
            if data.domain.name not in SKILLED_DOMAINS:
                raise ActorSpecError(f"the scripted teacher has no skills for domain {data.domain.name}")
            _require_frames(task)
            teacher = scripted_teacher(data.domain.name, seed=f"{task.id}/{_seed(seed, attempt)}")
            return _realized(teacher, rewriter, seed, task, attempt, "assistant")

        extra = {"realizer": realizer, **model_options} if realizer else {}
        options = {"realizer": realizer, "sampling": rewriter[1].to_json()} if realizer else None
        return ActorFactory("scripted", scripted, seed=seed, options=options, backend=rewriter[0],
                            recipe=(make_agent_factory, spec, seed, extra))
    from writ.agents import llm

    backend, settings = _backend(spec, model_spec, "agent", model_options)

    def model_agent(task: Task, data: DomainData, attempt: int) -> Agent:
        return llm.LLMAgent(task, data, _seeded(backend, settings, seed, task, attempt, "agent"), guided=guided,
                            prompt=prompt)

    options = {**model_options, "sampling": settings.to_json()}
    recipe = dict(options, **({"prompt": prompt} if prompt else {}))
    return _with_prompt(ActorFactory(spec.strip(), model_agent, seed=seed, options=options, backend=backend,
                                     recipe=(make_agent_factory, spec, seed, recipe)), prompt)


def make_user_factory(spec: str, *, seed: int = 0, prompt: Any = None, realizer: str | None = None,
                      **model_options: Any) -> ActorFactory:
    """The user-simulator factory a spec names; `model_options` as for `make_agent_factory`.

    `prompt` gives an LLM user the device tool schemas of an agent prompt file (``user_tools``).
    """
    kind, model_spec, _ = parse_actor_spec(spec, "user")
    if kind == "scripted":
        from writ.users.scripted import ScriptedUser

        rewriter = _realizer(realizer, "user", model_options)

        def scripted(task: Task, data: DomainData, attempt: int) -> UserSimulator:
            _require_frames(task)
            return _realized(ScriptedUser(task, seed=_seed(seed, attempt)), rewriter, seed, task, attempt, "user")

        extra = {"realizer": realizer, **model_options} if realizer else {}
        options = {"realizer": realizer, "sampling": rewriter[1].to_json()} if realizer else None
        return ActorFactory("scripted", scripted, seed=seed, options=options, backend=rewriter[0],
                            recipe=(make_user_factory, spec, seed, extra))
    from writ.users import llm

    backend, settings = _backend(spec, model_spec, "user", model_options)

    user_prompt = prompt if prompt and any(p.user_tools is not None for p in prompt.agent_prompts.values()) else None

    def model_user(task: Task, data: DomainData, attempt: int) -> UserSimulator:
        return llm.LLMUser(task, data, _seeded(backend, settings, seed, task, attempt, "user"), prompt=user_prompt)

    options = {**model_options, "sampling": settings.to_json()}
    recipe = dict(options, **({"prompt": user_prompt} if user_prompt else {}))
    return _with_prompt(ActorFactory(spec.strip(), model_user, seed=seed, options=options, backend=backend,
                                     recipe=(make_user_factory, spec, seed, recipe)), user_prompt)
