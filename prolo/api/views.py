"""The two plain Django views beside the API: its docs page and its JSON 404."""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja.openapi.docs import Swagger

from prolo.api.api import api
from prolo.api.errors import error_body


def docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI from ninja's bundled static files (no CDN: "ninja" is in INSTALLED_APPS)."""
    return Swagger().render_page(request, api)


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    body = error_body([(None, "No such API endpoint; see /api/docs.")])
    return HttpResponse(orjson.dumps(body), status=404, content_type="application/json")
