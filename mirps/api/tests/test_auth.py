"""Token authentication: only a valid, unrevoked token of an active user opens the API."""

from __future__ import annotations

import pytest
from django.test import Client

from mirps.accounts.models import ApiToken
from mirps.accounts.services import api_token_create, api_token_revoke
from mirps.core.testing import PASSWORD


def _get(client: Client, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.get("/api/v1/arrivals", headers=headers)


def _assert_401(response) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_valid_token_is_accepted_and_answer_is_not_cached(world, client):
    _token, secret = api_token_create(user=world.reg_sps, name="laptop")
    r = _get(client, f"Bearer {secret}")
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer mirps_0000_not-a-token", "Token x", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_missing_or_invalid_token_is_401(world, client, authorization):
    _assert_401(_get(client, authorization))


def test_revoked_token_is_401(world, client):
    token, secret = api_token_create(user=world.reg_sps, name="laptop")
    assert _get(client, f"Bearer {secret}").status_code == 200
    api_token_revoke(user=world.reg_sps, token_id=token.pk)
    _assert_401(_get(client, f"Bearer {secret}"))


def test_token_of_deactivated_user_is_401(world, client):
    _token, secret = api_token_create(user=world.reg_sps, name="laptop")
    world.reg_sps.is_active = False
    world.reg_sps.save()
    _assert_401(_get(client, f"Bearer {secret}"))


def test_session_alone_does_not_open_the_api(world, client):
    # A signed-in browser must not be able to call the API on the session cookie (no CSRF then).
    assert client.login(username="reg_sps", password=PASSWORD)
    _assert_401(_get(client, None))
    _assert_401(client.post("/api/v1/arrivals", "{}", content_type="application/json"))


def test_every_operation_requires_a_token(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security") == [{"TokenAuth": []}], (method, path)
            concrete = path.replace("{arrival_id}", "00000000-0000-0000-0000-000000000000")
            concrete = concrete.replace("{person_id}", "00000000-0000-0000-0000-000000000000")
            concrete = concrete.replace("{vocabulary}", "migration_reason")
            r = client.generic(method.upper(), concrete, "{}", content_type="application/json")
            _assert_401(r)


def test_token_use_is_recorded(world, client):
    token, secret = api_token_create(user=world.reg_sps, name="laptop")
    _get(client, f"Bearer {secret}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_unauthenticated_message_follows_accept_language(world, client):
    es = client.get("/api/v1/arrivals", headers={"Accept-Language": "es"}).json()["detail"]
    en = client.get("/api/v1/arrivals", headers={"Accept-Language": "en"}).json()["detail"]
    assert es != en and "token" in en.lower()
