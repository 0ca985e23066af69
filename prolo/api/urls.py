"""Mounted by prolo/urls.py as `path("api/", include("prolo.api.urls"))`."""

from __future__ import annotations

from django.urls import path, re_path

from prolo.api import views
from prolo.api.api import api

urlpatterns = [
    path("v1/", api.urls),
    path("docs", views.docs, name="api-docs"),
    # Anything else under /api/ answers in the API's error shape, not the HTML 404 page.
    re_path(r"^", views.not_found),
]
