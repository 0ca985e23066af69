"""The 7-day flare diary on the session page, and the clinic's review task list.

See docs/flare-diary.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from prolo.clinic.access import get_review_task, get_session
from prolo.clinic.models import ReviewTask
from prolo.clinic.outcomes.flare import FLAGS
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services import diary as services
from prolo.lib.forms import add_service_errors
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view
from prolo.staff.views.diary_section import DiaryEntryForm
from prolo.staff.views.sessions import _submit

CLOSING_NOTE_MAX = 2000


class ReviewCloseForm(forms.Form):
    closing_note = forms.CharField(
        label="What was done",
        max_length=CLOSING_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: called the patient back; reviewed in clinic. Required.",
    )

    def __init__(self, *args: Any, task: ReviewTask, **kwargs: Any) -> None:
        # One form per task on the page: ids carry the task's code to stay unique.
        kwargs.setdefault("prefix", "close")
        kwargs.setdefault("auto_id", f"id_%s_{task.code}")
        super().__init__(*args, **kwargs)
        self.task = task


@require_POST
@staff_view()
def diary_entry_add(request: StaffRequest, code: str) -> HttpResponse:
    session = get_session(request.actor, code, Perm.RECORD_DIARY)
    form = DiaryEntryForm(request.POST)

    def call(**data: Any) -> None:
        _, task = services.diary_entry_record(actor=request.actor, session=session, **data)
        if task is not None:
            messages.warning(request, "This day needs review: a review task is open.")

    return _submit(request, session, "diary", form, call, "Diary day saved.")


def _task_rows(actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            "task": task,
            "flags": [FLAGS[k].text for k in task.flags if k in FLAGS],
            "close_form": ReviewCloseForm(task=task),
        }
        for task in services.review_tasks_for(actor)
    ]


def _render_tasks(request: StaffRequest, bound: ReviewCloseForm | None = None) -> HttpResponse:
    context = {
        "rows": _task_rows(request.actor),
        "forms": {"close": bound} if bound else {},
        "can_close": request.actor.can(Perm.CLOSE_REVIEW),
        "nav": "review",
    }
    return render(request, "staff/review_tasks.html", context, status=400 if bound else 200)


@staff_view(Perm.VIEW_CLINICAL)
def review_task_list(request: StaffRequest) -> HttpResponse:
    return _render_tasks(request)


@require_POST
@staff_view()
def review_task_close(request: StaffRequest, code: str) -> HttpResponse:
    task = get_review_task(request.actor, code, Perm.CLOSE_REVIEW)
    form = ReviewCloseForm(request.POST, task=task)
    if form.is_valid():
        try:
            services.review_task_close(actor=request.actor, task=task, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("staff:review-task-list")
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Review task for {task.patient.full_name} closed.")
            return redirect("staff:review-task-list")
    return _render_tasks(request, bound=form)
