"""The patient's questionnaires: what is due, answering one, and the thank-you page.

A multi-item questionnaire shows one question per page with Back and Next buttons that work
without JavaScript: the answers so far wait in the session (keyed by course, instrument and
time point) until the last page's Submit. A single-item scale is one page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from prolo.clinic.outcomes.instruments import Item
from prolo.clinic.portal_access import get_own_course, get_own_response
from prolo.clinic.services.portal_outcomes import (
    DueItem,
    due_item,
    patient_questionnaire_record,
    questionnaires_due,
)
from prolo.clinic.services.questionnaires import ClinicInstrument
from prolo.lib.http import PortalRequest
from prolo.portal.decorators import patient_view
from prolo.portal.forms_outcomes import AnswerForm, option_text

# The generic scales get a plain name; a licensed instrument keeps its own name.
PLAIN_NAMES = {
    "pain_nrs": gettext_lazy("Your pain score (0 to 10)"),
    "pain_vas": gettext_lazy("Your pain on a line (0 to 100)"),
    "psfs": gettext_lazy("Everyday activities"),
}
# What the thank-you page says about a score: only where one number means something alone.
SCORE_WORDS = {
    "pain_nrs": gettext_lazy("You rated your pain %(score)s out of 10."),
    "pain_vas": gettext_lazy("You marked your pain at %(score)s out of 100."),
}


def plain_name(instrument: ClinicInstrument) -> str:
    return str(PLAIN_NAMES.get(instrument.code, instrument.name))


def when_label(timepoint: str) -> str:
    """The time point in the patient's words (outcomes/schedule.py timepoint_label)."""
    if timepoint == "baseline":
        return _("Before your treatment starts")
    if timepoint.startswith("session-"):
        return _("Before session %(n)s") % {"n": timepoint.removeprefix("session-")}
    offset = timepoint.removeprefix("fu-")
    count = int(offset[:-1]) if offset[:-1].isdigit() else 0
    if offset.endswith("w"):
        text = ngettext(
            "%(n)s week after your last session", "%(n)s weeks after your last session", count
        )
    else:
        text = ngettext(
            "%(n)s month after your last session", "%(n)s months after your last session", count
        )
    return text % {"n": count}


@patient_view
def questionnaire_list(request: PortalRequest) -> HttpResponse:
    rows = [
        {"row": row, "name": plain_name(row.instrument), "when": when_label(row.due.timepoint)}
        for row in questionnaires_due(request.me)
    ]
    context = {
        "rows": rows,
        "patient": request.me.patient,
        "clinic": request.me.clinic,
        "nav": "questionnaires",
    }
    return render(request, "portal/questionnaire_list.html", context)


def _draft_key(row: DueItem) -> str:
    return f"portal-draft:{row.course.code}:{row.due.instrument}:{row.due.timepoint}"


def _answer_url(row: DueItem, step: int | None = None) -> str:
    url = reverse(
        "portal:questionnaire-answer",
        args=[row.course.code, row.due.instrument, row.due.timepoint],
    )
    return f"{url}?step={step}" if step else url


@patient_view
def questionnaire_answer(
    request: PortalRequest, course: str, instrument: str, timepoint: str
) -> HttpResponse:
    own = get_own_course(request.me, course)
    row = due_item(request.me, own, instrument, timepoint)
    if row is None:
        messages.info(request, _("That questionnaire is not open for answers now."))
        return redirect("portal:questionnaires")
    wizard = Wizard(request, row)
    if len(wizard.items) == 1:
        return wizard.single()
    return wizard.step()


