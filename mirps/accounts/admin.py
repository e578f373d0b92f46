from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mirps.accounts.models import Institution, Membership, Site, User
from mirps.core.adminsite import PolicyAdmin, site


@admin.register(Institution, site=site)
class InstitutionAdmin(PolicyAdmin):
    list_display = ("code", "name_es", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_es", "name_en")


@admin.register(Site, site=site)
class SiteAdmin(PolicyAdmin):
    list_display = ("code", "name_es", "kind", "institution", "active")
    list_filter = ("kind", "active")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True


@admin.register(User, site=site)
class UserAdmin(PolicyAdmin, BaseUserAdmin):
    list_display = ("username", "is_active", "last_login")
    inlines = [MembershipInline]
    # Roles come from memberships; Django's own staff/superuser flags and permissions are not used.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("", {"fields": ("first_name", "last_name", "email", "is_active", "preferred_language")}),
    )
