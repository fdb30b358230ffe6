"""Telecom conversation figures of a run (figures, not a test).

    python bench/bench_telecom.py RUN [RUN ...]     (a run directory, or a `writ synth` job holding run/)

Prints per run: episodes kept; customers per task; the share of kept conversations where the agent
asked for a detail (an ``ask_slot`` act: where the customer is, how much data, which network mode,
whether they pay, which line; authentication and "please check X on your phone" excluded); refuel
writes whose amount the customer said as "N GB" before the write; fixes made without a check
since the previous change (a reboot right after an APN reset or a resumed line, and a second
permission grant, belong to the fix before them; a network-status or status-bar screen can show two
faults, fixed one after the other).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from writ.sim.runstore import RunStore

_GB = re.compile(r"(\d+(?:\.\d+)?)\s*gb\b", re.I)
MULTI_FACT = {"check_network_status", "check_status_bar"}  # one screen can show two faults at once
PART_OF_PREVIOUS = {("reset_apn_settings", "reboot_device"), ("resume_line", "reboot_device"),
                    ("grant_app_permission", "grant_app_permission")}


def _undiagnosed(messages: list[dict]) -> int:
    """Fixes (phone or account) not preceded by any check or read since the previous fix."""
    bad, checked, last_fix, screen = 0, False, "", False
    for m in messages:
        for call in m.get("tool_calls") or []:
            name = call["function"]["name"]
            side = "user" if m["role"] == "user" else "agent"
            fix = name in WRITES[side]
            if not fix:
                if name not in ("get_customer_by_phone", "transfer_to_human_agents"):
                    checked, screen = True, screen or name in MULTI_FACT
                continue
            part = (last_fix, name) in PART_OF_PREVIOUS
            if not checked and not part and not screen:
                bad += 1
            screen = screen and (checked or part)  # a screen that showed two faults covers one more fix
            checked, last_fix = False, name
    return bad


def figures(path: str) -> dict:
    job_run = Path(path) / "run"
    store = RunStore.read(job_run if (job_run / "run.db").is_file() else path)
    tasks = store.tasks()
    kept = [ep for ep in store.episodes(passed=True)]
    every = list(store.episodes())
    customers = {((t.task.get("writ") or {}).get("telecom") or {}).get("customer_id") for t in tasks.values()
                 if isinstance(t.task, dict)}
    base_tasks = {tid.rsplit("-v", 1)[0] for tid in tasks}
    asked = slots = refuels = said = undiagnosed = fixes = 0
    slot_counts: Counter = Counter()
    for ep in kept:
        acts = [a for m in ep.messages if m["role"] == "assistant" for a in (m.get("_reading") or {}).get("acts", [])]
        names = [a["slot"] for a in acts if a["act"] == "ask_slot"]
        asked += bool(names)
        slots += len(names)
        slot_counts.update(names)
        customer_text = ""
        for m in ep.messages:
            if m["role"] == "user" and m.get("content") and not m.get("tool_calls"):
                customer_text += " " + m["content"]
            for call in m.get("tool_calls") or []:
                if m["role"] == "assistant" and call["function"]["name"] == "refuel_data":
                    refuels += 1
                    amount = json.loads(call["function"]["arguments"])["gb_amount"]
                    said += any(abs(float(x) - amount) < 1e-9 for x in _GB.findall(customer_text))
                if call["function"]["name"] in WRITES["user"] | WRITES["agent"]:
                    fixes += 1
        undiagnosed += _undiagnosed(ep.messages)
    return {
        "episodes": len(every), "tasks": len(tasks), "kept": len(kept),
        "kept_share": round(len(kept) / max(1, len(tasks)), 3),
        "customers": len(customers), "customers_per_task": round(len(customers) / max(1, len(base_tasks)), 3),
        "asked_detail_share": round(asked / max(1, len(kept)), 3), "detail_questions": slots,
        "questions_by_slot": dict(slot_counts), "refuels": refuels, "refuel_amount_said": said,
        "fixes": fixes, "fixes_without_check": undiagnosed,
    }


def _writes() -> dict[str, set[str]]:
    from writ.domains import get_domain

    domain = get_domain("telecom")
    return {side: {t.name for t in domain.tools(side) if t.mutates} for side in ("user", "agent")}


WRITES = _writes()

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for run in sys.argv[1:]:
        print(run, json.dumps(figures(run), indent=1))
