from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.widgets import RICH_TEXT_HELP, FastCheckboxes, FastSelect, RichText
from governance.forms import DateInput, ModelChoicesField, max_length_of, person_choices, use_person_options
from governance.models import Body, Membership, Subregion

from .models import Action, AgendaItem, Attendance, Correction, Decision, JusteringResponse, Meeting


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def people():
    return person_choices()


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "start_time",
            "end_time",
            "mode",
            "place",
            "video_link",
            "secretary",
            "chair",
            "adjusters",
        ]
        field_classes = {"adjusters": ModelChoicesField}
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "adjusters": FastCheckboxes,
            "secretary": FastSelect,
            "chair": FastSelect,
        }

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Chair, secretary and justerare are chosen among the body's current members (and whoever holds it now).
        current = Membership.objects.current().filter(body=body).values("person_id") if body else None
        keep = [p.pk for p in (self.instance.chair, self.instance.secretary) if p] if self.instance.pk else []
        if self.instance.pk:
            keep += list(self.instance.adjusters.values_list("pk", flat=True))
        members = people().filter(Q(pk__in=current) | Q(pk__in=keep)) if body else people()
        for name in ("secretary", "chair", "adjusters"):
            self.fields[name].queryset = members
        self.fields["adjusters"].help_text = _(
            "Ordföranden justerar alltid; välj här de som justerar tillsammans med hen."
        )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "start_time", "purpose", "presenters", "description", "documents"]
        widgets = {
            "start_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.Textarea(attrs={"rows": 2}),
        }


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["status", "substitute_for"]
        widgets = {"status": FastSelect, "substitute_for": FastSelect}

    def __init__(self, *args, candidates=None, candidate_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute_for"].queryset = candidates if candidates is not None else people()
        if candidate_choices is not None:
            # Rendered from a list built once for the whole page, not one query per row.
            self.fields["substitute_for"].widget.choices = candidate_choices
        self.fields["substitute_for"].label = _("Ersätter")


class GuestForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["person", "status", "substitute_for", "subregion", "group_label", "role_label"]
        widgets = {"person": FastSelect, "substitute_for": FastSelect}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["person"].required = True
        use_person_options(self.fields["person"])
        # A substitute stands in for someone on this meeting's list.
        on_list = meeting.attendance.filter(person__isnull=False).values("person_id") if meeting else None
        self.fields["substitute_for"].queryset = people().filter(pk__in=on_list) if meeting else people()
        self.fields["status"].choices = [c for c in Attendance.Status.choices if c[0] != Attendance.Status.VACANT]


class DiscussionForm(forms.Form):
    discussion = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        max_length=max_length_of(AgendaItem, "discussion"),
        widget=RichText(attrs={"rows": 8}),
        help_text=RICH_TEXT_HELP,
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["kind", "text", "escalated_to"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalated_to"].queryset = Body.objects.order_by("sort_order", "name")
        self.fields["escalated_to"].help_text = _("Fyll i när frågan lyfts till ett annat organ.")


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["text", "owner", "due_date", "subregion"]
        widgets = {"due_date": DateInput(), "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subregion"].queryset = Subregion.objects.all()


class JusteringForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Gäller punkt"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("Hela anteckningarna"),
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=max_length_of(JusteringResponse, "comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["item"].queryset = meeting.items.order_by("position")


class CorrectionForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Gäller punkt"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("Hela anteckningarna"),
    )
    text = forms.CharField(
        label=_("Rättelse"), max_length=max_length_of(Correction, "text"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["item"].queryset = meeting.items.order_by("position")
