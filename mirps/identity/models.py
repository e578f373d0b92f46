"""Identity resolution state: who is whom among the Person records.

A Person record is what a registrar typed at one counter. A *resolved person* (a cluster) is the
human behind one or more records; `Record.cluster` names it (the id of one of its records). Merges
and splits only move records between clusters and every move is kept in `Change`, so each is
reversible and the arrivals never move: the arrival history follows the cluster.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    """The engine's copy of a Person record: normalised on write, read by batch and lookup."""

    person = models.OneToOneField(
        "registration.Person", on_delete=models.CASCADE, primary_key=True, related_name="identity"
    )
    cluster = models.UUIDField(db_index=True)
    given_names = models.CharField(max_length=100)
    surname1 = models.CharField(max_length=60)
    surname2 = models.CharField(max_length=60, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_date_estimated = models.BooleanField(default=False)
    dni = models.CharField(max_length=13, blank=True)
    municipality = models.CharField(max_length=4, blank=True)  # destination at first registration
    first_arrival = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity record")

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cluster}"


class Key(models.Model):
    """A blocking key of a record: the online lookup reads only the records sharing a key."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="keys")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "record"], name="identity_key_lookup")]
        constraints = [models.UniqueConstraint(fields=["record", "key"], name="identity_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}"


class ModelVersion(models.Model):
    """Weights and thresholds of the matching model; the newest active one is used."""

    class Method(models.TextChoices):
        DEFAULT = "default", _("Default weights")
        EM = "em", _("Estimated from the data (EM)")
        LABELLED = "labelled", _("Estimated from review decisions")

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    params = models.JSONField()
    auto_threshold = models.FloatField(_("link automatically from"), default=0.95)
    review_threshold = models.FloatField(_("send to review from"), default=0.40)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_threshold__gt=0) & Q(review_threshold__lt=F("auto_threshold")) & Q(auto_threshold__lt=1),
                name="identity_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.created_at:%Y-%m-%d}"


class Run(models.Model):
    """One batch resolution of the whole registry, run as a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=30, blank=True)
    progress = models.FloatField(default=0)
    train = models.BooleanField(default=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    model = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveBigIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    review_items = models.PositiveIntegerField(default=0)
    timings = models.JSONField(default=dict)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} {self.status}"


class ReviewItem(models.Model):
    """Two records the engine is unsure about, waiting for a trained reviewer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        SAME = "same", _("Same person (merged)")
        DIFFERENT = "different", _("Different people")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("At registration")
        BATCH = "batch", _("Batch run")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()  # when queued; the compare page explains the pair with the model in force
    source = models.CharField(max_length=15, choices=Source.choices)
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-probability"]
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="identity_review_pair_unique"),
            models.CheckConstraint(condition=Q(record_a__lt=F("record_b")), name="identity_review_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="identity_review_queue")]

    def __str__(self) -> str:
        return f"{self.record_a_id} ~ {self.record_b_id} ({self.status})"


class Decision(models.Model):
    """A reviewer's ruling on a pair: same person (must link) or different people (cannot link).

    Batch runs obey these: what a person decided, a machine does not undo.
    """

    class Kind(models.TextChoices):
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different people")

    record_a = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    change = models.ForeignKey("Change", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    ended_by = models.ForeignKey("Change", on_delete=models.PROTECT, null=True, blank=True, related_name="ended_decisions")
    active = models.BooleanField(default=True)  # false once undone

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(record_a__lt=F("record_b")), name="identity_decision_pair_ordered"),
            models.UniqueConstraint(
                fields=["record_a", "record_b"], condition=Q(active=True), name="identity_decision_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.record_a_id} / {self.record_b_id}"


class Change(models.Model):
    """One operation that moved records between clusters, with every move, so it can be undone."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("Linked automatically at registration")
        BATCH = "batch", _("Batch run")
        MERGE = "merge", _("Merged by a reviewer")
        SPLIT = "split", _("Split by a reviewer")
        UNDO = "undo", _("Undone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    moves = models.JSONField()  # [[person_id, cluster_before, cluster_after], ...]
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    undone_by = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="undoes")

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"], name="identity_change_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} ({len(self.moves)} records)"


class ChangedRecord(models.Model):
    """A record that a change moved: a person's changes are found through this index, however
    many changes came after. Not written for batch runs (a run is undone from the runs page)."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="records")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "change"], name="identity_changed_record_unique")]
