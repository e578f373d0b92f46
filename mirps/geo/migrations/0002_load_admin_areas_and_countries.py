"""Departments and municipalities (INE codes, P-codes = "HN" + code) and ISO 3166 countries."""

import csv
import gettext
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "hn_admin_areas.csv"


def load(apps, schema_editor):
    import pycountry

    Department = apps.get_model("geo", "Department")
    Municipality = apps.get_model("geo", "Municipality")
    Country = apps.get_model("geo", "Country")
    depts = {}
    with CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["department_code"]
            if code not in depts:
                depts[code] = Department.objects.create(code=code, pcode="HN" + code, name=row["department_name"])
            m = row["municipality_code"]
            Municipality.objects.create(code=m, pcode="HN" + m, name=row["municipality_name"], department=depts[code])
    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    Country.objects.bulk_create(
        Country(
            iso2=c.alpha_2,
            iso3=c.alpha_3,
            name_en=getattr(c, "common_name", c.name),
            name_es=es.gettext(c.name),
        )
        for c in pycountry.countries
    )


def unload(apps, schema_editor):
    for model in ("Municipality", "Department", "Country"):
        apps.get_model("geo", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
