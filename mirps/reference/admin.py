from django.contrib import admin

from mirps.core.adminsite import PolicyAdmin, site
from mirps.reference.models import Term


@admin.register(Term, site=site)
class TermAdmin(PolicyAdmin):
    list_display = ("vocabulary", "code", "label_es", "label_en", "active")
    list_filter = ("vocabulary", "active")
    search_fields = ("code", "label_es", "label_en")
