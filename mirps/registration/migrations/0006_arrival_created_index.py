from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_alter_membership_role'),
        ('geo', '0002_load_admin_areas_and_countries'),
        ('reference', '0002_load_terms'),
        ('registration', '0005_arrival_key_time_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='arrival',
            index=models.Index(fields=['created_at'], name='arrival_created_idx'),
        ),
    ]
