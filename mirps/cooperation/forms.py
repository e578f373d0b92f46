"""Input forms of the cooperation pages. Parsing only: the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mirps.accounts.models import Institution
from mirps.cooperation.models import Intervention, Pledge, Population, Sector, SupportNeed
from mirps.cooperation.services import PARTNER_KINDS, InterventionInput, known_currencies
from mirps.geo.models import Department
from mirps.plan.models import Commitment


def _institutions() -> list[tuple[str, str]]:
    return [(i.code, i.label) for i in Institution.objects.filter(active=True).order_by("name_es")]


def _partners() -> list[tuple[str, str]]:
    return [(i.code, i.label) for i in Institution.objects.filter(active=True, kind__in=PARTNER_KINDS).order_by("name_es")]


def _commitments() -> list[tuple[str, str]]:
    return [(str(c.pk), f"{c.code} · {c.title}") for c in Commitment.objects.select_related("plan").order_by("-plan__period_start", "code")]


def _departments() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in Department.objects.order_by("code")]


class FilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    commitment = forms.ChoiceField(label=_("Commitment"), required=False)
    population = forms.ChoiceField(label=_("Target population"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["sector"].choices = everything + list(Sector.choices)
        self.fields["partner"].choices = everything + _institutions()
        self.fields["status"].choices = everything + list(Intervention.Status.choices)
        self.fields["commitment"].choices = everything + _commitments()
        self.fields["population"].choices = everything + list(Population.choices)
        self.fields["department"].choices = everything + _departments()

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class InterventionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, required=False, help_text=_("Left empty, one is generated."))
    title = forms.CharField(label=_("Title"), max_length=300)
    implementer = forms.ChoiceField(label=_("Implementing organisation"))
    funders = forms.MultipleChoiceField(label=_("Funders"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    activity = forms.CharField(label=_("Activity"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ChoiceField(
        label=_("Department"), required=False,
        help_text=_("Optional: when chosen, every municipality must be in this department."),
    )
    municipalities = forms.CharField(
        label=_("Municipalities"), max_length=2000,
        help_text=_("P-codes (HN0501) or INE codes (0501), separated by commas or spaces."),
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Intervention.Status.choices)
    populations = forms.MultipleChoiceField(label=_("Target population"), choices=Population.choices, widget=forms.CheckboxSelectMultiple)
    targeted_women = forms.IntegerField(label=_("Targeted: women"), min_value=0, initial=0)
    targeted_men = forms.IntegerField(label=_("Targeted: men"), min_value=0, initial=0)
    targeted_girls = forms.IntegerField(label=_("Targeted: girls"), min_value=0, initial=0)
    targeted_boys = forms.IntegerField(label=_("Targeted: boys"), min_value=0, initial=0)
    reached_women = forms.IntegerField(label=_("Reached: women"), min_value=0, initial=0)
    reached_men = forms.IntegerField(label=_("Reached: men"), min_value=0, initial=0)
    reached_girls = forms.IntegerField(label=_("Reached: girls"), min_value=0, initial=0)
    reached_boys = forms.IntegerField(label=_("Reached: boys"), min_value=0, initial=0)
    reached_note = forms.CharField(
        label=_("Note on people reached"), max_length=500, required=False,
        help_text=_("Required when more people were reached than targeted."),
    )
    budget_usd = forms.DecimalField(label=_("Budget (USD)"), min_value=0, decimal_places=2, max_digits=16, initial=0)
    commitments = forms.MultipleChoiceField(label=_("Commitments"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, implementers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implementer"].choices = implementers
        self.fields["funders"].choices = _institutions()
        self.fields["department"].choices = [("", "—"), *_departments()]
        self.fields["commitments"].choices = _commitments()

    def to_input(self) -> InterventionInput:
        d = self.cleaned_data
        codes = [c for c in d["municipalities"].replace(",", " ").split() if c]
        return InterventionInput(
            code=d["code"],
            title=d["title"],
            implementer=d["implementer"],
            funders=d["funders"],
            sector=d["sector"],
            activity=d["activity"],
            department=d["department"],
            municipalities=codes,
            start=d["start"],
            end=d["end"],
            status=d["status"],
            populations=d["populations"],
            **{k: d[k] or 0 for k in d if k.startswith(("targeted_", "reached_")) and k != "reached_note"},
            reached_note=d["reached_note"],
            budget_usd=d["budget_usd"] if d["budget_usd"] is not None else 0,
            commitments=d["commitments"],
        )

    @staticmethod
    def initial_of(data: InterventionInput, version: int) -> dict[str, Any]:
        initial = dict(vars(data))
        initial["municipalities"] = " ".join(data.municipalities)
        initial["commitments"] = [str(c) for c in data.commitments]
        initial["version"] = version
        return initial


class PledgeForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"))
    commitment = forms.ChoiceField(label=_("Commitment"))
    need = forms.ChoiceField(label=_("Support need"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=Pledge.State.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners
        self.fields["commitment"].choices = _commitments()
        self.fields["need"].choices = [("", "—")] + [
            (str(n.pk), f"{n.commitment.code} · {n.description}") for n in SupportNeed.objects.select_related("commitment")
        ]
        self.fields["currency"].choices = [(c, c) for c in known_currencies()]


class NeedForm(forms.Form):
    commitment = forms.ChoiceField(label=_("Commitment"))
    description_es = forms.CharField(label=_("Description (Spanish)"), max_length=500)
    description_en = forms.CharField(label=_("Description (English)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportNeed.Kind.choices)
    estimated_cost_usd = forms.DecimalField(label=_("Estimated cost (USD)"), max_digits=14, decimal_places=2)
    priority = forms.ChoiceField(label=_("Priority"), choices=SupportNeed.Priority.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = _commitments()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HXL file (CSV or XLSX, at most 5 MB)"))


def partner_choices_for(actor: Any) -> list[tuple[str, str]]:
    """Organisations the actor may record for: all partners (coordinator) or their own."""
    from mirps.accounts.models import Role
    from mirps.core import access

    if actor.can(access.PLAN_MANAGE):
        return _partners()
    ids = actor.institutions_for(Role.PARTNER)
    return [(i.code, i.label) for i in Institution.objects.filter(pk__in=ids)]


def implementer_choices_for(actor: Any) -> list[tuple[str, str]]:
    from mirps.accounts.models import Role
    from mirps.core import access

    if actor.can(access.PLAN_MANAGE):
        return _institutions()
    ids = actor.institutions_for(Role.PARTNER)
    return [(i.code, i.label) for i in Institution.objects.filter(pk__in=ids)]

