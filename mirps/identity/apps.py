from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "mirps.identity"
    label = "identity"
    verbose_name = _("Identity resolution")
    default_auto_field = "django.db.models.BigAutoField"
