"""The drafting context of one retail task: what the agent already knows, and how an op is run.

A competent agent does not re-read a record it has already seen and that has not changed since
(a write's result shows the updated order or user). `Ctx` tracks exactly that: a read is skipped
when the agent's last view of the record still equals the record, so the evidence a write needs
is the reads of records the agent has not seen in their current state. An op's cost (its evidence
burden) is computed from its planned reads before it runs and checked against the draft's own
measurement afterwards.

`UserStats` is a per-database summary of every user (computed once) used to pick users that can
support a target cell.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.retail.selectors import user_orders

__all__ = ["Ctx", "Op", "Proposal", "Read", "UserStats", "read_key", "user_stats"]

Read = tuple[str, dict, bool]  # (tool, arguments, counts as evidence)
MUTATING = ("cancel_pending_order", "exchange_delivered_order_items", "modify_pending_order_address",
            "modify_pending_order_items", "modify_pending_order_payment", "modify_user_address",
            "return_delivered_order_items")


@dataclass
class Op:
    """One user request, fully decided: reads, the write (or values to say), texts and a re-check."""

    family: str
    reads: list[Read]
    utterance: str
    instruction: str
    call: tuple[str, dict] | None = None
    communicate: list[str] = field(default_factory=list)
    candidates: int = 1
    secret: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # identifiers the user states
    summary: str = ""
    findings: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    resolve: Callable[[Any], Any] | None = None  # db -> the call's arguments / the values to say
    orders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    frame: dict[str, Any] = field(default_factory=dict)  # what the customer can state (see docs/dialogue.md)
    withhold: list[str] = field(default_factory=list)
    refusal: tuple[str, dict, str, str] | None = None  # (tool, arguments, why, topic) the policy forbids
    transfer: str | None = None  # the summary of a transfer to a human agent


@dataclass
class Proposal:
    family: str
    cost: int
    realize: Callable[[], Op]  # may raise Ambiguous or DraftError when it turns out not to work
    orders: tuple[str, ...] = ()
    write: bool = True


@dataclass
class UserStats:
    user_id: str
    k: int
    pending: int
    delivered: int
    methods: int
    max_products: int  # most distinct switchable products in one pending/delivered order
    all_products: int  # distinct products over all orders
    moved: bool  # some order ships to an address other than the default


def user_stats(data: DomainData) -> list[UserStats]:
    """Per-user figures of the loaded database, computed once per database (kept in its own memo)."""
    cached = data.base.memo.get("retail_user_stats")
    if cached is not None:
        return cached
    db = data.base.store()
    out = []
    for uid, user in zip(db.keys("users"), db.values("users"), strict=True):
        orders = user_orders(db, uid)
        best = 0
        for _, o in orders:
            if o["status"] in ("pending", "delivered"):
                names = [i["name"] for i in o["items"]]
                best = max(best, len({n for n in names if names.count(n) == 1}))
        products = {i["product_id"] for _, o in orders for i in o["items"]}
        out.append(UserStats(uid, len(orders), sum(o["status"] == "pending" for _, o in orders),
                             sum(o["status"] == "delivered" for _, o in orders), len(user["payment_methods"]),
                             best, len(products), any(o["address"] != user["address"] for _, o in orders)))
    data.base.memo["retail_user_stats"] = out
    return out


def read_key(name: str, args: dict) -> tuple:
    """Identity of a read (read arguments are one or no plain string)."""
    return (name, *args.values())


class Ctx:
    def __init__(self, draft: TaskDraft, user_id: str, rng: random.Random, high: bool, target: int):
        self.draft = draft
        self.env = draft.env
        self.db = draft.env.db
        self.uid = user_id
        self.rng = rng
        self.high = high  # evidence >= 3: the user knows no identifier
        self.target = target
        self.seen: dict[tuple, str] = {}
        self.version = 0
        self._memo: dict[tuple, tuple[int, str]] = {}
        self.done: list[tuple[str, tuple[str, ...]]] = []  # (family, orders) of executed ops
        self.new_address: dict[str, str] | None = None
        self.address_stated = False
        self.known: list[str] = []
        self.secret: list[str] = []
        self.auth_done = False
        self.memo: dict[Any, Any] = {}

    # -- what the agent knows ---------------------------------------------------------------------
    def user(self) -> dict:
        return self.db.get("users", self.uid)

    def order(self, oid: str) -> dict:
        return self.db.get("orders", oid)

    def _state(self, name: str, args: dict) -> str:
        key = read_key(name, args)
        memo = self._memo.get(key)
        if memo is not None and memo[0] == self.version:
            return memo[1]
        if name == "get_user_details":
            text = json.dumps(self.db.get("users", args["user_id"]), sort_keys=True)
        elif name == "get_order_details":
            text = json.dumps(self.db.get("orders", args["order_id"]), sort_keys=True)
        else:
            text = "static"  # products and the catalogue never change
        self._memo[key] = (self.version, text)
        return text

    def fresh(self, name: str, args: dict) -> bool:
        return self.seen.get(read_key(name, args)) == self._state(name, args)

    def cost(self, reads: list[Read]) -> int:
        return sum(1 for name, args, ev in reads if ev and not self.fresh(name, args))

    # -- running an op ----------------------------------------------------------------------------
    def _auth(self) -> None:
        if self.auth_done:
            return
        auth = self.draft.facts["auth"]
        if auth["method"] == "email":
            self.draft.read("find_user_id_by_email", {"email": auth["email"]}, evidence=False)
        else:
            self.draft.read("find_user_id_by_name_zip", {"first_name": auth["first_name"],
                                                         "last_name": auth["last_name"], "zip": auth["zip"]},
                            evidence=False)
        self.draft.facts["auth_action"] = 0
        self.auth_done = True

    def execute(self, op: Op) -> None:
        draft = self.draft
        expected = self.cost(op.reads)
        outcome = "write" if op.call is not None else "inform"
        draft.request(op.utterance, op.instruction, summary=op.summary, findings=op.findings, frame=op.frame,
                      withhold=op.withhold, outcome=outcome, **op.details)
        self._auth()
        for name, args, ev in op.reads:
            if self.fresh(name, args):
                continue
            draft.read(name, args, evidence=ev)
            self.seen[read_key(name, args)] = self._state(name, args)
        if op.refusal is not None:
            draft.refuse(*op.refusal)
        if op.transfer is not None:
            draft.transfer(op.transfer)
            draft.actions[-1]["compare_args"] = []  # the summary is free text: not compared
        if op.call is not None:
            name, args = op.call
            draft.write(name, args, candidates=op.candidates, secret_ids=op.secret)
            self.version += 1
            if name == "modify_user_address":
                self.seen[read_key("get_user_details", {"user_id": self.uid})] = self._state(
                    "get_user_details", {"user_id": self.uid})
            elif "order_id" in args:
                self.seen[read_key("get_order_details", {"order_id": args["order_id"]})] = self._state(
                    "get_order_details", {"order_id": args["order_id"]})
            measured = len(draft.writes[-1].evidence)
            self._register_check(len(draft.actions) - 1, op, args)
        else:
            for value in op.communicate:
                draft.communicate(value)
            draft.close_info_request(op.candidates)
            measured = draft.extra["info_evidence"][-1]["evidence"]
            self._register_check(len(draft.actions), op, op.communicate)
        if measured != expected:  # an accounting bug, never expected
            raise DraftError(f"evidence accounting mismatch ({op.family}: {measured} != {expected})")
        self.done.append((op.family, op.orders))
        self.known.extend(op.known)
        self.secret.extend(op.secret)

    def _register_check(self, upto: int, op: Op, expected: Any) -> None:
        actions = self.draft.actions
        resolve = op.resolve
        family = op.family
        if resolve is None:
            return

        def check(env: Environment) -> str | None:
            for action in actions[:upto]:
                if action["name"] in MUTATING:
                    env.step(ToolCall(action["name"], dict(action["arguments"])), sync=False)
            try:
                got = resolve(env.db)
            except Exception as exc:  # Ambiguous, or a record that vanished
                return f"{family}: the description no longer resolves ({exc})"
            if got != expected:
                return f"{family}: the description resolves to something else"
            return None

        self.draft.check(check)

    # -- bookkeeping ------------------------------------------------------------------------------
    def touched(self, oid: str) -> list[str]:
        return [fam for fam, orders in self.done if oid in orders]

    def has_done(self, family: str) -> bool:
        return any(fam == family for fam, _ in self.done)
