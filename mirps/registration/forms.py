"""HTML input for registration. Forms only parse and show errors; the service validates and saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mirps.accounts.models import Site
from mirps.geo.models import Country, Municipality
from mirps.reference.models import Term
from mirps.registration.inputs import ArrivalInput, DocumentInput, PersonInput, ScreeningInput
from mirps.registration.models import (
    DocumentSituation,
    Ethnicity,
    IdentityDocument,
    Modality,
    NeedLevel,
    ReturnType,
    Sex,
    TravelMode,
    WGAnswer,
)

BLANK = [("", "—")]
PERSON_FIELDS = (
    "given_names", "surname1", "surname2", "sex", "birth_date", "age_estimate", "nationality",
    "document_situation", "dni", "ethnicity", "phone", "email", "other_document_kind",
    "other_document_number", "wg_seeing", "wg_hearing", "wg_walking", "wg_cognition",
    "wg_selfcare", "wg_communication",
)


def _terms(vocabulary: str) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in Term.objects.filter(vocabulary=vocabulary, active=True)]


def _specific_needs() -> list[tuple[str, str]]:
    return [(t.code, f"{t.code} · {t.label}") for t in Term.objects.filter(vocabulary="specific_need", active=True)]


def _municipalities() -> list[tuple[str, str]]:
    rows = Municipality.objects.select_related("department").order_by("department__code", "name")
    return BLANK + [(m.code, f"{m.name} — {m.department.name} ({m.code})") for m in rows]


def _countries(exclude_hn: bool) -> list[tuple[str, str]]:
    common = ["US", "MX", "GT", "ES", "BZ", "SV", "NI", "CR", "CA", "PA"]
    rows = {c.iso2: c.label for c in Country.objects.all()}
    if exclude_hn:
        rows.pop("HN", None)
    first = [(c, rows[c]) for c in common if c in rows]
    rest = sorted(((k, v) for k, v in rows.items() if k not in common), key=lambda kv: kv[1])
    return BLANK + first + rest


class RegistrationForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    draft_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    family_group = forms.UUIDField(widget=forms.HiddenInput, required=False)
    person_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    # Identity
    given_names = forms.CharField(label=_("Given names"), max_length=100, required=False)
    surname1 = forms.CharField(label=_("First surname"), max_length=60, required=False)
    surname2 = forms.CharField(label=_("Second surname"), max_length=60, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + list(Sex.choices), required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    age_estimate = forms.IntegerField(label=_("or estimated age (years)"), required=False, min_value=0, max_value=110)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    document_situation = forms.ChoiceField(label=_("Identity document"), choices=DocumentSituation.choices, required=False)
    dni = forms.CharField(label=_("DNI"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "0000-0000-00000"}))
    other_document_kind = forms.ChoiceField(label=_("Other document"), choices=BLANK + list(IdentityDocument.Kind.choices), required=False)
    other_document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    ethnicity = forms.ChoiceField(label=_("Indigenous or Afro-Honduran people"), choices=Ethnicity.choices, required=False)
    wg_seeing = forms.TypedChoiceField(label=_("Difficulty seeing, even with glasses"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    wg_hearing = forms.TypedChoiceField(label=_("Difficulty hearing, even with a hearing aid"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    wg_walking = forms.TypedChoiceField(label=_("Difficulty walking or climbing steps"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    wg_cognition = forms.TypedChoiceField(label=_("Difficulty remembering or concentrating"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    wg_selfcare = forms.TypedChoiceField(label=_("Difficulty with self-care"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    wg_communication = forms.TypedChoiceField(label=_("Difficulty communicating"), choices=BLANK + list(WGAnswer.choices), coerce=int, empty_value=None, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    # Arrival
    arrived_at = forms.DateTimeField(label=_("Date and time of arrival"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    reception_point = forms.ChoiceField(label=_("Reception point"))
    entry_point = forms.ChoiceField(label=_("Entry point"), required=False)
    modality = forms.ChoiceField(label=_("Modality"), choices=Modality.choices)
    country_from = forms.ChoiceField(label=_("Country returned from"))
    return_type = forms.ChoiceField(label=_("Return type"), choices=ReturnType.choices)
    travel_mode = forms.ChoiceField(label=_("Travelled"), choices=TravelMode.choices)
    months_abroad = forms.IntegerField(label=_("Time abroad (months)"), required=False, min_value=0, max_value=1200)
    destination = forms.ChoiceField(label=_("Destination municipality"))
    reasons = forms.MultipleChoiceField(label=_("Reasons for migrating"), required=False, widget=forms.CheckboxSelectMultiple)
    immediate_needs = forms.MultipleChoiceField(label=_("Immediate needs"), required=False, widget=forms.CheckboxSelectMultiple)
    skill_trade = forms.CharField(label=_("Trade or occupation abroad"), max_length=100, required=False)
    skill_years = forms.IntegerField(label=_("Years of experience"), required=False, min_value=0, max_value=80)
    skill_certificates = forms.CharField(label=_("Certificates held"), max_length=200, required=False)
    stay_address = forms.CharField(label=_("Where the person will stay"), max_length=200, required=False)

    # Screening
    fear_of_return = forms.BooleanField(label=_("Fears returning to their place of origin"), required=False)
    fear_municipality = forms.ChoiceField(label=_("Where"), required=False)
    violence_types = forms.MultipleChoiceField(label=_("Violence suffered"), required=False, widget=forms.CheckboxSelectMultiple)
    perpetrator_types = forms.MultipleChoiceField(label=_("By whom"), required=False, widget=forms.CheckboxSelectMultiple)
    violence_narrative = forms.CharField(label=_("Account (in the person's words)"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    displaced_before = forms.BooleanField(label=_("Was displaced inside Honduras before leaving"), required=False)
    specific_needs = forms.MultipleChoiceField(label=_("Specific needs (UNHCR codes)"), required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    health_notes = forms.CharField(label=_("Health situation"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sgbv_disclosed = forms.BooleanField(label=_("Discloses sexual or gender-based violence"), required=False)
    lgbtiq = forms.ChoiceField(
        label=_("Sexual orientation or gender identity (only if the person volunteers it)"), required=False,
        choices=[("", "—"), ("lgbtiq", _("LGBTIQ+")), ("no", _("No")), ("undisclosed", _("Prefers not to say"))],
    )
    consent_registration = forms.BooleanField(label=_("Consents to registration"), required=False, initial=True)
    consent_referral = forms.BooleanField(label=_("Consents to referral to protection institutions"), required=False)
    consent_international = forms.BooleanField(label=_("Consents to sharing with international organisations"), required=False)

    def __init__(self, *args: Any, registration_sites: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        munis = _municipalities()
        self.fields["destination"].choices = munis
        self.fields["fear_municipality"].choices = munis
        self.fields["nationality"].choices = _countries(exclude_hn=False)
        self.fields["country_from"].choices = _countries(exclude_hn=True)
        rps = Site.objects.filter(pk__in=registration_sites, kind=Site.Kind.RECEPTION_POINT)
        self.fields["reception_point"].choices = [(s.code, s.label) for s in rps]
        entries = Site.objects.filter(kind=Site.Kind.ENTRY_POINT, active=True)
        self.fields["entry_point"].choices = BLANK + [(s.code, s.label) for s in entries]
        self.fields["reasons"].choices = _terms("migration_reason")
        self.fields["immediate_needs"].choices = _terms("immediate_need")
        self.fields["violence_types"].choices = _terms("violence_type")
        self.fields["perpetrator_types"].choices = _terms("perpetrator_type")
        self.fields["specific_needs"].choices = _specific_needs()
        if not self.is_bound:
            self.fields["nationality"].initial = "HN"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person_id"):
            for f in ("given_names", "surname1", "sex"):
                if not data.get(f):
                    self.add_error(f, _("This field is required."))
        return data

    def person_input(self) -> PersonInput | None:
        d = self.cleaned_data
        if d.get("person_id"):
            return None
        docs = []
        if d.get("other_document_kind") and d.get("other_document_number"):
            docs.append(DocumentInput(kind=d["other_document_kind"], number=d["other_document_number"]))
        return PersonInput(
            given_names=d["given_names"], surname1=d["surname1"], surname2=d.get("surname2", ""),
            sex=d["sex"], birth_date=d.get("birth_date"), age_estimate=d.get("age_estimate"),
            nationality=d.get("nationality") or "HN", document_situation=d.get("document_situation") or "none",
            dni=d.get("dni", ""), ethnicity=d.get("ethnicity") or "none",
            wg_seeing=d.get("wg_seeing"), wg_hearing=d.get("wg_hearing"), wg_walking=d.get("wg_walking"),
            wg_cognition=d.get("wg_cognition"), wg_selfcare=d.get("wg_selfcare"),
            wg_communication=d.get("wg_communication"), phone=d.get("phone", ""), email=d.get("email", ""),
            documents=docs,
        )

    def arrival_input(self) -> ArrivalInput:
        d = self.cleaned_data
        return ArrivalInput(
            arrived_at=d["arrived_at"], reception_point=d["reception_point"], entry_point=d.get("entry_point", ""),
            modality=d["modality"], country_from=d["country_from"], return_type=d["return_type"],
            travel_mode=d["travel_mode"], destination=d["destination"], months_abroad=d.get("months_abroad"),
            reasons=d.get("reasons", []), immediate_needs=d.get("immediate_needs", []),
            skill_trade=d.get("skill_trade", ""), skill_years=d.get("skill_years"),
            skill_certificates=d.get("skill_certificates", ""), stay_address=d.get("stay_address", ""),
        )

    def screening_input(self) -> ScreeningInput:
        d = self.cleaned_data
        return ScreeningInput(
            fear_of_return=d.get("fear_of_return", False), fear_municipality=d.get("fear_municipality", ""),
            violence_types=d.get("violence_types", []), perpetrator_types=d.get("perpetrator_types", []),
            violence_narrative=d.get("violence_narrative", ""), displaced_before=d.get("displaced_before", False),
            specific_needs=d.get("specific_needs", []), health_notes=d.get("health_notes", ""),
            sgbv_disclosed=d.get("sgbv_disclosed", False), lgbtiq=d.get("lgbtiq", ""),
            consent_registration=d.get("consent_registration", False),
            consent_referral=d.get("consent_referral", False),
            consent_international=d.get("consent_international", False),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's field messages next to the matching inputs."""
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            if field == "person":
                target = None
            for m in messages:
                self.add_error(target, m)


class ArrivalFilterForm(forms.Form):
    q = forms.CharField(label=_("Surname or DNI"), max_length=60, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    need_level = forms.ChoiceField(label=_("Protection need"), choices=BLANK + list(NeedLevel.choices), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000, widget=forms.HiddenInput)


class CandidateQueryForm(forms.Form):
    dni = forms.CharField(max_length=20, required=False)
    given_names = forms.CharField(max_length=100, required=False)
    surname1 = forms.CharField(max_length=60, required=False)
    surname2 = forms.CharField(max_length=60, required=False)
    birth_date = forms.DateField(required=False)
    sex = forms.ChoiceField(choices=[("", ""), ("F", "F"), ("M", "M")], required=False)
