"""A session's care plan from the record: the one place that reads what the plan depends on.

Reads only. The plan itself is computed by `prolo.clinic.safety.careplan.care_plan`.
"""

from __future__ import annotations

from collections.abc import Iterable

from prolo.clinic.clock import clinic_time
from prolo.clinic.models import Injection, MedicationClass, TreatmentSession
from prolo.clinic.safety.careplan import CarePlan, care_plan, site_flags
from prolo.clinic.services.settings import settings_for

BLOOD_THINNERS = (MedicationClass.ANTICOAGULANT, MedicationClass.ANTIPLATELET)


def session_care_plan(
    session: TreatmentSession, injections: Iterable[Injection] | None = None
) -> CarePlan:
    """The plan for `session`, dated from its scheduled local date and time.

    Spinal and chest-wall precautions come from the sites injected so far and the sites its
    course's template plans, else from the course's region. `injections` saves a query when
    the caller has them already.
    """
    course = session.course
    patient = course.patient
    if injections is None:
        injections = Injection.objects.filter(note__session=session)
    sites = {i.site_code for i in injections}
    if course.protocol is not None:
        sites |= {line.get("site_code", "") for line in course.protocol.injections}
    blood_thinner = patient.medications.filter(active=True, drug_class__in=BLOOD_THINNERS)
    return care_plan(
        course_type=course.course_type,
        session_at=clinic_time(patient.clinic, session.scheduled_at),
        settings=settings_for(patient.clinic),
        flags=site_flags(sites, course.target_region),
        blood_thinner=blood_thinner.exists(),
    )
