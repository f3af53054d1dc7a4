"""The case forms (issue 12, cases): raising a case. Every field is optional here so that the services' refusals
(governance.case_rules, governance.cases) reach the page through core.web.apply_to_form and point at the field."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.widgets import RICH_TEXT_HELP, RichText

from . import case_rules
from .case_models import Process
from .models import Body

LINKS = 3  # documents asked for when a case is raised


class RaiseForm(forms.Form):
    body = forms.ModelChoiceField(label=_lazy("Organ som väcker ärendet"), queryset=Body.objects.none())
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
