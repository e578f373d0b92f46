from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """An entry of a controlled vocabulary, editable by administrators, labelled in both languages."""

    class Vocabulary(models.TextChoices):
        SPECIFIC_NEED = "specific_need", _("UNHCR specific-needs code")
        MIGRATION_REASON = "migration_reason", _("Reason for migrating")
        VIOLENCE_TYPE = "violence_type", _("Type of violence")
        PERPETRATOR_TYPE = "perpetrator_type", _("Type of perpetrator")
        IMMEDIATE_NEED = "immediate_need", _("Immediate need")

    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=20)
    group = models.CharField(_("group"), max_length=20, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    sort = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["vocabulary", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")
        ]
        verbose_name = _("term")

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "es").startswith("en") else self.label_es

    def __str__(self) -> str:
        return f"{self.code} {self.label}"
