"""`writ export --budget`: real runs of the public pipeline, selected, split by task, byte-identical."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from writ.cli import main
from writ.export import export_run, read_jsonl
from writ.synth import ConfigError, load_config, run_synth


def cli(*args):
    try:
        main(["export", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _rows(out):
    return [row for split in ("train", "validation") if (out / f"{split}.jsonl").exists()
            for row in read_jsonl(out / f"{split}.jsonl")]


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory):
    """48 retail tasks over writes 1-3 x evidence 0-3, two behaviour variants each; the config selects 30."""
    out = tmp_path_factory.mktemp("synth") / "job"
    cfg = load_config(None, {"out": str(out), "domains": ["retail"], "tasks.n": 48, "tasks.writes": "1-3",
                             "tasks.evidence": "0-3", "users.variants": 2, "export.formats": ["trl"],
                             "export.budget": 30, "export.max_per_task": 1, "report": False})
    result = run_synth(cfg, progress=False, say=lambda line: None)
    assert result.kept >= 80, "the scripted pair should keep nearly every variant"
    return result


def test_synth_config_budget_selects_before_the_split(synth_run):
    manifest = synth_run.exports["trl"].manifest
    assert manifest["counts"]["exported"] == 30 and manifest["options"]["budget"] == 30
    rows = _rows(synth_run.out / "export" / "trl")
    assert len(rows) == 30 and len({r["stem"] for r in rows}) == 30  # no task twice
    card = (synth_run.out / "export" / "trl" / "README.md").read_text()
    assert "## Selection" in card and "30 of " in card and "at most 1 variant(s) per task" in card


def test_done_when_budget_uniform_one_per_task_byte_identical(synth_run, tmp_path, capsys):
    run = synth_run.out / "run"
    args = ["--budget", "30", "--mix", "uniform", "--max-per-task", "1", "--format", "trl"]
    assert cli(str(run), "--out", str(tmp_path / "a"), *args) == 0
    assert cli(str(run), "--out", str(tmp_path / "b"), *args) == 0
    assert "exported 30 trajectories" in capsys.readouterr().err
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["README.md", "manifest.json", "train.jsonl", "validation.jsonl"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    rows = _rows(tmp_path / "a")
    assert len(rows) == 30 and len({r["stem"] for r in rows}) == len({r["task_id"] for r in rows}) == 30
    selection = json.loads((tmp_path / "a" / "manifest.json").read_text())["selection"]
    counts = Counter(f"{r['n_writes']}x{r['evidence']}" for r in rows)
    assert {c: v["selected"] for c, v in selection["cells"].items() if v["selected"]} == dict(counts)
    enough = [counts[c] for c, v in selection["cells"].items() if v["eligible"] > counts[c]]
    assert enough and max(enough) - min(enough) <= 1
    assert selection["settings"] == {"budget": 30, "mix": "uniform", "max_per_task": 1, "seed": 0}
    assert sum(v["selected"] for v in selection["domains"].values()) == 30


def test_another_seed_selects_other_trajectories(synth_run, tmp_path):
    a = export_run(synth_run.out / "run", tmp_path / "a", fmt="openai", budget=20, seed=0)
    b = export_run(synth_run.out / "run", tmp_path / "b", fmt="openai", budget=20, seed=1)
    assert a.manifest["counts"]["exported"] == b.manifest["counts"]["exported"] == 20
    assert a.manifest["files"] != b.manifest["files"]


def test_variants_of_a_selected_task_stay_on_one_side(synth_run, tmp_path):
    for seed in range(3):
        out = tmp_path / str(seed)
        export_run(synth_run.out / "run", out, fmt="trl", budget=70, max_per_task=2, val_fraction=0.3, seed=seed)
        train, validation = (read_jsonl(out / f"{s}.jsonl") for s in ("train", "validation"))
        assert len(train) + len(validation) == 70 and validation
        assert not {r["stem"] for r in train} & {r["stem"] for r in validation}
        assert sorted(Counter(Counter(r["stem"] for r in train + validation).values()).items()) == [(1, 26), (2, 22)]


def test_budget_larger_than_kept_exports_everything_and_a_cap_alone_caps(runs, tmp_path):
    everything = export_run(runs[0], tmp_path / "all", fmt="openai", val_fraction=0)
    big = export_run(runs[0], tmp_path / "big", fmt="openai", val_fraction=0, budget=10_000)
    assert big.manifest["counts"]["exported"] == everything.manifest["counts"]["exported"]
    capped = export_run(runs[0], tmp_path / "cap", fmt="trl", val_fraction=0, max_per_task=1)
    stems = Counter(r["stem"] for r in _rows(tmp_path / "cap"))
    assert set(stems.values()) == {1} and len(stems) == capped.manifest["counts"]["exported"]
    assert capped.manifest["selection"]["settings"]["budget"] is None


@pytest.mark.parametrize("args, expected", [
    (("--budget", "0"), "writ: error: --budget must be a whole number of at least 1, got 0"),
    (("--budget", "-5"), "writ: error: --budget must be a whole number of at least 1, got -5"),
    (("--budget", "10", "--mix", "balanced"), ("writ: error: unknown mix 'balanced' (use uniform, read-heavy, "
                                               "write-heavy or a table such as '1x0=1,3x*=2')")),
    (("--budget", "10", "--mix", "9x40=2"), "writ: error: mix table: unknown cell '9x40': no kept trajectory has it"),
    (("--budget", "10", "--mix", "2x=1"), "writ: error: mix table: unknown cell '2x' (use WRITESxEVIDENCE"),
    (("--mix", "read-heavy"), "writ: error: --mix spreads a --budget over cells; give --budget too"),
    (("--max-per-task", "0"), "writ: error: --max-per-task must be a whole number of at least 1, got 0"),
])
def test_bad_selection_settings_are_one_line_errors(runs, tmp_path, capsys, args, expected):
    assert cli(str(runs[0]), "--out", str(tmp_path / "o"), *args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(expected) and "\n" not in err
    assert not (tmp_path / "o").exists()  # nothing written


@pytest.mark.parametrize("overrides, expected", [
    ({"export.budget": 0}, "flags: export.budget: Input should be greater than 0"),
    ({"export.mix": "balanced"}, "flags: export.mix: unknown mix 'balanced'"),
    ({"export.mix": {"2x*": 1, "7x1": 2}}, "flags: export.mix: mix table: cell '7x1' lies outside the grid writes 1-5"),
    ({"export.max_per_task": 0}, "flags: export.max_per_task: Input should be greater than 0"),
])
def test_bad_synth_export_settings_fail_before_any_work(overrides, expected):
    with pytest.raises(ConfigError) as info:
        load_config(None, overrides)
    assert str(info.value).startswith(expected) and "\n" not in str(info.value)


def test_a_heavy_weighted_short_cell_spills_and_the_card_says_where(synth_run, tmp_path, capsys):
    run = synth_run.out / "run"
    assert cli(str(run), "--out", str(tmp_path / "o"), "--budget", "30", "--mix", "*x*=1,1x0=20",
               "--max-per-task", "1", "--format", "trl") == 0
    assert "1 cells short of their share" in capsys.readouterr().err
    selection = json.loads((tmp_path / "o" / "manifest.json").read_text())["selection"]
    [spill] = selection["spills"]
    short = selection["cells"]["1x0"]
    assert spill["cell"] == "1x0" and short["selected"] == short["eligible"] == spill["available"] < spill["share"]
    assert sum(spill["to"].values()) == spill["share"] - spill["available"]
    assert "1x1" in spill["to"] and "2x0" in spill["to"]  # its neighbours take the remainder first
    card = (tmp_path / "o" / "README.md").read_text()
    assert f"- cell 1x0 had {spill['available']} trajectories for a share of {spill['share']}; the remaining" in card
    assert len(_rows(tmp_path / "o")) == 30
