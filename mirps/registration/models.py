from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class DocumentSituation(models.TextChoices):
    DNI = "dni", _("Has a DNI")
    LOST = "lost", _("DNI lost or stolen")
    EXPIRED = "expired", _("Old identity card, expired")
    NONE = "none", _("Never had a DNI")


class Ethnicity(models.TextChoices):
    NONE = "none", _("Not indigenous or Afro-Honduran")
    LENCA = "lenca", "Lenca"
    MISKITU = "miskitu", "Miskitu"
    GARIFUNA = "garifuna", "Garífuna"
    AFRO_ENGLISH = "afro_english", _("English-speaking Afro-Honduran")
    TOLUPAN = "tolupan", "Tolupán"
    CHORTI = "chorti", "Maya Chortí"
    PECH = "pech", "Pech"
    TAWAHKA = "tawahka", "Tawahka"
    NAHUA = "nahua", "Nahua"
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class WGAnswer(models.IntegerChoices):
    """Washington Group short set answer scale."""

    NO = 1, _("No difficulty")
    SOME = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


class Person(models.Model):
    """An identity. One person has one arrival per return."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_names = models.CharField(_("given names"), max_length=100)
    surname1 = models.CharField(_("first surname"), max_length=60)
    surname2 = models.CharField(_("second surname"), max_length=60, blank=True)
    # Accent- and case-free copies for lookup; maintained by the service that writes names.
    search_surname1 = models.CharField(max_length=60, editable=False)
    search_given = models.CharField(max_length=100, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    nationality = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("nationality")
    )
    document_situation = models.CharField(
        _("identity document"), max_length=10, choices=DocumentSituation.choices
    )
    dni = models.CharField(_("DNI"), max_length=13, null=True, blank=True)
    ethnicity = models.CharField(
        _("indigenous or Afro-Honduran people"),
        max_length=15,
        choices=Ethnicity.choices,
        default=Ethnicity.NONE,
    )
    wg_seeing = models.PositiveSmallIntegerField(_("difficulty seeing"), choices=WGAnswer.choices, null=True, blank=True)
    wg_hearing = models.PositiveSmallIntegerField(_("difficulty hearing"), choices=WGAnswer.choices, null=True, blank=True)
    wg_walking = models.PositiveSmallIntegerField(_("difficulty walking or climbing steps"), choices=WGAnswer.choices, null=True, blank=True)
    wg_cognition = models.PositiveSmallIntegerField(_("difficulty remembering or concentrating"), choices=WGAnswer.choices, null=True, blank=True)
    wg_selfcare = models.PositiveSmallIntegerField(_("difficulty with self-care"), choices=WGAnswer.choices, null=True, blank=True)
    wg_communication = models.PositiveSmallIntegerField(_("difficulty communicating"), choices=WGAnswer.choices, null=True, blank=True)
    # Sensitive group: contact details.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["search_surname1", "search_given"]
        verbose_name = _("person")
        constraints = [
            models.UniqueConstraint(
                fields=["dni"], condition=Q(dni__isnull=False), name="person_dni_unique"
            ),
            models.CheckConstraint(
                condition=Q(dni__isnull=True) | Q(dni__regex=r"^[0-9]{13}$"),
                name="person_dni_13_digits",
            ),
            models.CheckConstraint(
                condition=Q(document_situation="dni", dni__isnull=False)
                | (~Q(document_situation="dni") & Q(dni__isnull=True)),
                name="person_dni_matches_situation",
            ),
        ]
        indexes = [
            models.Index(fields=["search_surname1", "search_given"], name="person_name_idx"),
            models.Index(fields=["birth_date"], name="person_birth_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.surname1} {self.surname2}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def has_disability(self) -> bool:
        answers = [
            self.wg_seeing, self.wg_hearing, self.wg_walking,
            self.wg_cognition, self.wg_selfcare, self.wg_communication,
        ]
        return any(a is not None and a >= WGAnswer.A_LOT for a in answers)


class IdentityDocument(models.Model):
    """A document other than the DNI: passport, consular document, birth certificate, foreign paper."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        CONSULAR = "consular", _("Consular travel document")
        BIRTH_CERTIFICATE = "birth_cert", _("Birth certificate")
        FOREIGN = "foreign", _("Foreign document (e.g. removal papers)")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        LOST = "lost", _("Lost")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "number"], name="document_unique")
        ]


