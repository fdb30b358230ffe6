"""Discoverable agent tools for debit cards: ordering, the three activation variants (new,
replacement, reissue), closing, freezing, fraud alerts and velocity blocks, PINs, listing, recurring
payment blocks and temporary limit increases.

Which activation tool applies depends on the card's ``issue_reason``; calling the wrong one is an
error that names the right one, as in tau2.
"""

from __future__ import annotations

from writ.core import ToolKind
from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.clock import today_str
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.schema import add, edit_record, records
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__ = ["ACTIVATION_TOOL", "DEFAULT_ATM_LIMITS"]

write = discoverable(box, AGENT_SPECS, ToolKind.WRITE)
read = discoverable(box, AGENT_SPECS, ToolKind.READ)

# issue_reason -> the activation tool for it.
ACTIVATION_TOOL = {
    "new_account": "activate_debit_card_8291", "first_card": "activate_debit_card_8291",
    "lost": "activate_debit_card_8292", "stolen": "activate_debit_card_8292", "fraud": "activate_debit_card_8292",
    "expired": "activate_debit_card_8293", "damaged": "activate_debit_card_8293", "upgrade": "activate_debit_card_8293",
    "bank_reissue": "activate_debit_card_8293",
}
SEQUENTIAL_PINS = ["0123", "1234", "2345", "3456", "4567", "5678", "6789", "9876", "8765", "7654", "6543", "5432",
                   "4321", "3210"]
# Daily ATM limit of a card without its own, by checking account tier (lower-cased).
DEFAULT_ATM_LIMITS = {
    "blue account": 500, "green account": 600, "light blue account": 400, "green fee-free account": 500,
    "evergreen account": 750, "bluest account": 1500, "dark green account": 300, "gold years account": 600,
    "purple account": 1000,
}
DELIVERY_TIMES = {"STANDARD": "7-10 business days", "EXPEDITED": "3-5 business days", "RUSH": "1-2 business days"}


def _cards(db: Store) -> dict:
    return records(db, "debit_cards")


def _pin_problem(pin: str) -> str | None:
    if not pin or not pin.isdigit() or len(pin) != 4:
        return "PIN must be exactly 4 digits."
    if pin in SEQUENTIAL_PINS:
        return "PIN cannot be sequential (e.g., 1234). Please choose a more secure PIN."
    if len(set(pin)) == 1:
        return "PIN cannot be all the same digit (e.g., 1111). Please choose a more secure PIN."
    return None


def _activation_problem(db: Store, card_id: str, last_4_digits: str, expiration_date: str, cvv: str, pin: str,
                        reasons: list[str], tool: str) -> str | None:
    """tau2's shared activation checks, in its order."""
    if not all([card_id, last_4_digits, expiration_date, cvv, pin]):
        return "Error: Missing required parameters. Required: card_id, last_4_digits, expiration_date, cvv, pin."
    problem = _pin_problem(pin)
    if problem:
        return f"Error: {problem}"
    if not cvv.isdigit() or len(cvv) != 3:
        return "Error: CVV must be exactly 3 digits."
    if not last_4_digits.isdigit() or len(last_4_digits) != 4:
        return "Error: Last 4 digits must be exactly 4 digits."
    cards = _cards(db)
    if card_id not in cards:
        return f"Error: Debit card '{card_id}' not found."
    card = cards[card_id]
    reason = card.get("issue_reason", "new_account")
    if reason not in reasons:
        return (f"Error: Wrong activation tool. This card has issue_reason='{reason}'. Please use "
                f"{ACTIVATION_TOOL.get(reason, 'unknown')} instead of {tool}.")
    if card.get("status") == "ACTIVE":
        return f"Error: Debit card '{card_id}' is already active."
    if card.get("status") != "PENDING":
        return (f"Error: Debit card '{card_id}' cannot be activated. Current status: {card.get('status')}. "
                f"Only PENDING cards can be activated.")
    if card.get("last_4_digits") != last_4_digits:
        return "Error: Card verification failed. The last 4 digits do not match our records."
    account_id = card.get("account_id")
    accounts = records(db, "accounts")
    if account_id and account_id in accounts and accounts[account_id].get("status") != "OPEN":
        return f"Error: The linked checking account '{account_id}' is no longer open. Card cannot be activated."
    return None


