from __future__ import annotations

from django.db import models


class ArrivalCount(models.Model):
    """Pre-aggregated arrival counts per month, reception point and one dimension value.

    Kept exact by the registration service in the same transaction as each arrival, so the
    dashboard reads a few thousand rows instead of scanning millions of arrivals.
    `stats_rebuild` recomputes everything from the arrivals (tests check both agree).
    """

    month = models.DateField()
    reception_point = models.ForeignKey("accounts.Site", on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "reception_point", "dimension", "key"], name="arrivalcount_unique"
            ),
            models.CheckConstraint(condition=models.Q(count__gte=0), name="arrivalcount_nonneg"),
        ]
        indexes = [models.Index(fields=["dimension", "month"], name="arrivalcount_dim_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reception_point_id} {self.dimension}={self.key}: {self.count}"
