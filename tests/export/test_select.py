"""Budgeted selection on synthetic metadata rows: size, balance, spill, caps, determinism, bad settings."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from writ.export import Budget, Candidate, SelectionError, allocate, parse_mix, select
from writ.export.select import selection_card


def rows_for(cells: dict[tuple[int, int], int], variants: int = 1, behaviours=("polite", "terse", "typos"),
             domains=("retail",), prefix: str = "t") -> list[Candidate]:
    """`cells[(w, e)]` task stems per cell, each with `variants` rows (behaviours and domains cycled)."""
    out, k = [], 0
    for (w, e), stems in sorted(cells.items()):
        for s in range(stems):
            stem = f"{prefix}-{w}x{e}-{s}"
            for v in range(variants):
                out.append(Candidate(f"{stem}-v{v}#0", f"{stem}-v{v}", stem, w, e,
                                     (behaviours[k % len(behaviours)],) if behaviours else (),
                                     domains[k % len(domains)]))
                k += 1
    return out


def per_cell(rows: list[Candidate], keys: set[str]) -> Counter:
    return Counter(r.cell for r in rows if r.key in keys)


def test_exact_budget_and_cap_for_any_budget():
    rows = rows_for({(w, e): 3 + (w * e) % 4 for w in range(1, 4) for e in range(5)}, variants=3)
    stems = len({r.stem for r in rows})
    for budget in (1, 7, 30, stems, stems + 5, 10_000):
        for cap in (None, 1, 2):
            selection = select(rows, Budget.of(budget, "uniform", cap, seed=1))
            eligible = stems * min(cap or 3, 3)
            assert len(selection.keys) == min(budget, eligible) == selection.to_json()["selected"]
            used = Counter(r.stem for r in rows if r.key in selection.keys)
            assert max(used.values()) <= (cap or 3)


def test_uniform_cells_with_enough_differ_by_at_most_one():
    rng = random.Random(5)
    for trial in range(20):
        cells = {(w, e): rng.choice([0, 1, 2, 5, 9, 20]) for w in range(1, 5) for e in range(6)}
        rows = rows_for({c: n for c, n in cells.items() if n}, variants=rng.choice([1, 2]))
        budget = rng.randint(10, len(rows))
        selection = select(rows, Budget.of(budget, "uniform", 1, seed=trial))
        counts = per_cell(rows, selection.keys)
        assert sum(counts.values()) == min(budget, selection.eligible)
        room = [counts[c] for c, fig in selection.cells.items() if fig["eligible"] > counts[c]]
        assert not room or max(room) - min(room) <= 1  # cells that could have given more are level
        assert not room or max(counts.values()) <= min(room) + 1  # and no cell is above that level


def test_a_short_cell_spills_to_its_nearest_cells():
    cells = {(w, e): 10 for w in range(1, 4) for e in range(5)}
    cells[(3, 4)] = 1
    rows = rows_for(cells)
    selection = select(rows, Budget.of(60, "uniform", 1))  # 15 cells, a share of 4 each
    counts = per_cell(rows, selection.keys)
    assert len(selection.keys) == 60 and counts[(3, 4)] == 1
    [spill] = selection.spills
    # distance 1 first (same writes row before another row), then distance 2 once those are a level up
    assert (spill.cell, spill.share, spill.available) == ((3, 4), 4, 1)
    assert spill.to == {(3, 3): 1, (2, 4): 1, (3, 2): 1}
    assert counts[(3, 3)] == counts[(2, 4)] == counts[(3, 2)] == 5
    assert all(n == 4 for c, n in counts.items() if c not in spill.to and c != (3, 4))
    card = "\n".join(selection_card(selection.to_json()))
    assert ("cell 3x4 had 1 trajectories for a share of 4; the remaining 3 went to the cells furthest below their "
            "level, nearest first: 2x4 (+1), 3x2 (+1), 3x3 (+1)") in card


def test_allocate_spreads_a_large_deficit_level_by_level():
    capacity = {(1, e): 100 for e in range(6)} | {(1, 6): 0}
    shares, counts, spills = allocate(70, {c: 1.0 for c in capacity}, capacity)
    assert shares[(1, 6)] == 10 and counts[(1, 6)] == 0 and sum(counts.values()) == 70
    assert sorted(counts[(1, e)] for e in range(6)) == [11, 11, 12, 12, 12, 12]
    assert spills[0].to == {(1, 0): 1, (1, 1): 1, (1, 2): 2, (1, 3): 2, (1, 4): 2, (1, 5): 2}  # nearer: one more


def test_weighted_mixes():
    rows = rows_for({(w, e): 40 for w in (1, 2) for e in (0, 2, 4)})
    heavy = per_cell(rows, select(rows, Budget.of(120, "read-heavy")).keys)
    assert [heavy[(1, e)] for e in (0, 2, 4)] == [10, 20, 30] == [heavy[(2, e)] for e in (0, 2, 4)]
    writes = per_cell(rows, select(rows, Budget.of(120, "write-heavy")).keys)
    assert sum(writes[(2, e)] for e in (0, 2, 4)) == 3 * sum(writes[(1, e)] for e in (0, 2, 4))
    table = select(rows, Budget.of(90, {"*x*": 1, "2x4": 4}))  # the last matching key wins
    counts = per_cell(rows, table.keys)
    assert counts[(2, 4)] == 4 * counts[(1, 0)] == 40 and table.to_json()["cells"]["2x4"]["weight"] == 4
    only = per_cell(rows, select(rows, Budget.of(50, "1x0-2=1")).keys)  # weight 0 elsewhere ...
    assert only == {(1, 0): 25, (1, 2): 25}
    spilled = select(rows, Budget.of(100, "1x0=1"))  # ... until the weighted cells are empty
    assert per_cell(rows, spilled.keys) == {(1, 0): 40} | {c: 12 for c in [(1, 2), (1, 4), (2, 0), (2, 2), (2, 4)]}


def test_behaviours_domains_and_new_stems_first():
    behaviours = ("polite",) * 5 + ("typos",)  # one in six rows has the rare behaviour
    rows = rows_for({(1, 0): 30}, variants=2, behaviours=behaviours)
    picked = [r for r in rows if r.key in select(rows, Budget.of(10, "uniform", 1)).keys]
    assert Counter(b for r in picked for b in r.behaviours) == {"typos": 5, "polite": 5}
    mixed = rows_for({(1, 0): 30}, variants=2, behaviours=(), domains=("retail",) * 5 + ("airline",))
    picked = [r for r in mixed if r.key in select(mixed, Budget.of(10, "uniform", 1)).keys]
    assert Counter(r.domain for r in picked) == {"retail": 5, "airline": 5}
    twice = [r for r in rows if r.key in select(rows, Budget.of(40, "uniform", 2)).keys]
    assert len({r.stem for r in twice}) == 30  # every task once before any task twice
    none = select(rows_for({(1, 0): 4}, behaviours=()), Budget.of(2))
    assert none.behaviours == {"(none)": (4, 2)}


def test_a_stem_spanning_cells_is_still_capped():
    rows = rows_for({(1, 0): 3, (2, 0): 3})
    rows += [Candidate("odd#0", "odd", "t-1x0-0", 2, 1, ("polite",), "retail")]  # same stem, another cell
    selection = select(rows, Budget.of(100, "uniform", 1))
    used = Counter(r.stem for r in rows if r.key in selection.keys)
    assert max(used.values()) == 1 and len(selection.keys) == 6


def test_deterministic_for_a_seed_in_any_input_order():
    rows = rows_for({(w, e): 7 for w in range(1, 4) for e in range(3)}, variants=3)
    settings = Budget.of(25, "read-heavy", 2, seed=3)
    first = select(rows, settings)
    shuffled = rows[:]
    random.Random(0).shuffle(shuffled)
    assert select(shuffled, settings).keys == first.keys
    assert select(shuffled, settings).to_json() == first.to_json()
    assert select(rows, Budget.of(25, "read-heavy", 2, seed=4)).keys != first.keys


@pytest.mark.parametrize("kwargs, message", [
    ({"budget": 0}, "--budget must be a whole number of at least 1, got 0"),
    ({"budget": -3}, "--budget must be a whole number of at least 1, got -3"),
    ({"max_per_task": 0}, "--max-per-task must be a whole number of at least 1, got 0"),
    ({"mix": "balanced"}, "unknown mix 'balanced' (use uniform, read-heavy, write-heavy or a table"),
    ({"mix": {"2y3": 1}}, "mix table: unknown cell '2y3' (use WRITESxEVIDENCE"),
    ({"mix": "2x3=-1"}, "mix table: weight of '2x3' must be a finite number >= 0, got -1.0"),
    ({"mix": "2x3=lots"}, "mix table: weight of '2x3' is not a number ('lots')"),
    ({"mix": "2x3"}, "unknown mix '2x3'"),
    ({"mix": {}}, "mix must be one of uniform, read-heavy, write-heavy or a non-empty table"),
    ({"mix": "3-1x*=1"}, "mix table: cell '3-1x*' has an empty range 3-1"),
])
def test_bad_settings_are_one_line_errors(kwargs, message):
    with pytest.raises(SelectionError) as info:
        Budget.of(**kwargs)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_table_cells_must_exist_in_the_data():
    rows = rows_for({(1, 0): 2, (2, 3): 2})
    with pytest.raises(SelectionError, match=r"unknown cell '5x\*': no kept trajectory has it \(they span writes "
                                             r"1-2 x evidence 0-3\)"):
        select(rows, Budget.of(3, "1x0=1,5x*=2"))
    with pytest.raises(SelectionError, match="every cell present weighs 0"):
        select(rows, Budget.of(3, "1x0=0"))
    with pytest.raises(SelectionError, match="lies outside the grid writes 1-5 x evidence 0-10"):
        parse_mix({"6x1": 1}).check_grid((1, 5), (0, 10))
    parse_mix({"1-9x*": 1}).check_grid((1, 5), (0, 10))  # overlapping the grid is enough
