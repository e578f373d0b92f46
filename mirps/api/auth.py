"""Token authentication: `Authorization: Bearer <token>`, one personal token per client.

Only tokens authenticate the API, never the session cookie: an API call then cannot be forged
from another site (no CSRF), and every call is tied to a token its owner can revoke.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from mirps.accounts.services import api_token_user
from mirps.core.access import Actor

# Issued secrets are ~60 characters; anything much longer is not a token and is not hashed.
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # Replaces HttpBearer.__call__, which logs the whole header (the secret) in DEBUG.
        scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        user = api_token_user(secret=token)
        if user is None:
            return None
        # Resolved once per request; endpoints read it with actor_of().
        return Actor.of(user)


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # an endpoint mounted without auth: refuse rather than guess
        raise AuthenticationError
    return actor
