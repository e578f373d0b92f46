from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mirps.accounts.models import ApiToken, LoginFailure, User
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record

TOKEN_PREFIX_LEN = 8


def login_is_throttled(*, username: str, address: str | None) -> bool:
    """True when this username or address failed too often in the window (ASVS 6.3.1)."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    by_user = recent.filter(username=username.lower()).count()
    by_addr = recent.filter(address=address).count() if address else 0
    limit = settings.LOGIN_MAX_FAILURES
    # An address may try a few accounts (a shared office NAT), but not spray many.
    return by_user >= limit or by_addr >= limit * 5


@transaction.atomic
def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address)
    # Only the fact and the address; the typed username can be a mistyped password.
    audit_record(actor=None, action=AuditEvent.Action.LOGIN_FAILED, object_type="user")


@transaction.atomic
def login_success_record(*, user: User) -> None:
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, obj=user)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the plain secret is returned once and never stored."""
    prefix = secrets.token_hex(TOKEN_PREFIX_LEN // 2)
    secret = f"mirps_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, key_hash=_hash(secret))
    audit_record(actor=user, action=AuditEvent.Action.TOKEN, obj=token, detail={"op": "create"})
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action=AuditEvent.Action.TOKEN, obj=token, detail={"op": "revoke"})


def api_token_user(*, secret: str) -> User | None:
    """The active user owning this token, or None (revoked, unknown, inactive user)."""
    token = (
        ApiToken.objects.filter(key_hash=_hash(secret), revoked_at__isnull=True)
        .filter(Q(user__is_active=True))
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
