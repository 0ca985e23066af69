"""Error pages: patients in the portal get the portal's own (their language, their links);
staff get the staff pages. The 500 page renders without the database or context processors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader

PORTAL = "/portal/"


def _portal(request: HttpRequest) -> bool:
    return request.path.startswith(PORTAL)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    name = "portal/404.html" if _portal(request) else "404.html"
    return HttpResponse(loader.render_to_string(name, request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _portal(request):
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    return HttpResponse(loader.get_template("portal/500.html").render(), status=500)
