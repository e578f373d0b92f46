"""Coordination meetings and their agreements, with follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    date = models.DateField(_("date"))
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    participants = models.ManyToManyField("accounts.Institution", related_name="meetings", verbose_name=_("participating organisations"))
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-date"]

    @property
    def title(self) -> str:
        en = (get_language() or "es").startswith("en")
        return self.title_en if en and self.title_en else self.title_es


class Agreement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveSmallIntegerField()
    text_es = models.TextField(_("agreement (Spanish)"), max_length=2000)
    text_en = models.TextField(_("agreement (English)"), max_length=2000, blank=True)
    responsible = models.ManyToManyField("accounts.Institution", related_name="agreements", verbose_name=_("responsible organisations"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["meeting_id", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agreement_number_unique")]

    @property
    def text(self) -> str:
        en = (get_language() or "es").startswith("en")
        return self.text_en if en and self.text_en else self.text_es


class FollowUpNote(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
