"""Error responses: one JSON shape per status, messages in the caller's language, nothing echoed.

422 bodies are `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}` whether the schema or
the service refused the input. Pydantic's own messages are English only, so each error type is
given a message Django already translates (or one from this app's catalog).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mirps.registration.inputs import ArrivalInput, PersonInput, ScreeningInput
from mirps.registration.services import Conflict

Loc = tuple[str | int, ...]


def _message(error: dict[str, Any]) -> str:
    """A translated message for one pydantic error (msgids shared with Django's catalog)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        n = ctx.get("max_length", 0)
        given = len(error["input"]) if isinstance(error.get("input"), str) else n + 1
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            n,
        ) % {"limit_value": n, "show_value": given}
    if kind == "too_long":
        return _("At most %(n)d items.") % {"n": ctx.get("max_length", 0)}
    if kind == "string_pattern_mismatch":
        return _("Control characters are not allowed.")
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind.startswith("uuid_"):
        return _("Enter a valid UUID.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx.get("le")}
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("Enter a valid value.")


def field_error(loc: Iterable[str | int], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": kind}


def schema_errors(source: str, errors: Sequence[dict[str, Any]], flatten: dict[Loc, Loc]) -> list[dict[str, Any]]:
    """Pydantic errors of one request part (body, query, path) as API field errors.

    `flatten` is ninja's map from its internal location to the parameter's own (the same
    translation ninja applies); the input value is never echoed back.
    """
    return [
        field_error((source, *flatten.get(tuple(e["loc"]), tuple(e["loc"]))), _message(e), e["type"])
        for e in errors
    ]


# Where each field of the registration services lives in the POST /arrivals body.
_REGISTRATION_LOC: dict[str, Loc] = {
    **{f.name: ("body", "payload", "arrival", f.name) for f in fields(ArrivalInput)},
    **{f.name: ("body", "payload", "screening", f.name) for f in fields(ScreeningInput)},
    **{f.name: ("body", "payload", "person", f.name) for f in fields(PersonInput)},
    "person": ("body", "payload", "person"),
    "family_group": ("body", "payload", "family_group_id"),
}


def registration_errors(exc: DjangoValidationError) -> NinjaValidationError:
    """A service's field errors placed at the body fields the client sent."""
    return NinjaValidationError(service_errors(exc, _REGISTRATION_LOC))


def service_errors(exc: DjangoValidationError, where: dict[str, Loc]) -> list[dict[str, Any]]:
    if not hasattr(exc, "error_dict"):
        return [field_error(("body",), str(m), "invalid") for m in exc.messages]
    return [
        field_error(where.get(name, ("body", name)) if name != "__all__" else ("body",), str(m), "invalid")
        for name, messages in exc.message_dict.items()
        for m in messages
    ]


def install_handlers(api: NinjaAPI) -> None:
    """Error handlers of the API; anything else is a bug and reaches Django's 500 handling."""

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Outside one's scope a record does not exist: the same answer as for an unknown id.
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(
            request, {"detail": _("Send a valid API token: Authorization: Bearer <token>.")}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="mirps"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.errors}, status=422)

    def service_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": service_errors(exc, {})}, status=422)

    def conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("This client_uuid was already used for a registration with other content.")},
            status=409,
        )

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, invalid)
    api.add_exception_handler(DjangoValidationError, service_invalid)
    api.add_exception_handler(Conflict, conflict)
