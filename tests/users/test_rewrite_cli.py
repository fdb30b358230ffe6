"""The realizer's model settings reach the server with a seed of their own per request, and the old
`users diversify --rewrite` points to `--realizer` in one line."""

from __future__ import annotations

from tests.models.helpers import RecordingServer
from tests.verify.conftest import cancel_task
from writ.cli import main
from writ.models import serve_in_thread
from writ.models.base import ModelReply
from writ.sim.runstore import RunStore
from writ.task import save_tasks


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


class Echo:
    """Returns the message to rewrite, unchanged: every rewrite passes its guard."""

    name = "m"

    async def complete(self, messages, tools=None, **params):
        return ModelReply(content=messages[-1]["content"].split("Message to rewrite: ", 1)[1])


def test_realizer_settings_and_seeds_reach_the_server(retail, tmp_path):
    tasks = tmp_path / "tasks.json"
    save_tasks([cancel_task(retail, with_info=True)], tasks)
    with serve_in_thread(Echo(), server_cls=RecordingServer) as server:
        args = ["simulate", str(tasks), "--run", str(tmp_path / "run"), "--realizer", "openai:m", "--base-url",
                server.base_url, "--max-tokens", "40", "--extra-body", '{"top_k": 3}', "--temperature", "0.2",
                "--no-progress"]
        assert cli(*args) == 0
        sent = server.sampling()
    assert sent and all(b["temperature"] == 0.2 and b["max_tokens"] == 40 and b["top_k"] == 3 for b in sent)
    assert len({b["seed"] for b in sent}) == len(sent)  # every request of every side: a seed of its own
    episode = next(RunStore.read(tmp_path / "run").episodes())
    assert episode.passed and episode.meta["realized_agent"] > 0 and episode.meta["realized_user"] > 0


def test_diversify_rewrite_points_to_the_realizer(retail, tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    save_tasks([cancel_task(retail)], tasks)
    assert cli("users", "diversify", str(tasks), "--rewrite", "openai:m", "--out", str(tmp_path / "o.json")) == 2
    err = capsys.readouterr().err
    assert "--realizer" in err and err.count("\n") == 1
