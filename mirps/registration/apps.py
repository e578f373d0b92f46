from django.apps import AppConfig


class Config(AppConfig):
    name = "mirps.registration"
    label = "registration"
    default_auto_field = "django.db.models.BigAutoField"
