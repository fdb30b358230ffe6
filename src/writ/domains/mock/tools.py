"""The mock domain's tools: a tiny task tracker (agent) and a notification inbox (user).

Quirks kept from tau2 on purpose: `create_task` numbers the new task ``task_<count + 1>``, which can
overwrite an existing task when ids are not contiguous; `update_task_status` stores the status raw,
without checking it against "pending"/"completed".
"""

from __future__ import annotations

from writ.core import Toolbox, ToolError, ToolKind
from writ.domains.common import transfer_to_human_agents
from writ.domains.mock.schema import Notification, Task
from writ.store import Store

__all__ = ["box", "user_box"]

box = Toolbox(owner="MockTools", side="agent")
user_box = Toolbox(owner="MockUserTools", side="user")


@box.write
def create_task(db: Store, user_id: str, title: str, description: str | None = None) -> dict:
    """Create a new pending task owned by a user.

    Args:
        user_id: The ID of the user the task is for.
        title: A short title for the task.
        description: An optional longer description.

    Returns:
        The new task.
    """
    if not db.has("users", user_id):
        raise ToolError(f"User {user_id} not found")
    task_id = f"task_{db.count('tasks') + 1}"
    task = Task(task_id=task_id, title=title, description=description, status="pending").model_dump(mode="json")
    db.put("tasks", task_id, task)
    db.edit("users", user_id)["tasks"].append(task_id)
    return task


@box.read
def get_users(db: Store) -> list:
    """List every user with the ids of their tasks.

    Returns:
        All users.
    """
    return list(db.values("users"))


@box.write
def update_task_status(db: Store, task_id: str, status: str) -> dict:
    """Change a task's status.

    Args:
        task_id: The ID of the task to update.
        status: The new status, "pending" or "completed".

    Returns:
        The updated task.
    """
    if not db.has("tasks", task_id):
        raise ToolError(f"Task {task_id} not found")
    task = db.edit("tasks", task_id)
    task["status"] = status
    return task


box.add(transfer_to_human_agents, ToolKind.GENERIC)


@box.helper
def assert_number_of_tasks(db: Store, user_id: str, expected_number: int) -> bool:
    if not db.has("users", user_id):
        raise ToolError(f"User {user_id} not found")
    return len(db.get("users", user_id)["tasks"]) == expected_number


@box.helper
def assert_task_status(db: Store, task_id: str, expected_status: str) -> bool:
    if not db.has("tasks", task_id):
        raise ToolError(f"Task {task_id} not found")
    return db.get("tasks", task_id)["status"] == expected_status


@user_box.read
def check_notifications(db: Store) -> list:
    """Show all of your notifications.

    Returns:
        Every notification, read or unread.
    """
    return list(db.values("notifications"))


@user_box.write
def dismiss_notification(db: Store, notification_id: str) -> str:
    """Mark one of your notifications as read.

    Args:
        notification_id: The ID of the notification to dismiss.

    Returns:
        A confirmation.
    """
    if not db.has("notifications", notification_id):
        raise ToolError(f"Notification {notification_id} not found")
    db.edit("notifications", notification_id)["status"] = "read"
    return f"Notification {notification_id} dismissed"


@user_box.helper
def add_notification(db: Store, notification_id: str, message: str, task_id: str | None = None) -> None:
    record = Notification(notification_id=notification_id, message=message, task_id=task_id)
    db.put("notifications", notification_id, record.model_dump(mode="json"))


@user_box.helper
def assert_notification_status(db: Store, notification_id: str, expected_status: str) -> bool:
    if not db.has("notifications", notification_id):
        raise ToolError(f"Notification {notification_id} not found")
    return db.get("notifications", notification_id)["status"] == expected_status
