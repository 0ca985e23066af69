"""Every error the API answers with has one shape (docs/api.md):

    {"errors": [{"field": "given_name", "reason": "Ensure this value has at most 100 ..."}]}

`field` names the input at fault (a body field, a query parameter, or a path part), or is
null when the error is about the request as a whole (no token, a record not found).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from prolo.api.schemas import NO_NUL

log = logging.getLogger(__name__)

# Where ninja puts a parameter in an error's `loc`; the rest of `loc` is the field's path.
_SOURCES = {"body", "query", "path", "header", "cookie", "form"}
# Django's codes for form-wide errors, which name no field.
_GENERIC_CODES = {None, "constraint_violation", "unique", "unique_together", "invalid", "null"}


class ErrorItem(Schema):
    field: str | None
    reason: str


class ErrorsOut(Schema):
    errors: list[ErrorItem]


def errors(*statuses: int) -> dict[int, type[ErrorsOut]]:
    """The `response={...}` entries for the error statuses an operation can answer with."""
    return dict.fromkeys(statuses, ErrorsOut)


def error_body(items: Iterable[tuple[str | None, str]]) -> dict[str, Any]:
    return {"errors": [{"field": field, "reason": reason} for field, reason in items]}


def _field_of(loc: Iterable[Any]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # A body schema is one parameter (`payload`): its name is not what the client sent.
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or None


def _reason(error: dict[str, Any]) -> str:
    pattern = (error.get("ctx") or {}).get("pattern")
    if error.get("type") == "string_pattern_mismatch" and pattern == NO_NUL:
        return "Text cannot contain NUL characters."
    return str(error.get("msg", "Invalid value."))


def _validation_items(exc: Any) -> list[tuple[str | None, str]]:
    if not hasattr(exc, "error_dict"):
        return [(None, message) for message in exc.messages]
    items: list[tuple[str | None, str]] = []
    for name, field_errors in exc.error_dict.items():
        for error in field_errors:
            field: str | None = name
            if name == NON_FIELD_ERRORS:
                # Our CheckConstraints carry the field they are about as their error code.
                field = None if error.code in _GENERIC_CODES else error.code
            items.extend((field, message) for message in error.messages)
    return items


def refuse_unknown_query(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse query parameters the operation does not take: `?limt=5` is a mistake to
    report, not to ignore. (Applied to every operation by api.py, after ninja parsed the
    parameters, so `kwargs` names the ones it takes.)"""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = sorted(set(request.GET) - set(kwargs))
        if unknown:
            raise ValidationError(dict.fromkeys(unknown, "This endpoint takes no such parameter."))
        return view(request, *args, **kwargs)

    return run


def install(api: NinjaAPI) -> None:
    """Answer every error raised under `api` in the one JSON shape.

    (Handlers take `exc: Any`: ninja's stubs type it as the exception or its class.)
    """

    def respond(request: HttpRequest, status: int, items: Iterable[tuple[str | None, str]]) -> Any:
        return api.create_response(request, error_body(items), status=status)

    def on_ninja_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(
            request, 422, [(_field_of(e.get("loc", ())), _reason(e)) for e in exc.errors]
        )

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, _validation_items(exc))

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        reason = "Send a valid API token: Authorization: Bearer prolo_…"
        response: HttpResponse = respond(request, 401, [(None, reason)])
        response["WWW-Authenticate"] = 'Bearer realm="prolo-api"'
        return response

    def on_http(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, exc.status_code, [(None, str(exc))])

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, [(None, "No such record in this clinic.")])

    def on_403(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 403, [(None, str(exc) or "Your role may not do this.")])

    def on_conflict(request: HttpRequest, exc: Any) -> HttpResponse:
        # A concurrent request saved the same thing first (e.g. the same MRN).
        log.info("API conflict: %s", exc)
        reason = "This conflicts with a record saved at the same time; reload and retry."
        return respond(request, 409, [(None, reason)])

    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(IntegrityError, on_conflict)