class FamilyGroup(models.Model):
    """People who arrive together; each member's arrival points here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reception_point = models.ForeignKey("accounts.Site", on_delete=models.PROTECT, related_name="+")


class Modality(models.TextChoices):
    AIR = "air", _("Air")
    LAND = "land", _("Land")
    SEA = "sea", _("Sea")


class ReturnType(models.TextChoices):
    DEPORTED = "deported", _("Deported")
    ASSISTED = "assisted", _("Assisted return")
    VOLUNTARY = "voluntary", _("Voluntary return")


class TravelMode(models.TextChoices):
    ALONE = "alone", _("Travelled alone")
    FAMILY_UNIT = "family_unit", _("Family unit")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No protection need identified")
    POSSIBLE = "possible", _("Possible protection need")
    URGENT = "urgent", _("Urgent protection need")


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("No follow-up")
    OPEN = "open", _("Waiting for protection staff")
    TAKEN = "taken", _("Taken by protection staff")
    CLOSED = "closed", _("Closed")


class Arrival(models.Model):
    """One return event of a person at a reception point."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # SHA-256 of the submitted content: a resubmission with the same client UUID must match it.
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrivals")
    sequence = models.PositiveSmallIntegerField(_("return number"), default=1)
    # Copy of the person's surname lookup key, so a registrar's "surname at my reception point,
    # newest first" is one index range (reception point, key) instead of a join over all persons.
    person_key = models.CharField(max_length=60, default="", editable=False)
    arrived_at = models.DateTimeField(_("date and time of arrival"))
    reception_point = models.ForeignKey(
        "accounts.Site", on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("reception point")
    )
    entry_point = models.ForeignKey(
        "accounts.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("entry point"),
    )
    modality = models.CharField(_("modality"), max_length=5, choices=Modality.choices)
    country_from = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country returned from")
    )
    return_type = models.CharField(_("return type"), max_length=10, choices=ReturnType.choices)
    travel_mode = models.CharField(_("travelled"), max_length=20, choices=TravelMode.choices)
    family_group = models.ForeignKey(
        FamilyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="arrivals"
    )
    months_abroad = models.PositiveSmallIntegerField(_("time abroad (months)"), null=True, blank=True)
    destination = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("destination municipality"),
    )
    reasons = models.ManyToManyField(
        "reference.Term", related_name="+", blank=True, verbose_name=_("reasons for migrating")
    )
    immediate_needs = models.ManyToManyField(
        "reference.Term", related_name="+", blank=True, verbose_name=_("immediate needs")
    )
    skill_trade = models.CharField(_("trade or occupation abroad"), max_length=100, blank=True)
    skill_years = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    skill_certificates = models.CharField(_("certificates held"), max_length=200, blank=True)
    # Sensitive group: where the person will stay.
    stay_address = models.CharField(_("where the person will stay"), max_length=200, blank=True)
    # Derived at registration, kept for constraints, lists and statistics.
    age_years = models.PositiveSmallIntegerField(_("age at arrival"), null=True, blank=True)
    need_level = models.CharField(
        _("protection need"), max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE
    )
    follow_up_institution = models.ForeignKey(
        "accounts.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("follow-up by"),
    )
    follow_up_status = models.CharField(
        _("follow-up"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("arrival")
        constraints = [
            models.CheckConstraint(
                condition=~Q(travel_mode="unaccompanied_child") | Q(age_years__lt=18),
                name="arrival_unaccompanied_is_child",
            ),
            models.CheckConstraint(
                condition=Q(need_level="none", follow_up_institution__isnull=True)
                | (~Q(need_level="none") & Q(follow_up_institution__isnull=False)),
                name="arrival_follow_up_iff_need",
            ),
            models.UniqueConstraint(fields=["person", "sequence"], name="arrival_person_sequence"),
        ]
        indexes = [
            # Lists sort by (arrived_at, id) newest first; the index carries both so no sort is needed.
            models.Index(fields=["reception_point", "-arrived_at", "-id"], name="arrival_rp_time_id_idx"),
            models.Index(fields=["-arrived_at", "-id"], name="arrival_time_id_idx"),
            # What was registered since a moment (the people page brings its kept counts forward).
            models.Index(fields=["created_at"], name="arrival_created_idx"),
            # Covers the filter and the order, so a page is chosen from the index alone.
            models.Index(fields=["reception_point", "person_key", "arrived_at", "id"], name="arrival_rp_key_time_idx"),
            models.Index(
                fields=["follow_up_institution", "follow_up_status", "-arrived_at"],
                name="arrival_followup_idx",
            ),
        ]


class Screening(models.Model):
    """Protection screening made at arrival. Most fields here are in the sensitive group."""

    arrival = models.OneToOneField(Arrival, on_delete=models.CASCADE, related_name="screening")
    fear_of_return = models.BooleanField(_("fear of return"), default=False)
    fear_municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("where the person fears to return"),
    )
    violence_types = models.ManyToManyField(
        "reference.Term", related_name="+", blank=True, verbose_name=_("violence suffered")
    )
    perpetrator_types = models.ManyToManyField(
        "reference.Term", related_name="+", blank=True, verbose_name=_("perpetrators")
    )
    violence_narrative = models.TextField(_("account of violence"), max_length=4000, blank=True)
    displaced_before = models.BooleanField(_("displaced inside Honduras before leaving"), default=False)
    specific_needs = models.ManyToManyField(
        "reference.Term", related_name="+", blank=True, verbose_name=_("specific needs")
    )
    health_notes = models.TextField(_("health situation"), max_length=2000, blank=True)
    sgbv_disclosed = models.BooleanField(_("sexual or gender-based violence disclosed"), default=False)
    lgbtiq = models.CharField(
        _("sexual orientation or gender identity (self-identified)"), max_length=20, blank=True,
        choices=[("lgbtiq", _("LGBTIQ+")), ("no", _("No")), ("undisclosed", _("Prefers not to say"))],
    )
    consent_registration = models.BooleanField(_("consents to registration"), default=False)
    consent_referral = models.BooleanField(_("consents to referral to protection institutions"), default=False)
    consent_international = models.BooleanField(_("consents to sharing with international organisations"), default=False)
    need_level = models.CharField(max_length=10, choices=NeedLevel.choices, default=NeedLevel.NONE)
    need_reasons = models.JSONField(default=list, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(auto_now_add=True)


class RegistrationDraft(models.Model):
    """A form a registrar has not finished; only its author sees it; removed once registered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("accounts.Site", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
