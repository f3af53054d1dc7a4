from django import forms
from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core.audit import REASON_MAX_LENGTH  # a reason is kept as the history's change reason
from core.collation import swedish
from core.widgets import FastCheckboxes, FastSelect, RichText

from .models import Body, BodyStatusChange, Charter, Membership, Organisation, Person, Subregion, Vacancy
from .querysets import table_version
from .services import CHARTER_RICH_TEXT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def max_length_of(model, field: str) -> int:
    """The longest text a model's field takes: forms that are not model forms read their limit from the model, so
    each limit is set in one place."""
    return model._meta.get_field(field).max_length


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id. An id no database integer can hold is "not a valid value", like any other
    malformed id (Django would send it to the database, which fails on SQLite)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                in_range = -(2**63) <= int(str(pk)) < 2**63
            except ValueError:
                continue  # not a number: Django's own check answers
            if not in_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def person_choices():
    """Everyone, the Swedish way, loading only what the option label needs (lists of thousands)."""
    return Person.objects.only("id", "first_name", "last_name").order_by(swedish("last_name"), swedish("first_name"))


def person_options(queryset=None) -> list[tuple]:
    """(pk, name) pairs for a FastSelect, without building a model object per person."""
    rows = (queryset if queryset is not None else person_choices()).values_list("pk", "first_name", "last_name")
    return [("", "– Välj –")] + [(pk, f"{first} {last}") for pk, first, last in rows]


def use_person_options(field, *, key: str | None = None) -> None:
    """Render a person field (a select, or checkboxes for several) from plain pairs; validation still goes through
    the field's queryset. The rendered list is kept per version of the people (core.widgets.FastSelect.options_key):
    one small query instead of reading and joining every person on each form. Fields over the same queryset may
    share one `key` (Person.objects.options_version of it), so a form asks for the version once."""
    queryset = field.queryset
    field.widget.options_key = key or Person.objects.options_version(queryset)
    if isinstance(field, forms.ModelMultipleChoiceField):  # checkboxes: no "– Välj –"
        field.widget.choices = lambda: person_options(queryset)[1:]
    else:
        field.widget.choices = lambda: person_options(queryset)


def lazy_table_version(model):
    """The table's version (querysets.table_version), asked for when a list is first rendered: a form that is only
    validated (a POST that saves) costs no query for it."""
    return SimpleLazyObject(lambda: table_version(model))


def use_name_options(field, *, version, rows: str, listed=None, leave_out=()) -> None:
    """Render a select of bodies or organisations (labelled by their names) from a kept list: the options are joined
    once per version of the table (lazy_table_version) and per `rows`, the name of the rows listed (the function and
    the arguments that choose them), instead of reading and joining the rows on each form. `listed` is the rows'
    queryset (the field's unless given); validation still goes through the field's own queryset. `leave_out`: values
    on the list that this form does not offer (the body being edited)."""
    listed = field.queryset if listed is None else listed
    empty = field.empty_label
    field.widget.options_key = SimpleLazyObject(lambda: f"{version}:{rows}:{empty}")
    field.widget.choices = lambda: [("", empty)] * (empty is not None) + list(listed.values_list("pk", "name"))
    field.widget.leave_out = frozenset(str(value) for value in leave_out)


def _scope(subregions) -> str:
    """The subregions a list of organisations is chosen for, as part of its name: every one, or these."""
    return "all" if subregions is None else ",".join(sorted(str(s.pk) for s in subregions))


def organisation_choices(subregions=None):
    """The organisations a seat's person may come from, in Swedish order (Vårgårda before Västra
    Götalandsregionen): for a subregion's seats the region and the subregions' own organisations (municipalities,
    kommunalförbund), not all 49 municipalities; `None` means every organisation."""
    queryset = Organisation.objects.all()
    if subregions is not None:
        queryset = queryset.filter(Q(kind=Organisation.Kind.REGION) | Q(subregion__in=[s.pk for s in subregions]))
    return queryset.order_by(swedish("name"))


