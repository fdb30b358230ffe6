import asyncio

from writ.models import CachedBackend, ResponseCache, ScriptedBackend, UsageMeter, is_reproducible, request_key
from writ.models.usage import PriceTable

MSGS = [{"role": "user", "content": "hi"}]


class Priced(ScriptedBackend):
    """A scripted backend that charges like a paid API."""

    def __init__(self, **kw):
        super().__init__(["first", "second", "third"], **kw)
        self.prices = PriceTable({"scripted": {"prompt": 1000.0, "completion": 1000.0}})

    async def complete(self, messages, tools=None, **params):
        reply = await super().complete(messages, tools, **params)
        reply.usage.cost = self.prices.cost(self.name, reply.usage.prompt_tokens, reply.usage.completion_tokens)
        return reply


def run(coro):
    return asyncio.run(coro)


def test_rerun_hits_cache_at_zero_cost(tmp_path):
    path = tmp_path / "cache.sqlite"
    inner = Priced()
    first = run(CachedBackend(inner, path).complete(MSGS, temperature=0))
    assert first.usage.cost > 0 and not first.usage.cached
    # a new process would open the file afresh: a new cache object, same file
    meter = UsageMeter()
    again = run(CachedBackend(inner, ResponseCache(path), meter=meter).complete(MSGS, temperature=0))
    assert again.content == "first" and again.usage.cached and again.usage.cost == 0.0
    assert again.usage.prompt_tokens == first.usage.prompt_tokens
    assert inner.calls == 1
    assert meter.total.cached_calls == 1 and meter.total.cost == 0.0


def test_sampled_requests_are_not_cached_unless_asked(tmp_path):
    inner = Priced()
    cached = CachedBackend(inner, tmp_path / "c.sqlite")
    assert run(cached.complete(MSGS, temperature=0.7)).content == "first"
    assert run(cached.complete(MSGS, temperature=0.7)).content == "second"  # fresh draw
    assert run(cached.complete(MSGS)).content == "third"  # no temperature: server default samples
    seeded = [run(cached.complete(MSGS, temperature=0.7, seed=1)).content for _ in range(2)]
    assert seeded[0] == seeded[1]
    everything = CachedBackend(Priced(), tmp_path / "all.sqlite", cache_all=True)
    assert {run(everything.complete(MSGS, temperature=1.0)).content for _ in range(3)} == {"first"}


def test_key_covers_the_whole_request():
    base = request_key({"model": "m"}, MSGS, None, {"temperature": 0})
    assert base == request_key({"model": "m"}, [dict(MSGS[0])], [], {"temperature": 0})
    assert base != request_key({"model": "m2"}, MSGS, None, {"temperature": 0})
    assert base != request_key({"model": "m", "extra_body": {"x": 1}}, MSGS, None, {"temperature": 0})
    assert base != request_key({"model": "m"}, MSGS, [{"type": "function"}], {"temperature": 0})
    assert base != request_key({"model": "m"}, MSGS, None, {"temperature": 0, "max_tokens": 5})
    assert base != request_key({"model": "m"}, [{"role": "user", "content": "hi!"}], None, {"temperature": 0})


def test_backend_defaults_decide_reproducibility(tmp_path):
    inner = Priced()
    inner.cache_identity = lambda: {"name": "scripted", "params": {"temperature": 0}}
    cached = CachedBackend(inner, tmp_path / "c.sqlite")
    assert {run(cached.complete(MSGS)).content for _ in range(2)} == {"first"}
    assert is_reproducible({"seed": 0}) and is_reproducible({"temperature": 0.0})
    assert not is_reproducible({}) and not is_reproducible({"temperature": 0.2})


def test_concurrent_writers_share_one_file(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite")
    cached = CachedBackend(ScriptedBackend(["x"]), cache, cache_all=True)

    async def go():
        await asyncio.gather(*(cached.complete([{"role": "user", "content": str(i)}]) for i in range(50)))

    run(go())
    assert len(cache) == 50
    assert cache._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
