"""Hand-built retail tasks with frames, and one episode of the offline pair (`retail` is in tests/conftest.py)."""

from __future__ import annotations

import asyncio
import random

from writ.agents.scripted import scripted_teacher
from writ.sim.orchestrator import run_episode
from writ.tasks.draft import TaskDraft
from writ.users.scripted import ScriptedUser

NEW_ADDRESS = {"address1": "12 Oak Street", "address2": "", "city": "Springfield", "state": "IL", "country": "USA",
               "zip": "62701"}


def cancel_task(data, *, with_info: bool = False, reason_withheld: bool = True):
    """Cancel a pending order (the reason held back until asked), then change the default address."""
    store = data.base.store()
    order = next(o for o in store.values("orders") if o["status"] == "pending")
    user = store.get("users", order["user_id"])
    oid = order["order_id"]
    draft = TaskDraft(data, "test.cancel", random.Random(0))
    draft.facts = {"auth": {"method": "email", "email": user["email"]}, "auth_action": 0,
                   "name": f"{user['name']['first_name']} {user['name']['last_name']}"}
    draft.request("", f"You want to cancel order {oid}.", frame={"family": "cancel", "order": {"kind": "id", "id": oid},
                                                                 "reason": "no longer needed"},
                  withhold=["reason"] if reason_withheld else [])
    draft.read("find_user_id_by_email", {"email": user["email"]}, evidence=False)
    draft.read("get_order_details", {"order_id": oid})
    draft.write("cancel_pending_order", {"order_id": oid, "reason": "no longer needed"})
    if with_info:
        total = order["payment_history"][0]["amount"]
        draft.request("", "You want to know what you paid.", frame={"family": "total", "order": {"kind": "id",
                                                                                                  "id": oid}},
                      outcome="inform")
        draft.communicate(f"{total:.2f}")
        draft.close_info_request()
    draft.request("", "You want your default address changed.",
                  frame={"family": "user_address", "address": dict(NEW_ADDRESS)})
    draft.write("modify_user_address", {"user_id": user["user_id"], **NEW_ADDRESS})
    return draft.build("t-cancel", seed=0, source=data.source)


def play(data, task, seed: int = 0):
    """One episode of the offline pair on `task`."""
    teacher = scripted_teacher(data.domain.name, seed=f"{task.id}/{seed}")
    return asyncio.run(run_episode(task, data.environment(task), teacher, ScriptedUser(task, seed=seed)))
