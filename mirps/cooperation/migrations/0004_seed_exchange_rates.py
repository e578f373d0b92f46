"""Reference exchange rates used to express pledges in USD.

These are ILLUSTRATIVE reference rates (roughly the market rates of early 2022), valid from
2022-01-01. The administrator maintains them in the admin (add a row with a later `valid_from`
to change a rate: a pledge takes the latest rate valid on its date, so older pledges keep theirs).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

# USD value of one unit of each currency.
RATES = {
    "USD": "1",
    "EUR": "1.13",
    "HNL": "0.0411",
    "SEK": "0.110",
    "CHF": "1.09",
    "JPY": "0.0087",
    "CAD": "0.79",
    "GBP": "1.35",
    "MXN": "0.049",
    "BRL": "0.18",
    "CLP": "0.0012",
}
VALID_FROM = date(2022, 1, 1)


def seed(apps, schema_editor):
    ExchangeRate = apps.get_model("cooperation", "ExchangeRate")
    for currency, rate in RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, valid_from=VALID_FROM, defaults={"usd_per_unit": Decimal(rate)}
        )


def unseed(apps, schema_editor):
    ExchangeRate = apps.get_model("cooperation", "ExchangeRate")
    ExchangeRate.objects.filter(currency__in=list(RATES), valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0003_import_batch")]

    operations = [migrations.RunPython(seed, unseed)]