def party_choices(subregions=None):
    """The parties a seat may represent (the region and municipalities), the region first, then the Swedish way;
    for a subregion's seats only its municipalities."""
    queryset = Organisation.objects.filter(kind__in=[Organisation.Kind.REGION, Organisation.Kind.MUNICIPALITY])
    if subregions is not None:
        queryset = queryset.filter(Q(kind=Organisation.Kind.REGION) | Q(subregion__in=[s.pk for s in subregions]))
    return queryset.order_by("-kind", swedish("name"))


def _offer_subregion_roles(field) -> None:
    from .rules import SUBREGION_SEAT_ROLES

    field.choices = [(value, label) for value, label in field.choices if value in SUBREGION_SEAT_ROLES]


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "level",
            "subregion",
            "mandate_giver",
            "mandate_parties",
            "convener",
            "description",
            "target_meetings_min",
            "target_meetings_max",
            "sort_order",
        ]
        field_classes = {"mandate_parties": ModelChoicesField}
        widgets = {
            "mandate_parties": FastCheckboxes,
            "mandate_giver": FastSelect,
            "convener": FastSelect,
            "subregion": FastSelect,
            "kind": FastSelect,
            "level": FastSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate_parties"].queryset = Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY)
        if self.instance.pk:
            others = Body.objects.exclude(pk=self.instance.pk)
            self.fields["mandate_giver"].queryset = others
            self.fields["convener"].queryset = others
        # Both lists come from one kept list of every body; a body is never its own mandate giver or convener.
        version, every = lazy_table_version(Body), Body.objects.all()
        for name in ("mandate_giver", "convener"):
            leave_out = [self.instance.pk] if self.instance.pk else []
            use_name_options(self.fields[name], version=version, rows="every body", listed=every, leave_out=leave_out)


class StatusForm(forms.ModelForm):
    class Meta:
        model = BodyStatusChange
        fields = ["status", "effective_from", "note"]
        widgets = {"effective_from": DateInput()}


class CharterForm(forms.ModelForm):
    reason = forms.CharField(label=_("Vad ändras och varför?"), max_length=REASON_MAX_LENGTH, required=False)

    class Meta:
        model = Charter
        fields = [
            "valid_from",
            "purpose",
            "tasks",
            "composition",
            "competence_criteria",
            "meeting_frequency",
            "economy",
        ]
        widgets = {
            "valid_from": DateInput(),
            **{field: RichText() for field in CHARTER_RICH_TEXT},
        }


class MembershipForm(forms.ModelForm):
    """Appoint a member: choose a person, or type a new one's name."""

    new_first_name = forms.CharField(label=_("Förnamn (ny person)"), max_length=80, required=False)
    new_last_name = forms.CharField(label=_("Efternamn (ny person)"), max_length=80, required=False)
    new_title = forms.CharField(label=_("Titel (ny person)"), max_length=150, required=False)
    new_organisation = forms.ModelChoiceField(
        label=_("Organisation (ny person)"), queryset=Organisation.objects.all(), required=False, widget=FastSelect
    )
    reason = forms.CharField(label=_("Anledning (visas i historiken)"), max_length=REASON_MAX_LENGTH, required=False)

    class Meta:
        model = Membership
        fields = ["person", "role", "subregion", "party", "start_date", "end_date", "note"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "person": FastSelect,
            "party": FastSelect,
            "role": FastSelect,
            "subregion": FastSelect,
        }

    def __init__(self, *args, subregions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].required = False
        self.fields["person"].queryset = person_choices()
        use_person_options(self.fields["person"])
        self.fields["person"].help_text = _("Finns personen inte i listan: lämna tomt och fyll i namnet nedan.")
        self.fields["party"].queryset = party_choices(subregions)
        self.fields["new_organisation"].queryset = organisation_choices(subregions)
        version = lazy_table_version(Organisation)
        use_name_options(self.fields["party"], version=version, rows=f"party_choices:{_scope(subregions)}")
        use_name_options(
            self.fields["new_organisation"], version=version, rows=f"organisation_choices:{_scope(subregions)}"
        )
        if subregions is not None:
            # A subregion administrator may only touch her subregions' representative seats (the rule and its
            # message are governance.rules.seat_refusals; the form only offers what it allows).
            self.fields["subregion"].queryset = Subregion.objects.filter(pk__in=[s.pk for s in subregions])
            self.fields["subregion"].required = True
            self.fields["subregion"].empty_label = None
            _offer_subregion_roles(self.fields["role"])

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_first_name") and data.get("new_last_name")):
            self.add_error("person", _("Välj en person i listan, eller fyll i för- och efternamn för en ny person."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Slutdatum kan inte vara före startdatum. Ändra något av datumen."))
        return data

    def _post_clean(self):
        # The person may be new; it is created by the view after validation, so skip model checks that need it.
        if self.cleaned_data.get("person") is None:
            self.instance.person = Person(first_name="?", last_name="?")
        super()._post_clean()

    def person(self) -> Person:
        data = self.cleaned_data
        if data.get("person"):
            return data["person"]
        return Person(
            first_name=data["new_first_name"],
            last_name=data["new_last_name"],
            title=data.get("new_title", ""),
            organisation=data.get("new_organisation"),
        )


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("Sista dag i uppdraget"), widget=DateInput())
    reason = forms.CharField(label=_("Anledning (visas i historiken)"), max_length=REASON_MAX_LENGTH, required=False)


class MembershipReplaceForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Ny person"),
        queryset=Person.objects.none(),
        required=False,
        widget=FastSelect,
        help_text=_("Finns personen inte i listan: lämna tomt och fyll i namnet nedan."),
    )
    new_first_name = forms.CharField(label=_("Förnamn (ny person)"), max_length=80, required=False)
    new_last_name = forms.CharField(label=_("Efternamn (ny person)"), max_length=80, required=False)
    new_title = forms.CharField(label=_("Titel (ny person)"), max_length=150, required=False)
    new_organisation = forms.ModelChoiceField(
        label=_("Organisation (ny person)"), queryset=Organisation.objects.none(), required=False, widget=FastSelect
    )
    start_date = forms.DateField(
        label=_("Ny person börjar"), widget=DateInput(), help_text=_("Den nuvarande innehavaren slutar dagen innan.")
    )
    reason = forms.CharField(label=_("Anledning (visas i historiken)"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, membership: Membership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = person_choices()
        use_person_options(self.fields["person"])
        # A subregion's seat is taken over by someone from the region or the subregion's own organisations.
        subregion = membership.subregion if membership is not None else None
        scope = [subregion] if subregion else None
        self.fields["new_organisation"].queryset = organisation_choices(scope)
        use_name_options(
            self.fields["new_organisation"],
            version=lazy_table_version(Organisation),
            rows=f"organisation_choices:{_scope(scope)}",
        )

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_first_name") and data.get("new_last_name")):
            self.add_error("person", _("Välj en person i listan, eller fyll i för- och efternamn för en ny person."))
        return data

    def new_person(self) -> Person:
        data = self.cleaned_data
        if data.get("person"):
            return data["person"]
        return Person(
            first_name=data["new_first_name"],
            last_name=data["new_last_name"],
            title=data.get("new_title", ""),
            organisation=data.get("new_organisation"),
        )


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["subregion", "role", "since", "filled_on", "note"]
        widgets = {"since": DateInput(), "filled_on": DateInput(), "subregion": FastSelect, "role": FastSelect}

    def __init__(self, *args, subregions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subregions is not None:
            self.fields["subregion"].queryset = Subregion.objects.filter(pk__in=[s.pk for s in subregions])
            self.fields["subregion"].required = True
            self.fields["subregion"].empty_label = None
            _offer_subregion_roles(self.fields["role"])


class PopulationUploadForm(forms.Form):
    """The file of population figures and the source saved with them (governance.population reads the file)."""

    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "CSV från SCB:s statistikdatabas (en rad per kommun, t.ex. ”1480 Göteborg”, och en kolumn per år) eller "
            "en fil med raderna kommunkod;år;folkmängd. Du ser allt som ska sparas innan något sparas."
        ),
        error_messages={
            "required": _("Välj filen med folkmängderna."),
            "empty": _("Filen är tom. Välj filen med folkmängderna och ladda upp den igen."),
        },
    )
    source = forms.CharField(
        label=_("Källa"),
        max_length=120,
        initial="SCB",
        required=False,
        help_text=_("Sparas med varje folkmängd, t.ex. ”SCB, folkmängd 31 december 2024”."),
    )
