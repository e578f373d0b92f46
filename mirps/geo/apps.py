from django.apps import AppConfig


class Config(AppConfig):
    name = "mirps.geo"
    label = "geo"
    default_auto_field = "django.db.models.BigAutoField"
