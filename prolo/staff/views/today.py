from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from prolo.clinic.clock import clinic_today, clinic_zone
from prolo.clinic.models import TreatmentSession
from prolo.clinic.permissions import Perm
from prolo.lib.dates import local_day_bounds
from prolo.lib.http import StaffRequest
from prolo.staff.decorators import staff_view


@staff_view(Perm.VIEW_SCHEDULE)
def today(request: StaffRequest) -> HttpResponse:
    day = clinic_today(request.actor.clinic)
    start, end = local_day_bounds(day, clinic_zone(request.actor.clinic))
    sessions = (
        TreatmentSession.objects.filter(
            course__patient__clinic=request.actor.clinic,
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
        .select_related("course__patient", "practitioner", "checklist", "note")
        .order_by("scheduled_at", "id")
    )
    return render(request, "staff/today.html", {"sessions": sessions, "day": day, "nav": "today"})
