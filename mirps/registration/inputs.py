"""Typed inputs of the registration services, filled by HTML forms, the API and the demo generator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class DocumentInput:
    kind: str
    number: str
    status: str = "valid"


@dataclass
class PersonInput:
    given_names: str
    surname1: str
    sex: str
    nationality: str = "HN"  # ISO 3166-1 alpha-2
    document_situation: str = "none"
    surname2: str = ""
    birth_date: date | None = None
    birth_date_estimated: bool = False
    age_estimate: int | None = None  # when the date of birth is unknown
    dni: str = ""
    ethnicity: str = "none"
    wg_seeing: int | None = None
    wg_hearing: int | None = None
    wg_walking: int | None = None
    wg_cognition: int | None = None
    wg_selfcare: int | None = None
    wg_communication: int | None = None
    phone: str = ""
    email: str = ""
    documents: list[DocumentInput] = field(default_factory=list)


@dataclass
class ArrivalInput:
    arrived_at: datetime
    reception_point: str  # site code
    modality: str
    country_from: str  # ISO alpha-2
    return_type: str
    travel_mode: str
    destination: str  # INE municipality code
    entry_point: str = ""  # site code
    months_abroad: int | None = None
    reasons: list[str] = field(default_factory=list)
    immediate_needs: list[str] = field(default_factory=list)
    skill_trade: str = ""
    skill_years: int | None = None
    skill_certificates: str = ""
    stay_address: str = ""


@dataclass
class ScreeningInput:
    fear_of_return: bool = False
    fear_municipality: str = ""  # INE municipality code
    violence_types: list[str] = field(default_factory=list)
    perpetrator_types: list[str] = field(default_factory=list)
    violence_narrative: str = ""
    displaced_before: bool = False
    specific_needs: list[str] = field(default_factory=list)
    health_notes: str = ""
    sgbv_disclosed: bool = False
    lgbtiq: str = ""
    consent_registration: bool = True
    consent_referral: bool = False
    consent_international: bool = False
