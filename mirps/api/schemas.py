"""Request and response shapes of the API. The OpenAPI schema generated from them is the validation.

Inputs are strict: every string has the model's length limit and no control characters, enums are
Literal types built from the model choices, dates and times must be ISO 8601 strings (a number is
not taken for a timestamp), and unknown fields are refused so a misspelt field is not dropped.

Outputs come in two shapes for records with sensitive fields: a basic one with none of them and a
`…Sensitive` one. The endpoint picks the shape from the actor; the `view` field ("basic" or
"sensitive") tells the client which one it got and lets the OpenAPI schema describe both.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import TextChoices
from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from mirps.accounts.models import Site
from mirps.reference.models import Term
from mirps.registration.models import (
    DocumentSituation,
    Ethnicity,
    FollowUpStatus,
    IdentityDocument,
    Modality,
    NeedLevel,
    ReturnType,
    Sex,
    TravelMode,
)

# Control characters are refused in one-line fields; PostgreSQL would fail on NUL with a 500.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
# Free text may hold tabs and line breaks, nothing else below 0x20.
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# Bounds that keep dates inside what Python and the database convert without overflow
# (a time near year 1 or 9999 overflows when moved to local time); the services give the
# business limits (arrival not before 2000, birth not before 1900).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def _codes(choices: type[TextChoices]) -> Any:
    """A Literal of the stored values of a model's choices, so the API follows the model."""
    return Literal[tuple(choices.values)]


SexCode = _codes(Sex)
DocumentSituationCode = _codes(DocumentSituation)
EthnicityCode = _codes(Ethnicity)
ModalityCode = _codes(Modality)
ReturnTypeCode = _codes(ReturnType)
TravelModeCode = _codes(TravelMode)
NeedLevelCode = _codes(NeedLevel)
FollowUpStatusCode = _codes(FollowUpStatus)
DocumentKindCode = _codes(IdentityDocument.Kind)
DocumentStatusCode = _codes(IdentityDocument.Status)
VocabularyCode = _codes(Term.Vocabulary)
SiteKindCode = _codes(Site.Kind)
LgbtiqCode = Literal["", "lgbtiq", "no", "undisclosed"]
# Washington Group answers 1-4; a strict int so that true or 1.0 is not taken for 1.
WGAnswerCode = Annotated[StrictInt, Field(ge=1, le=4)]

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def _iso_date(value: Any) -> date:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if MIN_DATE <= parsed <= MAX_DATE:
                return parsed
    raise PydanticCustomError("date_format", "Expected a date as YYYY-MM-DD")


