from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """A label kept in Spanish and English; `label` picks the active language."""

    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es

    def __str__(self) -> str:
        return self.label


class Institution(Bilingual):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government institution")
        MUNICIPALITY = "municipality", _("Municipality / UMAR")
        UN_AGENCY = "un_agency", _("UN agency")
        DONOR = "donor", _("Donor country")
        DEV_BANK = "dev_bank", _("Development bank")
        NGO = "ngo", _("NGO / civil society")
        REGIONAL = "regional", _("Regional organisation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")


class Site(Bilingual):
    """A place where people work: a reception point, an entry point, a remote care unit, a UMAR."""

    class Kind(models.TextChoices):
        RECEPTION_POINT = "reception_point", _("Reception point")
        ENTRY_POINT = "entry_point", _("Entry point (airport, border post, port)")
        REMOTE_UNIT = "remote_unit", _("Remote care unit")
        UMAR = "umar", _("Municipal unit for returnees (UMAR)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sites")
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    modality = models.CharField(
        _("usual modality"), max_length=10, blank=True, help_text=_("air, land or sea")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=[("es", "Español"), ("en", "English")], default="es"
    )


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar (reception point)")
    PROTECTION_OFFICER = "protection_officer", _("Protection officer")
    REMOTE_OPERATOR = "remote_operator", _("Remote care unit operator")
    FOCAL_POINT = "focal_point", _("Institution focal point")
    PARTNER = "partner", _("Cooperation partner")
    COORDINATOR = "coordinator", _("National coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")
    IDENTITY_REVIEWER = "identity_reviewer", _("Identity reviewer")


class Membership(models.Model):
    """What a user may do, for which institution, and (for site-bound roles) at which site."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role", "site"], name="membership_unique"
            ),
            # A registrar works at one reception point; a remote operator at one remote unit.
            models.CheckConstraint(
                condition=~Q(role__in=["registrar", "remote_operator"]) | Q(site__isnull=False),
                name="membership_site_required_for_site_roles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}@{self.institution_id}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; the prefix identifies it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class LoginFailure(models.Model):
    """One failed sign-in; counted per username and per address to throttle guessing."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
