"""The configuration of `writ synth`: one YAML file (or flags) for the whole pipeline.

Every field has a default that runs offline (generated database, scripted teacher and user), so
``writ synth --domain retail --n 200`` is a complete job. A config file is validated up front and
a mistake is reported as one line naming the field, before any work starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from writ.export.mix import SelectionError, parse_mix
from writ.limits import over_limit, url_problem
from writ.tasks.axes import RangeError, parse_range

__all__ = ["ConfigError", "ModelParams", "SynthConfig", "load_config"]


class ConfigError(ValueError):
    """A broken synth config; the message is one line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DataConfig(_Strict):
    tau2_data: str | None = None
    data: str | None = None
    seed: int = 0
    scale: float = Field(1.0, gt=0)


class TasksConfig(_Strict):
    n: int = Field(200, gt=0)
    writes: str = "1-5"
    evidence: str = "0-10"
    seed: int = 0
    mode: Literal["grid", "mix"] = "grid"
    attempts: int = Field(12, gt=0)
    outcomes: dict[str, float] | str | None = None  # e.g. {write: 0.8, refuse: 0.2}; None: the domain's mix

    @field_validator("outcomes")
    @classmethod
    def _outcomes(cls, value: Any) -> Any:
        from writ.tasks.axes import RangeError, parse_outcomes

        try:
            return parse_outcomes(value)
        except RangeError as exc:
            raise ValueError(str(exc).removeprefix("--outcomes").lstrip(": ")) from None


class UsersConfig(_Strict):
    variants: int = Field(1, ge=0)  # 0: no behaviour variants (the cooperative default user)
    seed: int = 0
    behaviours: list[str] | None = None


class ModelParams(_Strict):
    """What every request to one model asks (None: the server's default; see `writ.models.sampling`)."""

    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    max_tokens: int | None = Field(None, gt=0)
    retry_temperature: float | None = Field(None, ge=0, le=2)  # later attempts when temperature is 0/unset
    extra_body: dict[str, Any] | None = None  # merged into every request body (chat_template_kwargs, top_k...)
    timeout: float | None = Field(None, gt=0)  # seconds per model call
    max_response_bytes: int | None = Field(None, gt=0)  # a larger response is a recorded failure


