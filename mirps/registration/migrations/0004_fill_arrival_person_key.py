"""Backfill Arrival.person_key from the person's surname key (separate from the schema change)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Arrival = apps.get_model("registration", "Arrival")
    Person = apps.get_model("registration", "Person")
    key = Person.objects.filter(pk=OuterRef("person_id")).values("search_surname1")[:1]
    Arrival.objects.update(person_key=Subquery(key))


class Migration(migrations.Migration):
    dependencies = [("registration", "0003_arrival_person_key")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
