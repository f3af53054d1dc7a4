"""The case forms (issue 12, cases): raising a case. Every field is optional here so that the services' refusals
(governance.case_rules, governance.cases) reach the page through core.web.apply_to_form and point at the field."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.widgets import RICH_TEXT_HELP, FastSelect, RichText

from . import case_rules
from .case_models import Process
from .models import Body, Membership, Person

LINKS = 3  # documents asked for when a case is raised


class RaiseForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_lazy("Organ som väcker ärendet"), queryset=Body.objects.none(), widget=FastSelect
    )
    title = forms.CharField(label=_lazy("Rubrik"), max_length=200, required=False)
    description = forms.CharField(
        label=_lazy("Beskrivning"),
        required=False,
        max_length=20_000,
        widget=RichText(attrs={"rows": 6}),
        help_text=RICH_TEXT_HELP,
    )
    process = forms.ModelChoiceField(label=_lazy("Process"), queryset=Process.objects.none(), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = case_rules.raisable_bodies(actor).order_by("sort_order", "name")
        self.fields["body"].error_messages["invalid_choice"] = case_rules.NOT_A_MEMBER
        self.fields["body"].error_messages["required"] = _("Välj vilket organ som väcker ärendet.")
        self.fields["process"].queryset = Process.objects.all()
        self.fields["process"].empty_label = _("Ingen särskild process")
        for i in range(1, LINKS + 1):
            self.fields[f"link{i}_title"] = forms.CharField(
                label=_("Dokument %(n)s: titel") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"link{i}_address"] = forms.CharField(
                label=_("Dokument %(n)s: adress eller var det finns") % {"n": i}, max_length=500, required=False
            )

    def links(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"link{i}_title"], data[f"link{i}_address"]) for i in range(1, LINKS + 1)]


def _active_bodies():
    return Body.objects.with_status().exclude(status="closed").order_by("sort_order", "name")


def use_body_options(*fields) -> None:
    """The body selects of a form offer the active bodies, read once as (pk, name) pairs for all of them (a form with
    two such selects asks once, and builds no model objects); each field's queryset still validates."""
    rows: list[tuple] = []

    def options(field):
        def choices():
            if not rows:
                rows.extend(_active_bodies().values_list("pk", "name"))
            return [("", field.empty_label), *rows] if field.empty_label is not None else list(rows)

        return choices

    for field in fields:
        field.queryset = _active_bodies()
        field.widget.choices = options(field)  # a callable: read when the select is rendered, not on a saving POST


class PrepareForm(forms.Form):
    """Send a case for preparation: which body prepares it (and who there), for which body's decision."""

    preparing_body = forms.ModelChoiceField(label=_lazy("Bereds av"), queryset=Body.objects.none(), widget=FastSelect)
    deciding_body = forms.ModelChoiceField(label=_lazy("För beslut i"), queryset=Body.objects.none(), widget=FastSelect)
    preparer = forms.ModelChoiceField(
        label=_lazy("Beredningsansvarig (valfri)"),
        queryset=Person.objects.none(),
        required=False,
        widget=FastSelect,
        help_text=_lazy(
            "Beredningsansvariga och sekreterare med pågående uppdrag. Personen ska sitta i organet som bereder ärendet."
        ),
    )
    note = forms.CharField(
        label=_lazy("Till beredningen (valfri)"),
        required=False,
        max_length=20_000,
        widget=RichText(attrs={"rows": 4}),
        help_text=RICH_TEXT_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_body_options(self.fields["preparing_body"], self.fields["deciding_body"])
        self.fields["preparing_body"].help_text = _("Till exempel Gemensam beredning VVG och SITIV.")
        self.fields["preparing_body"].error_messages["required"] = _("Välj vilket organ som bereder ärendet.")
        self.fields["deciding_body"].error_messages["required"] = _("Välj vilket organ som ska besluta i ärendet.")
        self.fields["preparer"].queryset = (
            Person.objects.filter(
                memberships__in=Membership.objects.current().filter(
                    role__in=(Membership.Role.PREPARER, Membership.Role.SECRETARY)
                )
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["preparer"].empty_label = _("Ingen särskild")
        self.fields["preparer"].error_messages["invalid_choice"] = _(
            "Välj en beredningsansvarig eller sekreterare ur listan, eller Ingen särskild."
        )


class StepTextForm(forms.Form):
    """A step told in words: reporting back, recording a follow-up."""

    text = forms.CharField(
        label=_lazy("Text"),
        required=False,
        max_length=20_000,
        widget=RichText(attrs={"rows": 5}),
        help_text=RICH_TEXT_HELP,
    )

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Skäl"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
