"""The open review task count beside the main navigation's "Review tasks" link."""

from __future__ import annotations

from typing import Any

from django import template

from prolo.clinic.models import ReviewTask, TaskStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def open_review_tasks(context: dict[str, Any]) -> int:
    actor = context.get("actor")
    if actor is None:
        return 0
    return ReviewTask.objects.filter(clinic=actor.clinic, status=TaskStatus.OPEN).count()