def _activate(db: Store, card_id: str, retired: str, **marks: str) -> list[str]:
    """Activate the card; every other active card of its account gets status `retired` and `marks`."""
    card = edit_record(db, "debit_cards", card_id)
    card["status"] = "ACTIVE"
    card["activated_date"] = today_str()
    touched = []
    for other_id, other in list(_cards(db).items()):
        if (other_id != card_id and other.get("account_id") == card.get("account_id")
                and other.get("status") == "ACTIVE"):
            other = edit_record(db, "debit_cards", other_id)
            other["status"] = retired
            other.update(marks)
            touched.append(other_id)
    return touched


@write
def order_debit_card_5739(db: Store, account_id: str, user_id: str, delivery_option: str, delivery_fee: float,
                          card_design: str, design_fee: float, shipping_address: str,
                          excess_replacement_fee: float | None = None) -> str:
    """Order a debit card for an open checking account; fees are charged to the account."""
    excess_replacement_fee = excess_replacement_fee or 0
    try:
        delivery_fee = float(delivery_fee) if delivery_fee is not None else None
    except (TypeError, ValueError):
        return "Error: delivery_fee must be a number."
    try:
        design_fee = float(design_fee) if design_fee is not None else None
    except (TypeError, ValueError):
        return "Error: design_fee must be a number."
    try:
        excess_replacement_fee = float(excess_replacement_fee)
    except (TypeError, ValueError):
        excess_replacement_fee = 0
    if not all([account_id, user_id, delivery_option, delivery_fee is not None, card_design, design_fee is not None,
                shipping_address]):
        return ("Error: Missing required parameters. Required: account_id, user_id, delivery_option, delivery_fee, "
                "card_design, design_fee, shipping_address.")
    speeds = ["STANDARD", "EXPEDITED", "RUSH"]
    if delivery_option.upper() not in speeds:
        return f"Error: Invalid delivery_option. Must be one of: {speeds}"
    delivery_option = delivery_option.upper()
    designs = ["CLASSIC", "PREMIUM", "CUSTOM"]
    if card_design.upper() not in designs:
        return f"Error: Invalid card_design. Must be one of: {designs}"
    card_design = card_design.upper()
    accounts = records(db, "accounts")
    if account_id not in accounts:
        return f"Error: Account '{account_id}' not found."
    account = accounts[account_id]
    if account.get("class") != "checking":
        return (f"Error: Debit cards can only be ordered for checking accounts. Account '{account_id}' is a "
                f"{account.get('class')} account.")
    if account.get("status") != "OPEN":
        return f"Error: Account must be OPEN. Account '{account_id}' has status: {account.get('status')}"
    if account.get("user_id") != user_id:
        return f"Error: Account '{account_id}' does not belong to user '{user_id}'."
    try:
        holdings = float(str(account.get("current_holdings", "0")).replace(",", ""))
    except ValueError:  # tau2 quirk: a "$"-prefixed balance reads as 0
        holdings = 0.0
    if holdings < 25.0:
        return f"Error: Account must have a minimum balance of $25. Current balance: ${holdings:.2f}"
    if any(o.get("account_id") == account_id and o.get("status") == "PENDING"
           for o in records(db, "debit_card_orders").values()):
        return f"Error: There is already a pending debit card order for account '{account_id}'."
    if sum(1 for c in _cards(db).values() if c.get("account_id") == account_id and c.get("status") == "ACTIVE") >= 1:
        return (f"Error: Account '{account_id}' already has an active debit card. Maximum 1 active card per "
                f"checking account.")
    total = delivery_fee + design_fee + excess_replacement_fee
    if total > 0 and holdings < total:
        return f"Error: Insufficient funds for fees. Total fees: ${total:.2f}. Current balance: ${holdings:.2f}"
    expected = DELIVERY_TIMES[delivery_option]
    order_date = today_str()
    order_id = ids.debit_card_order_id(account_id, user_id, delivery_option)
    order = {"order_id": order_id, "account_id": account_id, "user_id": user_id, "delivery_option": delivery_option,
             "card_design": card_design, "shipping_address": shipping_address, "delivery_fee": delivery_fee,
             "design_fee": design_fee, "excess_replacement_fee": excess_replacement_fee, "total_fee": total,
             "order_date": order_date, "expected_delivery": expected, "status": "PENDING"}
    if not add(db, "debit_card_orders", order_id, order):
        return "Error: Failed to create debit card order. Order may already exist."
    if total > 0:
        edit_record(db, "accounts", account_id)["current_holdings"] = f"{holdings - total:.2f}"
        charged = []
        if delivery_fee > 0:
            charged.append(f"Delivery ${delivery_fee}")
        if design_fee > 0:
            charged.append(f"Design ${design_fee}")
        if excess_replacement_fee > 0:
            charged.append(f"Excess Replacement ${excess_replacement_fee:.0f}")
        fee_id = f"btxn_dcfee_{order_id[-8:]}"
        add(db, "bank_account_transaction_history", fee_id,
            {"transaction_id": fee_id, "account_id": account_id, "date": order_date,
             "description": f"DEBIT CARD ORDER FEE - {', '.join(charged)}", "amount": -total,
             "type": "debit_card_fee", "status": "posted"})
    card_id = ids.debit_card_id(account_id, user_id, order_date)
    last_4 = "".join(c for c in ids.digest(f"card_details:{card_id}:last4", 8) if c.isdigit())[:4].zfill(4)
    cvv = "".join(c for c in ids.digest(f"card_details:{card_id}:cvv", 6) if c.isdigit())[:3].zfill(3)
    holder = "CARDHOLDER"
    users = records(db, "users")
    if user_id in users:
        holder = users[user_id].get("name", "CARDHOLDER").upper()
    month, _, year = order_date.split("/")
    day = "31" if month in ["01", "03", "05", "07", "08", "10", "12"] else "28" if month == "02" else "30"
    expiration = f"{month}/{day}/{int(year) + 4}"
    existing = [c for c in _cards(db).values() if c.get("account_id") == account_id]
    closed = next((c for c in existing if c.get("status") == "CLOSED"), None)
    if closed:
        why = closed.get("closure_reason", "first_card")
        issue_reason = ("fraud" if why == "fraud_suspected" else why) if why in ["lost", "stolen", "fraud",
                                                                                 "fraud_suspected"] else "first_card"
    else:
        issue_reason = "first_card" if existing else "new_account"
    add(db, "debit_cards", card_id,
        {"card_id": card_id, "account_id": account_id, "user_id": user_id, "cardholder_name": holder,
         "last_4_digits": last_4, "cvv": cvv, "status": "PENDING", "issue_date": order_date,
         "expiration_date": expiration, "card_design": card_design, "issue_reason": issue_reason})
    parts = ["Debit Card Order Confirmed", f"Order ID: {order_id}", f"Card ID: {card_id}",
             f"Linked Account: {account_id}", f"Delivery Option: {delivery_option}", f"Card Design: {card_design}",
             f"Shipping Address: {shipping_address}", f"Expected Delivery: {expected}", "",
             "Note: Card will arrive with status PENDING. Customer must call to activate after receiving the card."]
    if total > 0:
        details = []
        if delivery_fee > 0:
            details.append(f"Delivery: ${delivery_fee}")
        if design_fee > 0:
            details.append(f"Design: ${design_fee}")
        if excess_replacement_fee > 0:
            details.append(f"Excess Replacement: ${excess_replacement_fee:.0f}")
        parts.append(f"Total Fees: ${total:.2f} ({', '.join(details)}) - CHARGED to account {account_id}")
        parts.append(f"New Account Balance: ${holdings - total:.2f}")
    else:
        parts.append("Total Fees: $0 (No additional charges)")
    return "\n".join(parts)


