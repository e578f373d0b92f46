from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("INE code"), max_length=2, unique=True)
    pcode = models.CharField(_("P-code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        constraints = [
            models.CheckConstraint(condition=Q(pcode__startswith="HN"), name="dept_pcode_hn")
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("INE code"), max_length=4, unique=True)
    pcode = models.CharField(_("P-code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.department.name})"


class Country(models.Model):
    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, unique=True)
    name_es = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es

    def __str__(self) -> str:
        return self.label
