"""core.form_renderer writes Django's field templates in Python: for every kind of field the portal's forms use, with
and without values, errors, help texts and choices, its HTML is Django's, character for character."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import PythonFormRenderer
from core.widgets import RichText
from documents import plan_forms, review_forms
from governance.forms import DateInput, ModelChoicesField
from governance.models import Subregion

TRICKY = "Ett <b>\"citat\"</b> & 'apostrof'\n\nAndra stycket"


class EveryKind(forms.Form):
    text = forms.CharField(label="Text", max_length=40, help_text="Hjälp <em>med</em> formatering")
    optional = forms.CharField(label="Frivillig?", required=False, widget=forms.TextInput(attrs={"placeholder": "x"}))
    number = forms.IntegerField(label="Antal", min_value=1, max_value=20_000)
    email = forms.EmailField(label="E-post", required=False)
    day = forms.DateField(label="Dag", widget=DateInput())
    area = forms.CharField(label="Textruta", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rich = forms.CharField(label="Rik text", widget=RichText(attrs={"rows": 4}), required=False)
    radio = forms.ChoiceField(label="Val", choices=[("a", "Alfa & co"), ("b", "Beta")], widget=forms.RadioSelect)
    grouped = forms.ChoiceField(
        label="Grupperat",
        choices=[("Första", [("1", "Ett"), ("2", "Två")]), ("3", "Tre")],
        widget=forms.RadioSelect,
        required=False,
    )
    select = forms.ChoiceField(label="Lista", choices=[("", "---"), ("x", "X <1>"), ("Grupp", [("y", "Y")])])
    many = forms.MultipleChoiceField(
        label="Flera", choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="Jag godkänner", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)
    disabled = forms.CharField(label="Låst", disabled=True, required=False)


class Subregions(forms.Form):
    subregions = ModelChoicesField(
        label="Delregioner", queryset=Subregion.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    one = forms.ModelChoiceField(label="En delregion", queryset=Subregion.objects.all())


def _outputs(form_class, renderer, **kwargs):
    form = form_class(renderer=renderer, **kwargs)
    html = [str(form.non_field_errors())]
    for field in form:
        html += [str(field.as_field_group()), str(field), str(field.label_tag()), str(field.errors)]
    return html


def assert_same(form_class, **kwargs):
    django_html = _outputs(form_class, DjangoTemplates(), **kwargs)
    python_html = _outputs(form_class, PythonFormRenderer(), **kwargs)
    for theirs, ours in zip(django_html, python_html, strict=True):
        assert ours == theirs


VALUES = {
    "text": TRICKY[:40],
    "optional": mark_safe("<i>redan säker</i>"),
    "number": "12",
    "email": "inte-en-adress",
    "day": "2027-02-30",
    "area": TRICKY,
    "rich": "<p>Stycke med <strong>fetstil</strong></p><h2>Rubrik</h2>",
    "radio": "b",
    "grouped": "2",
    "select": "y",
    "many": ["p", "q"],
    "agree": "on",
    "secret": 'dolt"värde',
    "unlabelled": "x",
}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"prefix": "s-goals"},
        {"auto_id": False},
        {"auto_id": "fält_%s"},
        {"initial": {"text": "start", "day": datetime.date(2027, 3, 1), "rich": "Rad ett\n\n- punkt", "many": ["q"]}},
        {"data": {}},
        {"data": VALUES},
        {"data": {**VALUES, "radio": "z", "number": "0", "select": "nej"}},
    ],
    ids=["unbound", "prefix", "no-ids", "id-format", "initial", "empty-post", "posted", "invalid"],
)
def test_every_kind_of_field_renders_as_djangos_templates_do(kwargs):
    assert_same(EveryKind, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs", [{}, {"initial": {"subregions": [1, 2]}}, {"data": {"subregions": ["1", "x"]}}])
def test_model_choices_render_as_djangos_templates_do(kwargs):
    assert_same(Subregions, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form_class",
    [
        plan_forms.PlanCreateForm,
        plan_forms.SectionForm,
        plan_forms.GoalForm,
        plan_forms.GoalFollowUpForm,
        plan_forms.PositionForm,
        plan_forms.ReferBackForm,
        review_forms.RoundForm,
        review_forms.CommentForm,
        review_forms.ReplyForm,
        review_forms.DispositionForm,
        review_forms.ResponseForm,
        review_forms.CommentEditForm,
    ],
)
@pytest.mark.parametrize("bound", [False, True])
def test_the_documents_forms_render_as_djangos_templates_do(form_class, bound):
    assert_same(form_class, **({"data": {"text": TRICKY, "status": "nej"}} if bound else {}))


def test_the_documents_forms_use_the_python_renderer():
    for form_class in (plan_forms.GoalFollowUpForm, review_forms.CommentForm, review_forms.DispositionForm):
        assert isinstance(form_class().renderer, PythonFormRenderer)


def test_the_common_templates_are_written_without_djangos_templates(monkeypatch):
    def refuse(self, template_name):
        raise AssertionError(f"{template_name} was rendered by Django's templates")

    monkeypatch.setattr(PythonFormRenderer, "get_template", refuse)
    form = EveryKind(renderer=PythonFormRenderer(), data={**VALUES, "number": "0"})
    assert all(str(field.as_field_group()) for field in form if field.name != "secret")