@write
def activate_debit_card_8291(db: Store, card_id: str, last_4_digits: str, expiration_date: str, cvv: str,
                             pin: str) -> str:
    """Activate a first card of an account (issue_reason new_account or first_card)."""
    problem = _activation_problem(db, card_id, last_4_digits, expiration_date, cvv, pin,
                                  ["new_account", "first_card"], "activate_debit_card_8291")
    if problem:
        return problem
    retired = _activate(db, card_id, "DEACTIVATED", deactivated_date=today_str(),
                        deactivation_reason="New card activated")
    parts = ["New Debit Card Activation Successful", f"Card ID: {card_id}", "Status: ACTIVE",
             f"Activation Date: {today_str()}", "",
             "Your card is now ready to use at any ATM or point of sale terminal.",
             "For security, please sign the back of your card."]
    if retired:
        parts.append(f"\nNote: Previous card(s) have been deactivated: {', '.join(retired)}")
    return "\n".join(parts)


@write
def activate_debit_card_8292(db: Store, card_id: str, last_4_digits: str, expiration_date: str, cvv: str,
                             pin: str) -> str:
    """Activate a card replacing a lost, stolen or compromised one."""
    problem = _activation_problem(db, card_id, last_4_digits, expiration_date, cvv, pin, ["lost", "stolen", "fraud"],
                                  "activate_debit_card_8292")
    if problem:
        return problem
    reason = _cards(db)[card_id].get("issue_reason", "lost")
    retired = _activate(db, card_id, "DEACTIVATED", deactivated_date=today_str(),
                        deactivation_reason=f"Replacement card activated ({reason})")
    parts = ["Replacement Debit Card Activation Successful", f"Card ID: {card_id}",
             f"Replacement Reason: {reason.replace('_', ' ').title()}", "Status: ACTIVE",
             f"Activation Date: {today_str()}", "", "Your replacement card is now ready to use.", "",
             "IMPORTANT SECURITY REMINDERS:", "- Please review your recent transactions for any unauthorized charges",
             "- Report any suspicious activity immediately"]
    if reason == "fraud":
        parts.append("- Since fraud was suspected, we recommend changing your online banking password")
    if retired:
        parts.append(f"\nPrevious card(s) have been deactivated for security: {', '.join(retired)}")
    return "\n".join(parts)


