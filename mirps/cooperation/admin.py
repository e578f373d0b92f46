"""Administration of the cooperation reference data: exchange rates and support needs."""

from __future__ import annotations

from django.contrib import admin

from mirps.cooperation.models import ExchangeRate, SupportNeed
from mirps.core.adminsite import PolicyAdmin, site


@admin.register(ExchangeRate, site=site)
class ExchangeRateAdmin(PolicyAdmin):
    list_display = ("currency", "usd_per_unit", "valid_from")
    list_filter = ("currency",)
    ordering = ("currency", "-valid_from")


@admin.register(SupportNeed, site=site)
class SupportNeedAdmin(PolicyAdmin):
    list_display = ("commitment", "kind", "priority", "estimated_cost_usd")
    list_filter = ("kind", "priority")
    list_select_related = ("commitment",)
    search_fields = ("description_es", "description_en", "commitment__code")
