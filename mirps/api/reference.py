"""Reference data a client needs to fill a registration: codes and labels in the caller's language."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from mirps.accounts.models import Site
from mirps.api.schemas import (
    CountryList,
    ErrorOut,
    MunicipalityList,
    SiteList,
    TermList,
    ValidationErrorOut,
    VocabularyCode,
)
from mirps.geo.models import Country, Municipality
from mirps.reference.models import Term

# No personal data here, but still behind a token: the API has no anonymous callers.
router = Router(tags=["reference"])

ERRORS = {401: ErrorOut, 422: ValidationErrorOut}


# The fixed paths are declared before /reference/{vocabulary}, which would otherwise match them.
@router.get("/reference/municipalities", response={200: MunicipalityList, **ERRORS})
def municipalities(request: HttpRequest) -> MunicipalityList:
    return MunicipalityList(items=list(Municipality.objects.select_related("department").order_by("code")))


@router.get("/reference/sites", response={200: SiteList, **ERRORS}, summary="Active sites")
def sites(request: HttpRequest) -> SiteList:
    rows = Site.objects.filter(active=True).select_related("institution", "municipality").order_by("code")
    return SiteList(items=list(rows))


@router.get("/reference/countries", response={200: CountryList, **ERRORS})
def countries(request: HttpRequest) -> CountryList:
    return CountryList(items=list(Country.objects.order_by("iso2")))


@router.get("/reference/{vocabulary}", response={200: TermList, **ERRORS}, summary="Active terms of a vocabulary")
def terms(request: HttpRequest, vocabulary: VocabularyCode) -> TermList:
    return TermList(items=list(Term.objects.filter(vocabulary=vocabulary, active=True)))
