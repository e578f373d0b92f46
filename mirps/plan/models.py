"""The MIRPS National Action Plan: versions, commitments, indicators and progress reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _pick(es: str, en: str) -> str:
    return en if (get_language() or "es").startswith("en") and en else es


class Area(models.TextChoices):
    PROTECTION = "protection", _("Protection")
    EDUCATION = "education", _("Education")
    LIVELIHOODS = "livelihoods", _("Jobs and livelihoods")


class Pillar(models.TextChoices):
    RECEPTION = "reception", _("Reception and admission")
    IMMEDIATE = "immediate", _("Immediate and persistent needs")
    HOST = "host", _("Support to host countries and communities")
    SOLUTIONS = "solutions", _("Durable solutions")


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    REPRIORITISED = "reprioritised", _("Reprioritised")


class Plan(models.Model):
    """A national action plan for one country and period; `version` grows with each re-prioritisation."""

    country = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveIntegerField(default=1)
    illustrative = models.BooleanField(
        _("illustrative content"), default=False,
        help_text=_("Demo commitments that are not the official text; shown with a warning."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="plan_period_order")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_es, self.title_en)


class Commitment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="commitments")
    code = models.CharField(_("code"), max_length=10)
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_es = models.TextField(_("description (Spanish)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    area = models.CharField(_("area"), max_length=15, choices=Area.choices)
    pillar = models.CharField(_("MIRPS pillar"), max_length=15, choices=Pillar.choices)
    responsible = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, related_name="commitments",
        verbose_name=_("responsible institution"),
    )
    co_responsible = models.ManyToManyField(
        "accounts.Institution", blank=True, related_name="co_commitments",
        verbose_name=_("co-responsible institutions"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    active = models.BooleanField(_("in the current plan version"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="commitment_code_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="commitment_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _pick(self.title_es, self.title_en)

    @property
    def description(self) -> str:
        return _pick(self.description_es, self.description_en)


class CommitmentRevision(models.Model):
    """Append-only history: the state of a commitment before each change (re-prioritisation)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="revisions")
    plan_version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    reason = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Source(models.TextChoices):
        REPORTED = "reported", _("Reported by the institution")
        COMPUTED = "computed", _("Computed from the registration data")

    class Metric(models.TextChoices):
        ARRIVALS_SCREENED = "arrivals_screened", _("Arrivals screened for protection needs")
        ARRIVALS_WITH_NEED = "arrivals_with_need", _("Arrivals with possible or urgent protection needs")
        REPEAT_RETURNS = "repeat_returns", _("Returns of people registered before")
        UNACCOMPANIED_CHILDREN = "unaccompanied_children", _("Unaccompanied children received")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="indicators")
    name_es = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    by_age = models.BooleanField(_("disaggregated by age band"), default=False)
    by_department = models.BooleanField(_("disaggregated by department"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.REPORTED)
    metric = models.CharField(_("computed metric"), max_length=30, choices=Metric.choices, blank=True)

    class Meta:
        ordering = ["commitment_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="reported", metric="") | (Q(source="computed") & ~Q(metric="")),
                name="indicator_metric_iff_computed",
            ),
            models.CheckConstraint(condition=~Q(target=F("baseline")), name="indicator_target_differs"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_es, self.name_en)


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("label"), max_length=40)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    closed = models.BooleanField(_("closed for reporting"), default=False)

    class Meta:
        ordering = ["plan_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="period_label_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="period_order"),
        ]

    def __str__(self) -> str:
        return self.label


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class ProgressReport(models.Model):
    """A focal point's report on one commitment for one period.

    An approved report is never edited: a correction is a new report with `version` + 1 that
    points to the one it replaces, which becomes `superseded` when the correction is approved.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    commitment_status = models.CharField(_("commitment status"), max_length=15, choices=CommitmentStatus.choices)
    narrative = models.TextField(_("narrative"), max_length=8000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commitment_id", "period_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "period", "version"], name="report_version_unique"),
            # At most one live (not superseded) approved report per commitment and period.
            models.UniqueConstraint(
                fields=["commitment", "period"], condition=Q(status="approved"), name="report_one_approved"
            ),
        ]


class IndicatorValue(models.Model):
    """A value of an indicator in a report; `breakdown` is "" for the total, or e.g. "sex:F", "dept:05"."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    breakdown = models.CharField(max_length=20, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator", "breakdown"], name="value_unique"),
        ]


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=10 * 1024 * 1024), name="evidence_max_10mb"),
        ]
