from __future__ import annotations

import time

from django.urls import reverse

from mirps.accounts.models import ApiToken, LoginFailure
from mirps.accounts.services import api_token_create, api_token_revoke, api_token_user
from mirps.audit.models import AuditEvent
from mirps.core.testing import PASSWORD


def test_login_success_is_audited_and_redirects_to_work(client, world):
    r = client.post(reverse("accounts:login"), {"username": "reg_sps", "password": PASSWORD})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=world.reg_sps).exists()


def test_wrong_password_gives_same_message_as_unknown_user(client, world):
    r1 = client.post(reverse("accounts:login"), {"username": "reg_sps", "password": "nope"})
    r2 = client.post(reverse("accounts:login"), {"username": "nobody-here", "password": "nope"})
    assert r1.status_code == r2.status_code == 200
    assert r1.content.count(b'role="alert"') == r2.content.count(b'role="alert"') == 1
    assert AuditEvent.objects.filter(action="login_failed").count() == 2


def test_login_is_throttled_after_six_failures(client, world, settings):
    settings.LOGIN_MAX_FAILURES = 6
    for _ in range(6):
        client.post(reverse("accounts:login"), {"username": "reg_sps", "password": "bad"})
    r = client.post(reverse("accounts:login"), {"username": "reg_sps", "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_failures(client, world):
    client.post(reverse("accounts:login"), {"username": "reg_sps", "password": "bad"})
    client.post(reverse("accounts:login"), {"username": "reg_sps", "password": PASSWORD})
    assert not LoginFailure.objects.filter(username="reg_sps").exists()


def test_idle_session_is_logged_out(client, world, settings):
    settings.SESSION_IDLE_SECONDS = 60
    client.force_login(world.reg_sps)
    assert client.get(reverse("registration:arrival_list")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 3600
    session.save()
    r = client.get(reverse("registration:arrival_list"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_absolute_session_lifetime(client, world, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(world.reg_sps)
    client.get(reverse("registration:arrival_list"))
    session = client.session
    session["login_at"] = int(time.time()) - 7200
    session.save()
    assert client.get(reverse("registration:arrival_list")).status_code == 302


def test_logout_requires_post_and_ends_session(client, world):
    client.force_login(world.reg_sps)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("registration:arrival_list")).status_code == 302


def test_api_token_is_stored_hashed_and_revocable(world):
    token, secret = api_token_create(user=world.reg_sps, name="tablet")
    assert secret not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    assert api_token_user(secret=secret) == world.reg_sps
    api_token_revoke(user=world.reg_sps, token_id=token.pk)
    assert api_token_user(secret=secret) is None


def test_token_page_shows_secret_once_and_other_users_cannot_revoke(client, world):
    client.force_login(world.reg_sps)
    r = client.post(reverse("accounts:tokens"), {"name": "tablet"})
    assert b"mirps_" in r.content
    assert b"mirps_" not in client.get(reverse("accounts:tokens")).content
    token = ApiToken.objects.get()
    client.force_login(world.reg_omoa)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404


def test_pages_of_signed_in_users_are_not_cached(client, world):
    client.force_login(world.reg_sps)
    assert client.get(reverse("registration:arrival_list"))["Cache-Control"] == "no-store"


def test_csp_header_forbids_inline_scripts(client, world):
    client.force_login(world.reg_sps)
    csp = client.get(reverse("registration:arrival_list"))["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
