from django.apps import AppConfig


class Config(AppConfig):
    name = "mirps.public"
    label = "public"
    default_auto_field = "django.db.models.BigAutoField"