class SimulateConfig(_Strict):
    agent: str = "scripted"
    user: str = "scripted"
    realizer: str | None = None  # openai:MODEL or hf:PATH rewrites the scripted pair's words (writ.dialogue.realizer)
    agent_params: ModelParams = Field(default_factory=ModelParams)
    user_params: ModelParams = Field(default_factory=ModelParams)
    cache: str | None = None  # SQLite response cache shared by both models
    prices: str | None = None  # YAML price table (USD per 1M tokens)
    progress_every: float = Field(30.0, gt=0)  # seconds between progress lines in a log
    base_url: list[str] = Field(default_factory=list)
    concurrency: int = Field(64, gt=0)
    attempts: int = Field(3, gt=0)
    max_steps: int = Field(300, gt=1)
    max_errors: int = Field(10, gt=0)
    seed: int = 0
    executor: Literal["local", "ray"] = "local"  # ray also shards task generation (writ.sim.executor)
    address: str | None = None  # ray: auto, ray://head:10001, or none for RAY_ADDRESS / a local cluster
    workers: int | None = Field(None, gt=0)  # ray: actors per stage (default one per cluster CPU)

    @field_validator("base_url", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("base_url")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        for url in value:
            problem = url_problem(url)
            if problem:
                from writ.redact import redact_url

                raise ValueError(f"{redact_url(url)!r}: {problem}")
        return value


class ExportConfig(_Strict):
    formats: list[Literal["openai", "trl", "sharegpt", "parquet"]] = Field(default_factory=lambda: ["openai", "trl"])
    val_fraction: float = Field(0.1, ge=0, lt=1)
    weights: Literal["all", "last", "writes", "none"] = "none"
    seed: int = 0
    budget: int | None = Field(None, gt=0)  # exactly min(budget, kept) trajectories, balanced (writ.export.select)
    mix: str | dict[str, float] = "uniform"  # uniform, read-heavy, write-heavy, or {"2x*": 3, ...}
    max_per_task: int | None = Field(None, gt=0)  # behaviour variants of one task at most

    @field_validator("mix")
    @classmethod
    def _mix(cls, value: Any) -> Any:
        try:
            parse_mix(value)
        except SelectionError as exc:
            raise ValueError(str(exc)) from None
        return value


# An agent prompt or policy file: FILE (the job's only domain), or per domain {retail: FILE, ...}
# (a list of FILE / DOMAIN=FILE, as the repeatable flags give it, works too).
FileSpec = str | dict[str, str] | list[str] | None


class SynthConfig(_Strict):
    domains: list[str] = Field(default_factory=lambda: ["retail"])
    out: str = "runs/synth"
    agent_prompt: FileSpec = None  # writ.agents.setup: system prompt template + tool schemas (e.g. tau2's)
    policy: FileSpec = None  # the policy text the agent is given instead of the data source's
    data: DataConfig = Field(default_factory=DataConfig)
    tasks: TasksConfig = Field(default_factory=TasksConfig)
    users: UsersConfig = Field(default_factory=UsersConfig)
    simulate: SimulateConfig = Field(default_factory=SimulateConfig)
    export: ExportConfig = Field(default_factory=ExportConfig)
    report: bool = True

    @field_validator("domains", mode="before")
    @classmethod
    def _domains(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _mix_inside_grid(self) -> SynthConfig:
        """A weight table naming cells the tasks stage cannot make fails now, not after the simulation."""
        try:
            writes = parse_range(self.tasks.writes, "writes", minimum=0, maximum=12)
            evidence = parse_range(self.tasks.evidence, "evidence", minimum=0, maximum=60)
        except RangeError:
            return self  # the tasks stage reports a bad range itself
        try:
            parse_mix(self.export.mix).check_grid((writes.low, writes.high), (evidence.low, evidence.high))
        except SelectionError as exc:
            raise ValueError(f"export.mix: {exc}") from None
        return self


def _one_line(exc: ValidationError, source: str) -> str:
    first = exc.errors()[0]
    message = first["msg"].removeprefix("Value error, ")  # a validator's own one-line message
    where = ".".join(str(p) for p in first["loc"])
    return f"{source}: {where}: {message}" if where else f"{source}: {message}"


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> SynthConfig:
    """Read a YAML config (optional) and apply flag overrides given as dotted keys."""
    raw: dict[str, Any] = {}
    source = "flags"
    if path is not None:
        source = str(path)
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such config file") from None
        except IsADirectoryError:
            raise ConfigError(f"{path}: is a directory, not a config file") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not a YAML config (not UTF-8 text)") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raise ConfigError(f"{path}: not valid YAML{where}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: the config must be a mapping of sections")
        raw = loaded
    if "domain" in raw and "domains" not in raw:
        raw["domains"] = raw.pop("domain")
    for dotted, value in (overrides or {}).items():
        if value is None:
            continue
        node = raw
        *parents, leaf = dotted.split(".")
        for depth, part in enumerate(parents):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                where = ".".join(parents[:depth + 1])
                raise ConfigError(f"{source}: {where}: expected a mapping of settings, got {child!r}")
            node = child
        node[leaf] = value
    try:
        cfg = SynthConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, source)) from None
    _check_bounds(cfg, source)
    return cfg


def _check_bounds(cfg: SynthConfig, source: str) -> None:
    """The sizes of `writ.limits`: a typo in n or scale is an error now, not a machine out of memory."""
    checks = [("tasks", cfg.tasks.n, "tasks.n"), ("scale", cfg.data.scale, "data.scale"),
              ("variants", cfg.users.variants, "users.variants"),
              ("attempts", cfg.simulate.attempts, "simulate.attempts"),
              ("attempts", cfg.tasks.attempts, "tasks.attempts"),
              ("concurrency", cfg.simulate.concurrency, "simulate.concurrency"),
              ("steps", cfg.simulate.max_steps, "simulate.max_steps"),
              ("workers", cfg.simulate.workers or 0, "simulate.workers")]
    for kind, value, where in checks:
        try:
            problem = over_limit(kind, value, where)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if problem:
            raise ConfigError(f"{source}: {problem}")
