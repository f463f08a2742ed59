"""The meetings admin: the minutes page, people, follow-up tasks and the printable minutes."""

from meetings.admin import meetings, people, tasks  # noqa: F401 - registers the admins
