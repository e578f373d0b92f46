"""International cooperation: support needs, pledges and interventions (who does what where)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SupportNeed(models.Model):
    """Support the government needs to carry out a commitment."""

    class Kind(models.TextChoices):
        FINANCING = "financing", _("Financing")
        TECHNICAL = "technical", _("Technical assistance")
        EQUIPMENT = "equipment", _("Equipment")
        TRAINING = "training", _("Training")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    commitment = models.ForeignKey("plan.Commitment", on_delete=models.PROTECT, related_name="needs")
    description_es = models.CharField(_("description (Spanish)"), max_length=500)
    description_en = models.CharField(_("description (English)"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    estimated_cost_usd = models.DecimalField(_("estimated cost (USD)"), max_digits=14, decimal_places=2)
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices, default=Priority.MEDIUM)

    class Meta:
        ordering = ["commitment_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_cost_usd__gte=0), name="need_cost_nonneg"),
        ]

    @property
    def description(self) -> str:
        en = (get_language() or "es").startswith("en")
        return self.description_en if en and self.description_en else self.description_es


class ExchangeRate(models.Model):
    """USD value of one unit of a currency from a date on (used to express pledges in USD)."""

    currency = models.CharField(max_length=3)
    usd_per_unit = models.DecimalField(max_digits=18, decimal_places=8)
    valid_from = models.DateField()

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="rate_unique"),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="rate_positive"),
        ]


class Pledge(models.Model):
    class State(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        COMMITTED = "committed", _("Committed")
        DISBURSED = "disbursed", _("Disbursed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, related_name="pledges")
    commitment = models.ForeignKey("plan.Commitment", on_delete=models.PROTECT, related_name="pledges")
    need = models.ForeignKey(SupportNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="pledges")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLEDGED)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    amount_usd = models.DecimalField(_("amount (USD)"), max_digits=16, decimal_places=2)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(condition=Q(amount_usd__gte=0), name="pledge_usd_nonneg"),
        ]


class Sector(models.TextChoices):
    PROTECTION = "protection", _("Protection")
    EDUCATION = "education", _("Education")
    LIVELIHOODS = "livelihoods", _("Livelihoods and employment")
    HEALTH = "health", _("Health and mental health")
    SHELTER = "shelter", _("Shelter and housing")
    CASH = "cash", _("Cash assistance")
    LEGAL = "legal", _("Legal assistance and documentation")
    INSTITUTIONAL = "institutional", _("Institutional strengthening")
    PREVENTION = "prevention", _("Violence prevention")


class Population(models.TextChoices):
    RETURNEES = "returnees", _("Returnees")
    IDPS = "idps", _("Internally displaced people")
    AT_RISK = "at_risk", _("Communities at risk")
    HOST = "host", _("Host communities")


class Intervention(models.Model):
    """Who does what, where and when; one intervention can cover many municipalities."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    implementer = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="interventions",
        verbose_name=_("implementing organisation"),
    )
    funders = models.ManyToManyField("accounts.Institution", blank=True, related_name="funded_interventions", verbose_name=_("funders"))
    sector = models.CharField(_("sector"), max_length=15, choices=Sector.choices)
    activity = models.CharField(_("activity"), max_length=500)
    municipalities = models.ManyToManyField("geo.Municipality", related_name="interventions", verbose_name=_("municipalities"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    populations = models.JSONField(_("target population"), default=list)
    targeted_women = models.PositiveIntegerField(default=0)
    targeted_men = models.PositiveIntegerField(default=0)
    targeted_girls = models.PositiveIntegerField(default=0)
    targeted_boys = models.PositiveIntegerField(default=0)
    reached_women = models.PositiveIntegerField(default=0)
    reached_men = models.PositiveIntegerField(default=0)
    reached_girls = models.PositiveIntegerField(default=0)
    reached_boys = models.PositiveIntegerField(default=0)
    reached_note = models.CharField(_("note on people reached"), max_length=500, blank=True)
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=16, decimal_places=2, default=0)
    commitments = models.ManyToManyField("plan.Commitment", blank=True, related_name="interventions", verbose_name=_("commitments"))
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="intervention_dates_order"),
            models.CheckConstraint(condition=Q(budget_usd__gte=0), name="intervention_budget_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def targeted(self) -> int:
        return self.targeted_women + self.targeted_men + self.targeted_girls + self.targeted_boys

    @property
    def reached(self) -> int:
        return self.reached_women + self.reached_men + self.reached_girls + self.reached_boys


class ImportBatch(models.Model):
    """An uploaded HXL intervention file waiting for the user's confirmation.

    The file is kept as uploaded and parsed again on confirmation: nothing reaches the
    interventions before the user has seen the row-by-row validation report and confirmed.
    """

    class Status(models.TextChoices):
        STAGED = "staged", _("Waiting for confirmation")
        APPLIED = "applied", _("Saved")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=4)  # "csv" or "xlsx"
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STAGED)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]
