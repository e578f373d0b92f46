"""The REST API under /api/v1: token-authenticated, same access policy, selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext

from mirps.api import arrivals, followup, persons, reference
from mirps.api.auth import TokenAuth
from mirps.api.docs import LocalSwagger
from mirps.api.errors import install_handlers, schema_errors

DESCRIPTION = """
Personal data of returnees. Every call needs a personal API token (`Authorization: Bearer …`),
created and revoked on the account page. You see the records your role and site or institution
allow, as in the web application; anything else answers 404. Sensitive fields (contact details,
address, violence and health) appear only for roles that may read them: such responses have
`"view": "sensitive"`, the others `"view": "basic"`.

Messages follow `Accept-Language` (es, en).
"""


class MirpsAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Token callers have no session, so NoStoreMiddleware does not see them as signed in.
        response["Cache-Control"] = "no-store"
        return response

    def set_default_exception_handlers(self) -> None:
        # Not ninja's defaults: its catch-all answers a traceback as text under DEBUG.
        install_handlers(self)

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            errors += schema_errors(
                model.__ninja_param_source__,
                context.pydantic_validation_error.errors(include_url=False),
                model.__ninja_flatten_map_reverse__,
            )
        return ValidationError(errors)

    def get_openapi_operation_id(self, operation: Any) -> str:
        # Function names are unique across the routers; shorter ids read better in clients.
        return operation.view_func.__name__


api = MirpsAPI(
    title="mirps API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs=LocalSwagger(),
)
api.add_router("", arrivals.router)
api.add_router("", persons.router)
api.add_router("", followup.router)
api.add_router("", reference.router)
api.add_router("", "mirps.api.identity.router")
api.add_router("", "mirps.api.plan.router")
api.add_router("", "mirps.api.cooperation.router")
