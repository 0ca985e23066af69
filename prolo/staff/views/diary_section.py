"""The session page's 7-day diary section: its form and context (see views/diary.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from prolo.clinic.models import DiaryEntry, ReviewTask, TaskStatus, TreatmentSession
from prolo.clinic.models.outcomes_diary import DIARY_DAYS
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.diary import DIARY_FIELDS
from prolo.lib.forms import ParseModelForm


class DiaryEntryForm(ParseModelForm):
    class Meta:
        model = DiaryEntry
        fields = DIARY_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "diary")
        super().__init__(*args, **kwargs)
        # Parsed here, checked against the session by the service; unique per session there.
        self.fields["day"].widget.attrs.update({"min": 1, "max": DIARY_DAYS})

    def validate_unique(self) -> None:
        """The form has no session: the service checks the day is not recorded yet."""


def diary_context(
    actor: Actor, session: TreatmentSession, bound: dict[str, forms.BaseForm]
) -> dict[str, Any]:
    """The session page's diary section: entries by day and the entry form (signed only)."""
    note = getattr(session, "note", None)
    if note is None or not note.is_signed:
        return {"diary": None}
    entries = {
        e.day: e for e in DiaryEntry.objects.filter(session=session).select_related("entered_by")
    }
    if "diary" not in bound:
        bound["diary"] = DiaryEntryForm()
    return {
        "diary": {
            "days": [(day, entries.get(day)) for day in range(1, DIARY_DAYS + 1)],
            "tasks": list(ReviewTask.objects.filter(session=session, status=TaskStatus.OPEN)),
        },
        "can_diary": actor.can(Perm.RECORD_DIARY),
    }