@write
def activate_debit_card_8293(db: Store, card_id: str, last_4_digits: str, expiration_date: str, cvv: str,
                             pin: str) -> str:
    """Activate a reissued card (expired, damaged, upgraded, bank reissue); the old card gets a grace day."""
    problem = _activation_problem(db, card_id, last_4_digits, expiration_date, cvv, pin,
                                  ["expired", "damaged", "upgrade", "bank_reissue"], "activate_debit_card_8293")
    if problem:
        return problem
    reason = _cards(db)[card_id].get("issue_reason", "expired")
    kept = _activate(db, card_id, "GRACE_PERIOD", grace_period_ends=today_str(),
                     deactivation_reason=f"Reissued card activated ({reason})")
    parts = ["Reissued Debit Card Activation Successful", f"Card ID: {card_id}",
             f"Reissue Reason: {reason.replace('_', ' ').title()}", "Status: ACTIVE", f"Activation Date: {today_str()}",
             "", "Your reissued card is now ready to use."]
    if kept:
        parts.append(f"\nNote: Your previous card(s) ({', '.join(kept)}) will remain active for 24 hours as a grace "
                     f"period.")
        parts.append("After 24 hours, the old card(s) will be automatically deactivated.")
    if reason in ["expired", "bank_reissue"]:
        parts.append("\nReminder: If your card number changed, please update any recurring payments with your new card "
                     "details.")
    return "\n".join(parts)
