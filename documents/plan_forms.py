"""Forms of the management-plan pages (documents/views.py). They only collect input: every rule is in services.
Each renders its fields with core.form_renderer (Django's field templates, written in Python)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_renderer import PythonFormRenderer
from core.widgets import RICH_TEXT_HELP, RichText
from governance.forms import DateInput, max_length_of

from .models import Goal, ManagedObject, PlanSection


class PlanCreateForm(forms.Form):
    default_renderer = PythonFormRenderer

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

    default_renderer = PythonFormRenderer

    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=max_length_of(PlanSection, "body"),
        widget=RichText(attrs={"rows": 18}),
        help_text=RICH_TEXT_HELP,
    )
    base_version = forms.IntegerField(label=_("Version som texten utgår från"), widget=forms.HiddenInput, min_value=1)


class GoalForm(forms.ModelForm):
    default_renderer = PythonFormRenderer

    class Meta:
        model = Goal
        fields = ["category", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class GoalFollowUpForm(forms.Form):
    default_renderer = PythonFormRenderer

    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    follow_up = forms.CharField(
        label=_("Uppföljning"),
        required=False,
        max_length=max_length_of(Goal, "follow_up"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad har gjorts, vad återstår och varför."),
    )


class PositionForm(forms.Form):
    default_renderer = PythonFormRenderer

    date = forms.DateField(label=_("Datum för VVG:s ställningstagande"), widget=DateInput())
    reference = forms.CharField(
        label=_("Paragraf eller referens"),
        max_length=120,
        required=False,
        help_text=_("T.ex. § 12/2027 i VVG:s protokoll."),
    )


class ReferBackForm(forms.Form):
    default_renderer = PythonFormRenderer

    note = forms.CharField(
        label=_("Vad behöver göras innan planen lämnas in igen?"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