def _iso_datetime(value: Any) -> datetime:
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            parsed = datetime.fromisoformat(value.upper())
        except ValueError:
            pass
        else:
            if MIN_DATE <= parsed.date() <= MAX_DATE:
                return parsed
    raise PydanticCustomError(
        "datetime_format", "Expected a date and time with its offset, as YYYY-MM-DDTHH:MM:SS±HH:MM"
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
TermCodeIn = Annotated[str, Field(max_length=20, pattern=ONE_LINE)]
TermCodes = Annotated[list[TermCodeIn], Field(max_length=100)]


class Input(BaseModel):
    # A plain pydantic model: ninja's Schema would validate forbidding models twice.
    model_config = ConfigDict(extra="forbid")


class DocumentIn(Input):
    kind: DocumentKindCode
    number: str = Field(max_length=40, pattern=ONE_LINE)
    status: DocumentStatusCode = "valid"


class PersonIn(Input):
    given_names: str = Field(max_length=100, pattern=ONE_LINE)
    surname1: str = Field(max_length=60, pattern=ONE_LINE)
    surname2: str = Field("", max_length=60, pattern=ONE_LINE)
    sex: SexCode
    birth_date: IsoDate | None = None
    birth_date_estimated: StrictBool = False
    age_estimate: Annotated[StrictInt, Field(ge=0, le=110)] | None = Field(
        None, description="Age in years when the date of birth is unknown."
    )
    nationality: str = Field("HN", max_length=2, pattern=ONE_LINE, description="ISO 3166-1 alpha-2")
    document_situation: DocumentSituationCode = "none"
    dni: str = Field("", max_length=20, pattern=ONE_LINE, description="13 digits; hyphens allowed.")
    ethnicity: EthnicityCode = "none"
    wg_seeing: WGAnswerCode | None = None
    wg_hearing: WGAnswerCode | None = None
    wg_walking: WGAnswerCode | None = None
    wg_cognition: WGAnswerCode | None = None
    wg_selfcare: WGAnswerCode | None = None
    wg_communication: WGAnswerCode | None = None
    phone: str = Field("", max_length=30, pattern=ONE_LINE)
    email: str = Field("", max_length=254, pattern=ONE_LINE)
    documents: Annotated[list[DocumentIn], Field(max_length=5)] = []


class ArrivalIn(Input):
    arrived_at: IsoDateTime
    reception_point: str = Field(max_length=40, pattern=ONE_LINE, description="Site code.")
    entry_point: str = Field("", max_length=40, pattern=ONE_LINE, description="Site code.")
    modality: ModalityCode
    country_from: str = Field(max_length=2, pattern=ONE_LINE, description="ISO 3166-1 alpha-2")
    return_type: ReturnTypeCode
    travel_mode: TravelModeCode
    destination: str = Field(max_length=4, pattern=ONE_LINE, description="INE municipality code.")
    months_abroad: Annotated[StrictInt, Field(ge=0, le=1200)] | None = None
    reasons: TermCodes = []
    immediate_needs: TermCodes = []
    skill_trade: str = Field("", max_length=100, pattern=ONE_LINE)
    skill_years: Annotated[StrictInt, Field(ge=0, le=80)] | None = None
    skill_certificates: str = Field("", max_length=200, pattern=ONE_LINE)
    stay_address: str = Field("", max_length=200, pattern=ONE_LINE)


class ScreeningIn(Input):
    consent_registration: StrictBool = Field(description="Required: the person consents to registration.")
    consent_referral: StrictBool = False
    consent_international: StrictBool = False
    fear_of_return: StrictBool = False
    fear_municipality: str = Field("", max_length=4, pattern=ONE_LINE)
    violence_types: TermCodes = []
    perpetrator_types: TermCodes = []
    violence_narrative: str = Field("", max_length=4000, pattern=MULTI_LINE)
    displaced_before: StrictBool = False
    specific_needs: TermCodes = []
    health_notes: str = Field("", max_length=2000, pattern=MULTI_LINE)
    sgbv_disclosed: StrictBool = False
    lgbtiq: LgbtiqCode = ""


EXAMPLE_REGISTRATION = {
    "client_uuid": "5b0d7c2e-8f4a-4e1b-9c3d-2a6f8e1b7d40",
    "person": {
        "given_names": "María José",
        "surname1": "Reyes",
        "surname2": "Castro",
        "sex": "F",
        "birth_date": "1990-04-02",
        "document_situation": "none",
    },
    "arrival": {
        "arrived_at": "2025-06-01T10:30:00-06:00",
        "reception_point": "camr-sps",
        "entry_point": "rvm-airport",
        "modality": "air",
        "country_from": "US",
        "return_type": "deported",
        "travel_mode": "alone",
        "destination": "0501",
        "reasons": ["unemployment"],
        "immediate_needs": ["transport"],
    },
    "screening": {"consent_registration": True, "fear_of_return": False},
}


class RegistrationIn(Input):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_REGISTRATION]})

    client_uuid: uuid.UUID = Field(
        description=(
            "A new UUID chosen by the client for each registration: sending the same registration "
            "again (after a lost answer) returns the same arrival instead of a duplicate."
        )
    )
    person_id: uuid.UUID | None = Field(None, description="An earlier registration (see /persons/candidates).")
    person: PersonIn | None = Field(None, description="A new person, when person_id is not given.")
    arrival: ArrivalIn
    screening: ScreeningIn
    family_group_id: uuid.UUID | None = None


# --- Outputs -------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class SiteRef(Schema):
    code: str
    label: str


class CountryRef(Schema):
    iso2: str
    label: str


class MunicipalityRef(Schema):
    code: str
    name: str


class InstitutionRef(Schema):
    code: str
    label: str


class TermRef(Schema):
    code: str
    label: str


class DocumentOut(Schema):
    kind: DocumentKindCode
    number: str
    status: DocumentStatusCode


class PersonRef(Schema):
    """A person as shown in lists."""

    id: uuid.UUID
    full_name: str
    given_names: str
    surname1: str
    surname2: str
    sex: SexCode
    birth_date: date | None
    dni: str | None


class ArrivalPerson(PersonRef):
    birth_date_estimated: bool
    document_situation: DocumentSituationCode


class ArrivalPersonSensitive(ArrivalPerson):
    phone: str
    email: str


class ArrivalListItem(Schema):
    id: uuid.UUID
    sequence: int
    arrived_at: datetime
    person: PersonRef
    age_years: int | None
    reception_point: SiteRef
    country_from: CountryRef
    destination: MunicipalityRef
    modality: ModalityCode
    return_type: ReturnTypeCode
    travel_mode: TravelModeCode
    need_level: NeedLevelCode
    follow_up_status: FollowUpStatusCode


class Page(Schema):
    page: int
    page_size: int
    has_next: bool = Field(description="No total is given: counting costs more than the page.")


class ArrivalPage(Page):
    items: list[ArrivalListItem]


