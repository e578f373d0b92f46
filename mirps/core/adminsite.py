"""Administration of reference data and accounts. Access follows the access policy, not Django perms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mirps.core import access


class MirpsAdminSite(admin.AdminSite):
    site_header = _("MIRPS administration")
    site_title = _("MIRPS administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and access.Actor.of(user).can(access.REFERENCE))


class PolicyAdmin(admin.ModelAdmin):
    """Administrators may edit reference data; the site itself already checked the role."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return True

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Reference rows are referenced by registrations: deactivate them instead of deleting.
        return False


site = MirpsAdminSite(name="admin")


def _login_redirect(request: HttpRequest, extra_context: Any = None) -> Any:
    """One sign-in page (with its throttling and audit) for the whole application."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("accounts:login"))


site.login = _login_redirect  # type: ignore[method-assign]
