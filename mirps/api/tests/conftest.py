from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mirps.accounts.models import User
from mirps.accounts.services import api_token_create
from mirps.core.testing import World


@dataclass
class ApiClient:
    """Calls /api/v1 as a user of the test world, with a personal token made on first use."""

    client: Client
    secrets: dict[int, str] = field(default_factory=dict)

    def token(self, user: User) -> str:
        if user.pk not in self.secrets:
            _token, self.secrets[user.pk] = api_token_create(user=user, name="tests")
        return self.secrets[user.pk]

    def headers(self, user: User | None, lang: str | None) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        if lang:
            h["Accept-Language"] = lang
        return h

    def get(self, user: User | None, path: str, lang: str | None = None, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers(user, lang))

    def post(self, user: User | None, path: str, body: Any = None, lang: str | None = None):
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=self.headers(user, lang),
        )


@pytest.fixture
def api(world: World) -> ApiClient:
    return ApiClient(Client())


def registration_body(**overrides: Any) -> dict[str, Any]:
    """A valid POST /arrivals body for reg_sps at CAMR San Pedro Sula (an adult alone, no need)."""
    body: dict[str, Any] = {
        "client_uuid": str(uuid.uuid4()),
        "person": {
            "given_names": "José Luis",
            "surname1": "Hernández",
            "surname2": "López",
            "sex": "M",
            "birth_date": "1995-03-14",
            "document_situation": "dni",
            "dni": "0501199512345",
            "phone": "+504 9999-0000",
        },
        "arrival": {
            "arrived_at": (timezone.now() - timedelta(hours=1)).isoformat(timespec="seconds"),
            "reception_point": "camr-sps",
            "entry_point": "rvm-airport",
            "modality": "air",
            "country_from": "US",
            "return_type": "deported",
            "travel_mode": "alone",
            "destination": "0501",
            "reasons": ["unemployment"],
            "stay_address": "Colonia Rivera Hernández, casa 12",
        },
        "screening": {"consent_registration": True},
    }
    for path, value in overrides.items():
        # "person__dni" sets body["person"]["dni"]; a value of ... removes the key.
        *parents, leaf = path.split("__")
        target = body
        for p in parents:
            target = target[p]
        if value is ...:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return body
