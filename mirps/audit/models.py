from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Written in the same transaction as the act.

    Rows are never updated or deleted by the application (append-only by convention and by the
    admin, which is read-only). `detail` holds field names and ids, never personal values.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        SEARCH = "search", _("Search")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Sign-in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Sign-out")
        TOKEN = "token", _("API token")
        DENIED = "denied", _("Denied")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)  # web, api, task, cli
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
