from django.apps import AppConfig


class Config(AppConfig):
    name = "mirps.reference"
    label = "reference"
    default_auto_field = "django.db.models.BigAutoField"
