"""Mock domain schema (tau2's `MockDB` and `MockUserDB`), used when a database is loaded.

Agent records silently drop unknown nested keys (tau2's plain models); the top level and the user's
notifications reject them. `Task` is also used by `create_task`, which in tau2 builds the new task
through the model (so a non-string title fails with ``1 validation error for Task``).
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Notification", "Task", "normalize_db", "normalize_user_db"]


class TaskStatus(str, Enum):
    PENDING = "pending"
    COMPLETED = "completed"


class NotificationStatus(str, Enum):
    UNREAD = "unread"
    READ = "read"


class Task(BaseModel):
    task_id: str
    title: str
    description: str | None = None
    status: TaskStatus


class User(BaseModel):
    user_id: str
    name: str
    tasks: list[str] = Field(default_factory=list)


class MockDB(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tasks: dict[str, Task]
    users: dict[str, User]


class Notification(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notification_id: str
    message: str
    status: NotificationStatus = NotificationStatus.UNREAD
    task_id: str | None = None


class MockUserDB(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notifications: dict[str, Notification] = Field(default_factory=dict)


def normalize_db(raw: dict) -> dict:
    return MockDB.model_validate(raw).model_dump(mode="json")


def normalize_user_db(raw: dict) -> dict:
    return MockUserDB.model_validate(raw).model_dump(mode="json")
