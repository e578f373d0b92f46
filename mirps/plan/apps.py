from django.apps import AppConfig


class Config(AppConfig):
    name = "mirps.plan"
    label = "plan"
    default_auto_field = "django.db.models.BigAutoField"
