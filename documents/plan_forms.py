"""Forms of the management-plan pages (documents/views.py). They only collect input: every rule is in services."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.widgets import RICH_TEXT_HELP, RichText
from governance.forms import DateInput, max_length_of

from . import money
from .models import Goal, ManagedObject, PlanSection


class PlanCreateForm(forms.Form):
    managed_object = forms.ModelChoiceField(
        label=_("Förvaltningsobjekt"), queryset=ManagedObject.objects.order_by("name"), empty_label=None
    )
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Året planen gäller för, t.ex. 2028. Vill du utgå från en gällande plan: använd "
            "”Starta nästa års plan” på den planen i stället."
        ),
    )


class SectionForm(forms.Form):
    """A plan section's text. `base_version` is the version the text was read at (lost-update protection)."""

    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=max_length_of(PlanSection, "body"),
        widget=RichText(attrs={"rows": 18}),
        help_text=RICH_TEXT_HELP,
    )
    base_version = forms.IntegerField(label=_("Version som texten utgår från"), widget=forms.HiddenInput, min_value=1)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["category", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class GoalFollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    follow_up = forms.CharField(
        label=_("Uppföljning"),
        required=False,
        max_length=max_length_of(Goal, "follow_up"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad har gjorts, vad återstår och varför."),
    )


class PositionForm(forms.Form):
    date = forms.DateField(label=_("Datum för VVG:s ställningstagande"), widget=DateInput())
    reference = forms.CharField(
        label=_("Paragraf eller referens"),
        max_length=120,
        required=False,
        help_text=_("T.ex. § 12/2027 i VVG:s protokoll."),
    )


class ReferBackForm(forms.Form):
    note = forms.CharField(
        label=_("Vad behöver göras innan planen lämnas in igen?"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class BudgetLineForm(forms.Form):
    """One budget line. Amounts and shares are typed the Swedish way ("1 234,50", "70 %") and read by
    documents.money; every other rule (a key valid for the plan's year, key or own share) is in the service."""

    heading = forms.CharField(
        label=_("Rubrik"),
        required=False,
        max_length=200,
        help_text=_("Rader med samma rubrik visas tillsammans, t.ex. ”Vidmakthållande”."),
    )
    name = forms.CharField(label=_("Benämning"), max_length=200)
    amount = forms.CharField(
        label=_("Budget (kr)"), max_length=40, help_text=_("Hela beloppet i kronor, t.ex. 7 746 000 eller 1 234,50.")
    )
    key = forms.ModelChoiceField(
        label=_("Fördelningsnyckel"),
        queryset=None,
        required=False,
        empty_label=_("Ingen nyckel – egen fördelning"),
    )
    own_region_percent = forms.CharField(
        label=_("Egen andel för VGR (%)"),
        required=False,
        max_length=20,
        help_text=_(
            "Bara om raden inte har en nyckel: regionens andel i procent, t.ex. 70. Kommunerna betalar resten."
        ),
    )
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import AllocationKey

        self.fields["key"].queryset = AllocationKey.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_amount(self):
        try:
            return money.parse_amount(self.cleaned_data["amount"])
        except money.MoneyError as error:
            raise forms.ValidationError(error.message) from None

    def clean_own_region_percent(self):
        text = self.cleaned_data["own_region_percent"]
        if not (text or "").strip():
            return None
        try:
            return money.parse_percent(text)
        except money.MoneyError as error:
            raise forms.ValidationError(error.message) from None


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from . import rules

        return f"{rules.decision_label(obj)}: {Truncator(obj.text).chars(90)}"


class BudgetDecisionForm(forms.Form):
    """The decision in the budget body's minutes that decided the budget (or allows a later change)."""

    decision = DecisionChoiceField(label=_("Beslut"), queryset=None, empty_label=_("Välj beslutet"))

    def __init__(self, *args, decisions, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.queryset = decisions  # type: ignore[attr-defined]
        if label:
            field.label = label
        if help_text:
            field.help_text = help_text


class BudgetChangeForm(BudgetLineForm):
    """A line of a decided budget: as any line, and the later decision that allows the change."""

    decision = DecisionChoiceField(
        label=_("Beslut som medger ändringen"),
        queryset=None,
        empty_label=_("Välj beslutet"),
        help_text=_("Paragrafen i protokollet där ändringen beslutades. Raden visar sedan att beslutet satte den."),
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]


class BudgetUpliftForm(forms.Form):
    """Next year's budget from last year's: the index (vårdprisindex) and how the amounts are rounded."""

    percent = forms.CharField(
        label=_("Uppräkning (%)"),
        max_length=20,
        required=False,  # an empty box gets money's message, saying what to write
        help_text=_("T.ex. 2,5 för vårdprisindex 2,5 %. En minskning skrivs med minustecken."),
    )
    rounding = forms.ChoiceField(
        label=_("Avrunda beloppen"), choices=money.ROUNDING_CHOICES, initial="krona", widget=forms.RadioSelect
    )

    def clean_percent(self):
        try:
            return money.parse_uplift(self.cleaned_data["percent"])
        except money.MoneyError as error:
            raise forms.ValidationError(error.message) from None
