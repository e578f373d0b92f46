import django.db.models.deletion
from django.db import migrations, models


def index_existing_changes(apps, schema_editor):
    """Every change but batch runs gets its moved records indexed; records deleted since are skipped."""
    Change = apps.get_model("identity", "Change")
    ChangedRecord = apps.get_model("identity", "ChangedRecord")
    Record = apps.get_model("identity", "Record")
    for change in Change.objects.exclude(kind="batch").iterator(chunk_size=200):
        moved = {m[0] for m in change.moves}
        existing = Record.objects.filter(pk__in=moved).values_list("pk", flat=True)
        ChangedRecord.objects.bulk_create(
            [ChangedRecord(change_id=change.pk, record_id=pk) for pk in existing], batch_size=5000
        )


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0002_review_item_explained_on_view'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangedRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('change', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='records', to='identity.change')),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='identity.record')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('record', 'change'), name='identity_changed_record_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='change',
            index=models.Index(fields=['at'], name='identity_change_at_idx'),
        ),
        migrations.RunPython(index_existing_changes, migrations.RunPython.noop),
    ]
