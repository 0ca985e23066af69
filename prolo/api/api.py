"""The JSON API, /api/v1/ (docs/api.md). Its OpenAPI schema is /api/v1/openapi.json and
its docs /api/docs (urls.py)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from prolo.api import errors
from prolo.api.auth import ApiTokenAuth
from prolo.api.routers import adverse_events, courses, instruments, me, patients, questionnaires


class ProloApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view's name (patient_list, course_read …): short, stable and unique here.
        return operation.view_func.__name__


api = ProloApi(
    title="Prolo API",
    version="1",
    description="Read and record a clinic's patients, courses, schedule, questionnaires and "
    "adverse events with a personal API token (Authorization: Bearer prolo_…). "
    'Every error answers {"errors": [{"field": …, "reason": …}]}.',
    auth=ApiTokenAuth(),
    docs_url=None,  # served at /api/docs by urls.py
    urls_namespace="api",
)
errors.install(api)
api.add_decorator(errors.refuse_unknown_query)
api.add_router("/me", me.router)
api.add_router("/patients", patients.router)
api.add_router("/", courses.router)
api.add_router("/", questionnaires.router)
api.add_router("/adverse-events", adverse_events.router)
api.add_router("/", instruments.router)