class Wizard:
    """One questionnaire's pages; the draft answers live in the session until Submit."""

    def __init__(self, request: PortalRequest, row: DueItem) -> None:
        self.request, self.row = request, row
        self.items: tuple[Item, ...] = row.instrument.instrument.items
        self.key = _draft_key(row)
        draft = request.session.get(self.key)
        self.draft: dict[str, int] = draft if isinstance(draft, dict) else {}

    def _form(self, number: int, data: Any = None) -> AnswerForm:
        item = self.items[number - 1]
        initial = {"answer": self.draft.get(item.id)}
        return AnswerForm(
            data, instrument=self.row.instrument, item=item, number=number, initial=initial
        )

    def _save(self) -> None:
        self.request.session[self.key] = self.draft

    def _first_missing(self) -> int | None:
        for number, item in enumerate(self.items, start=1):
            if item.id not in self.draft:
                return number
        return None

    def _requested_step(self) -> int:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        try:
            step = int(source.get("step", ""))
        except ValueError:
            step = self._first_missing() or len(self.items) + 1
        return max(1, min(step, len(self.items) + 1))

    def single(self) -> HttpResponse:
        form = self._form(1, self.request.POST or None)
        if self.request.method == "POST" and form.is_valid():
            self.draft = {self.items[0].id: form.cleaned_data["answer"]}
            done = self._submit(form)
            if done is not None:
                return done
        return self._render("portal/questionnaire_step.html", {"form": form, "number": 1})

    def step(self) -> HttpResponse:
        number = self._requested_step()
        go = self.request.POST.get("go", "")
        if self.request.method == "POST" and number > len(self.items):
            return self._summary_post(go)
        if number > len(self.items):
            missing = self._first_missing()
            if missing is not None:
                return HttpResponseRedirect(_answer_url(self.row, missing))
            return self._summary()
        form = self._form(number, self.request.POST or None)
        if self.request.method == "POST":
            valid = form.is_valid()
            if valid:
                self.draft[self.items[number - 1].id] = form.cleaned_data["answer"]
                self._save()
            if go == "back":  # going back keeps a valid answer, and never needs one
                return HttpResponseRedirect(_answer_url(self.row, max(1, number - 1)))
            if valid:
                return HttpResponseRedirect(_answer_url(self.row, number + 1))
        return self._render("portal/questionnaire_step.html", {"form": form, "number": number})

    def _summary_post(self, go: str) -> HttpResponse:
        if go == "back":
            return HttpResponseRedirect(_answer_url(self.row, len(self.items)))
        missing = self._first_missing()
        if missing is not None:
            return HttpResponseRedirect(_answer_url(self.row, missing))
        done = self._submit(None)
        if done is not None:
            return done
        return self._summary()

    def _summary(self) -> HttpResponse:
        extra = {"answers": self._answers(), "number": len(self.items) + 1}
        return self._render("portal/questionnaire_summary.html", extra)

    def _submit(self, form: AnswerForm | None) -> HttpResponse | None:
        try:
            response = patient_questionnaire_record(
                me=self.request.me,
                course=self.row.course,
                instrument=self.row.due.instrument,
                timepoint=self.row.due.timepoint,
                answers=self.draft,
            )
        except ValidationError as exc:
            text = " ".join(exc.messages)
            if form is not None:
                form.add_error(None, text)
            else:
                messages.error(self.request, text)
            return None
        self.request.session.pop(self.key, None)
        return redirect("portal:questionnaire-done", code=response.code)

    def _answers(self) -> list[dict[str, Any]]:
        view = self.row.instrument
        return [
            {
                "number": number,
                "text": view.text(item),
                "answer": option_text(view, item, self.draft[item.id]),
                "change_url": _answer_url(self.row, number),
            }
            for number, item in enumerate(self.items, start=1)
        ]

    def _render(self, template: str, extra: dict[str, Any]) -> HttpResponse:
        form = extra.get("form")
        context = {
            "row": self.row,
            "name": plain_name(self.row.instrument),
            "when": when_label(self.row.due.timepoint),
            "total": len(self.items),
            "action": _answer_url(self.row),
            "patient": self.request.me.patient,
            "clinic": self.request.me.clinic,
            "nav": "questionnaires",
            **extra,
        }
        status = 400 if form is not None and form.errors else 200
        return render(self.request, template, context, status=status)


@patient_view
def questionnaire_done(request: PortalRequest, code: str) -> HttpResponse:
    response = get_own_response(request.me, code)
    words = SCORE_WORDS.get(response.instrument)
    score = response.score.normalize() if response.score is not None else None
    context = {
        "response": response,
        "score_words": str(words) % {"score": f"{score:f}"} if words and score is not None else "",
        "patient": request.me.patient,
        "clinic": request.me.clinic,
        "nav": "questionnaires",
    }
    return render(request, "portal/questionnaire_done.html", context)
