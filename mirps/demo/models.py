"""Ground truth of the synthetic data: which Person records and arrivals are the same human.

The generator knows who is who; the registry does not (a re-registration with another spelling
becomes a second Person record, as in the real registry). Identity resolution is measured
against these tables. They hold ids and integers only, never a personal value.

Plain UUID columns rather than foreign keys, so that merging or deleting Person records (what
identity resolution does) never cascades into, or is blocked by, the truth it is judged by.
"""

from __future__ import annotations

from django.db import models


class PersonTruth(models.Model):
    """One Person record and the synthetic human it stands for."""

    person_id = models.UUIDField(primary_key=True)
    true_id = models.PositiveIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.true_id}"


class ArrivalTruth(models.Model):
    """One arrival and the synthetic human who arrived (stays right when records are merged)."""

    arrival_id = models.UUIDField(primary_key=True)
    true_id = models.PositiveIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.arrival_id} -> {self.true_id}"
