from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.widgets import RICH_TEXT_HELP, FastCheckboxes, FastSelect, RichText
from governance.forms import DateInput, ModelChoicesField, max_length_of, person_choices, use_person_options
from governance.models import Body, Membership, Person, Subregion

from . import rules
from .models import Action, AgendaItem, Attendance, Correction, Decision, JusteringResponse, Meeting


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def people():
    return person_choices()


class MeetingForm(forms.ModelForm):
    # Asked only when the date is far from today (meetings.rules.date_is_far): a typo like 1999 asks, not saves.
    confirm_date = forms.BooleanField(label=rules.DATE_CONFIRMATION, required=False, widget=forms.HiddenInput)
    field_order = ["title", "date", "confirm_date"]

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
            "co_secretaries",
            "chair",
            "adjusters",
        ]
        field_classes = {"adjusters": ModelChoicesField, "co_secretaries": ModelChoicesField}
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "adjusters": FastCheckboxes,
            "co_secretaries": FastCheckboxes,
            "secretary": FastSelect,
            "chair": FastSelect,
        }

    def __init__(self, *args, body=None, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:  # the initial justerare and co-secretaries: one read each
            models.prefetch_related_objects([instance], "adjusters", "co_secretaries")
        super().__init__(*args, **kwargs)
        # Chair, secretary and justerare are chosen among the body's current members (and whoever holds it now).
        current = Membership.objects.current().filter(body=body).values("person_id") if body else None
        keep = [p.pk for p in (self.instance.chair, self.instance.secretary) if p] if self.instance.pk else []
        if self.instance.pk:  # read once (Meeting.named), also for the form's initial values above
            keep += [p.pk for p in self.instance.named("adjusters")]
            keep += [p.pk for p in self.instance.named("co_secretaries")]
        members = people().filter(Q(pk__in=current) | Q(pk__in=sorted(set(keep)))) if body else people()
        # The four lists are the same people: one version, each list rendered once per version (core.kept).
        key = Person.objects.options_version(members)
        for name in ("secretary", "co_secretaries", "chair", "adjusters"):
            self.fields[name].queryset = members
            use_person_options(self.fields[name], key=key)
        self.fields["secretary"].help_text = _("Skriver under protokollet ”Vid anteckningen”.")
        self.fields["video_link"].help_text = _("Frivilligt, även för ett digitalt möte.")
        self.fields["adjusters"].help_text = _(
            "Ordföranden justerar alltid; välj här de som justerar tillsammans med hen."
        )

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day is not None and day != (self.initial.get("date") if self.instance.pk else None):
            refusals = rules.meeting_date_refusals(day, confirmed=cleaned.get("confirm_date", False))
            if refusals:
                self.add_error("date", refusals)
                self.fields["confirm_date"].widget = forms.CheckboxInput()  # now the question is shown
        return cleaned


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
        fields = ["status", "substitute_for", "title", "role_label"]
        widgets = {"status": FastSelect, "substitute_for": FastSelect}

    def __init__(self, *args, candidates=None, candidate_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute_for"].queryset = candidates if candidates is not None else people()
        if candidate_choices is not None:
            # Rendered from a list built once for the whole page, not one query per row.
            self.fields["substitute_for"].widget.choices = candidate_choices
        self.fields["substitute_for"].label = _("Ersätter")


class GuestForm(forms.ModelForm):
    """Someone added to the attendance: a person in the portal, or an invited guest typed on the spot (name, title,
    organisation) who is not registered."""

    class Meta:
        model = Attendance
        fields = [
            "person",
            "guest_name",
            "title",
            "guest_organisation",
            "status",
            "substitute_for",
            "subregion",
            "group_label",
            "role_label",
        ]
        widgets = {"person": FastSelect, "substitute_for": FastSelect}
        labels = {"guest_name": _("Eller: namn på en inbjuden som inte finns i portalen")}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["person"].required = False
        self.fields["person"].help_text = _("Välj en person i portalen, eller skriv namnet nedan.")
        self.fields["title"].help_text = _("Lämna tomt för en person i portalen: titeln hämtas från personen.")
        self.fields["guest_organisation"].help_text = _("För en inbjuden som inte finns i portalen.")
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
    # meetings.services.notes_digest of the notes as the page showed them: a save over someone else's is refused.
    base = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": _(
                "Sidan saknar uppgift om vilka anteckningar du utgick från. Din text finns "
                "kvar: kopiera den, öppna punkten på nytt och spara igen."
            )
        },
    )


class DecisionForm(forms.ModelForm):
    """One decision row of an item's minutes page (a blank extra row is ignored)."""

    class Meta:
        model = Decision
        fields = ["kind", "text", "escalated_to", "follow_up_on", "follow_up_note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "kind": FastSelect,
            "escalated_to": FastSelect,
            "follow_up_on": DateInput(),
        }

    def __init__(self, *args, bodies_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["escalated_to"]
        field.queryset = Body.objects.order_by("sort_order", "name")
        field.help_text = _("Fyll i när frågan lyfts till ett annat organ.")
        self.fields["follow_up_on"].help_text = _("Frivilligt: när beslutet ska följas upp (bara för beslut).")
        self.fields["follow_up_note"].help_text = _("Vad som ska följas upp, kort.")
        if bodies_key is not None:
            # Every body, rendered once per version of the bodies (core.kept) for all rows and pages, not per row.
            field.widget.options_key = bodies_key
            field.widget.choices = lambda: [("", field.empty_label), *choices_of(field.queryset, "name")]


class ActionForm(forms.ModelForm):
    """One action row of an item's minutes page (a blank extra row is ignored)."""

    class Meta:
        model = Action
        fields = ["text", "owner", "due_date", "subregion"]
        widgets = {"due_date": DateInput(), "text": forms.Textarea(attrs={"rows": 2}), "subregion": FastSelect}

    def __init__(self, *args, subregion_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subregion"].queryset = Subregion.objects.all()
        if subregion_choices is not None:
            field = self.fields["subregion"]
            field.widget.choices = [("", field.empty_label), *subregion_choices]


class RowFormSet(forms.BaseModelFormSet):
    """The decisions or the actions of one item: existing rows can be changed or removed ("Ta bort"), extra rows
    left blank are ignored, a half-filled row is an error on its field."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Ta bort")

    @property
    def blank_extra_rows(self) -> int:
        return sum(1 for f in self.extra_forms if not f.has_changed())


def choices_of(queryset, label: str) -> list[tuple]:
    """(pk, label) of each object, read as two columns (no model object per row): a select's options built once for
    all rows of a page. `label` is the field the object's str() shows."""
    return list(queryset.values_list("pk", label))


def row_formset(form, *, extra: int = 1):
    return forms.modelformset_factory(
        form._meta.model, form=form, formset=RowFormSet, extra=extra, can_delete=True, can_delete_extra=False
    )


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


class PaperJusteringForm(forms.Form):
    """The secretary records a justering that happened on paper: the day, and who signed among the meeting's chair
    and justerare (all of them must have)."""

    date = forms.DateField(label=_("Justerat på papper den"), widget=DateInput())
    signers = forms.ModelMultipleChoiceField(
        label=_("Justerat av"),
        queryset=Person.objects.none(),
        widget=FastCheckboxes,
        required=False,
        help_text=_("Mötets ordförande och alla justerare."),
    )

    def __init__(self, *args, signatories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signers"].queryset = Person.objects.filter(pk__in=[p.pk for p in signatories])
        self.fields["signers"].choices = [(p.pk, str(p)) for p in signatories]


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
