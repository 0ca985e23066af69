"""What the course page's "Consent" section needs (staff/_course_consent.html).

The course page's context (staff/views/courses.py) stays as it is: the section brings its
own data, in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django import template

from prolo.clinic.models import Consent, TreatmentCourse
from prolo.clinic.services.consent import RECORD_PERM, current_document
from prolo.staff.consent_forms import ConsentRecordForm

register = template.Library()


@register.simple_tag(takes_context=True)
def course_consent_panel(context: dict[str, Any]) -> dict[str, Any]:
    course: TreatmentCourse = context["course"]
    actor = context.get("actor")
    patient = course.patient
    consents = list(Consent.objects.filter(course=course).select_related("document", "recorded_by"))
    active = next((c for c in consents if c.withdrawn_at is None), None)
    document = current_document(patient.clinic, course.course_type, patient.preferred_language)
    newer = (
        active is not None
        and document is not None
        and document.language == active.document.language
        and document.version > active.document.version
    )
    form = ConsentRecordForm(initial={"document": document.code}) if document else None
    return {
        "consents": consents,
        "active": active,
        "document": document,
        "newer": newer,
        "form": form,
        "can_record": actor is not None and actor.can(RECORD_PERM) and course.is_open,
    }
