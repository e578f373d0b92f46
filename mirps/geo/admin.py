from django.contrib import admin

from mirps.core.adminsite import PolicyAdmin, site
from mirps.geo.models import Country, Department, Municipality


@admin.register(Department, site=site)
class DepartmentAdmin(PolicyAdmin):
    list_display = ("code", "pcode", "name")


@admin.register(Municipality, site=site)
class MunicipalityAdmin(PolicyAdmin):
    list_display = ("code", "pcode", "name", "department")
    list_filter = ("department",)
    search_fields = ("code", "name")


@admin.register(Country, site=site)
class CountryAdmin(PolicyAdmin):
    list_display = ("iso2", "iso3", "name_es", "name_en")
    search_fields = ("iso2", "name_es", "name_en")