class ScreeningOut(Schema):
    consent_registration: bool
    consent_referral: bool
    consent_international: bool
    need_level: NeedLevelCode
    screened_at: datetime


class ScreeningSensitiveOut(ScreeningOut):
    fear_of_return: bool
    displaced_before: bool
    specific_needs: list[TermRef]
    fear_municipality: MunicipalityRef | None
    violence_types: list[TermRef]
    perpetrator_types: list[TermRef]
    violence_narrative: str
    health_notes: str
    sgbv_disclosed: bool
    lgbtiq: LgbtiqCode
    need_reasons: list[str]


class ArrivalOut(Schema):
    view: Literal["basic"] = "basic"
    id: uuid.UUID
    client_uuid: uuid.UUID
    sequence: int
    arrived_at: datetime
    reception_point: SiteRef
    entry_point: SiteRef | None
    modality: ModalityCode
    country_from: CountryRef
    return_type: ReturnTypeCode
    travel_mode: TravelModeCode
    family_group_id: uuid.UUID | None
    months_abroad: int | None
    destination: MunicipalityRef
    reasons: list[TermRef]
    immediate_needs: list[TermRef]
    skill_trade: str
    skill_years: int | None
    skill_certificates: str
    age_years: int | None
    need_level: NeedLevelCode
    follow_up_institution: InstitutionRef | None
    follow_up_status: FollowUpStatusCode
    created_at: datetime
    version: int
    person: ArrivalPerson
    screening: ScreeningOut | None = None


class ArrivalSensitiveOut(ArrivalOut):
    view: Literal["sensitive"] = "sensitive"  # type: ignore[assignment]
    stay_address: str
    person: ArrivalPersonSensitive
    screening: ScreeningSensitiveOut | None = None


ArrivalDetail = Annotated[ArrivalOut | ArrivalSensitiveOut, Field(discriminator="view")]


class FollowUpOut(Schema):
    id: uuid.UUID
    follow_up_status: FollowUpStatusCode
    version: int


class PersonArrivalOut(Schema):
    id: uuid.UUID
    sequence: int
    arrived_at: datetime
    reception_point: SiteRef
    country_from: CountryRef
    in_scope: bool = Field(description="Whether GET /arrivals/{id} shows this arrival to you.")


class PersonOut(Schema):
    view: Literal["basic"] = "basic"
    id: uuid.UUID
    full_name: str
    given_names: str
    surname1: str
    surname2: str
    sex: SexCode
    birth_date: date | None
    birth_date_estimated: bool
    nationality: CountryRef
    document_situation: DocumentSituationCode
    dni: str | None
    ethnicity: EthnicityCode
    wg_seeing: int | None
    wg_hearing: int | None
    wg_walking: int | None
    wg_cognition: int | None
    wg_selfcare: int | None
    wg_communication: int | None
    has_disability: bool
    documents: list[DocumentOut]
    created_at: datetime
    version: int
    arrivals: list[PersonArrivalOut] = Field(description="Every return of the person, newest first.")


class PersonSensitiveOut(PersonOut):
    view: Literal["sensitive"] = "sensitive"  # type: ignore[assignment]
    phone: str
    email: str


PersonDetail = Annotated[PersonOut | PersonSensitiveOut, Field(discriminator="view")]


class PersonList(Schema):
    items: list[PersonRef] = Field(description="At most 50 matches; refine the search for more.")


class CandidateOut(Schema):
    person_id: uuid.UUID
    full_name: str
    birth_date: date | None
    dni_last4: str
    arrivals: int
    last_arrival: date | None
    last_reception_point: str
    reasons: list[str]
    weights: list[float]
    probability: float | None


class CandidateList(Schema):
    items: list[CandidateOut]
    elsewhere: int = Field(description="Likely earlier registrations outside your scope (counted, never shown).")


class TermOut(Schema):
    code: str
    label: str
    group: str


class MunicipalityOut(Schema):
    code: str
    pcode: str
    name: str
    department_code: str
    department_name: str

    @staticmethod
    def resolve_department_code(obj: Any) -> str:
        return obj.department.code

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return obj.department.name


class SiteOut(Schema):
    code: str
    kind: SiteKindCode
    label: str
    institution: InstitutionRef
    municipality_code: str | None
    modality: str

    @staticmethod
    def resolve_municipality_code(obj: Any) -> str | None:
        return obj.municipality.code if obj.municipality_id else None


class CountryOut(Schema):
    iso2: str
    iso3: str
    label: str


class TermList(Schema):
    items: list[TermOut]


class MunicipalityList(Schema):
    items: list[MunicipalityOut]


class SiteList(Schema):
    items: list[SiteOut]


class CountryList(Schema):
    items: list[CountryOut]
