"""core.renderer.FastFormRenderer writes some of Django's form templates in Python: every form and every page with a
form must come out exactly as Django's own template renderer writes it."""

import datetime
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.forms.renderers import DjangoTemplates
from django.test import Client, override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.renderer import WRITTEN, FastFormRenderer
from governance.models import Body, Membership, Organisation, Person

DJANGO = "django.forms.renderers.DjangoTemplates"


class Picky(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"  # not the default: Django renders the select


class Everything(forms.Form):
    """Each kind of field and attribute the written templates meet."""

    required_css_class = "required"
    error_css_class = "wrong"

    text = forms.CharField(
        label="Namn & <titel>",
        help_text=mark_safe("Med <b>fet</b> hjälptext"),
        widget=forms.TextInput(attrs={"autofocus": True, "data-x": "a\"b'c<", "hidden": False, "data-none": None}),
    )
    lazy = forms.CharField(label=gettext_lazy("Förnamn"), help_text=gettext_lazy("Lat <hjälp>"), required=False)
    question = forms.CharField(label="Varför?", required=False)
    empty_label = forms.CharField(label="", required=False)
    number = forms.IntegerField(initial=12345, required=False)
    decimal = forms.DecimalField(initial="12.50", required=False, localize=True)
    day = forms.DateField(initial=datetime.date(2026, 3, 1), widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False, initial=datetime.datetime(2026, 3, 1, 9, 30))
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True), initial="x<y")
    hidden = forms.CharField(required=False, widget=forms.HiddenInput, initial="dold")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="<p>Stycke & mer</p>\n", required=False)
    safe_note = forms.CharField(widget=forms.Textarea, initial=mark_safe("<em>säker</em>"), required=False)
    flag = forms.BooleanField(required=False, initial=True)
    choice = forms.ChoiceField(choices=[("", "– Välj –"), ("a", "A & B"), (2026, 2026), ("c", gettext_lazy("Ja"))])
    grouped = forms.ChoiceField(
        choices=[("Norr", [("n1", "Norr 1"), ("n2", "Norr <2>")]), ("s", "Syd")], initial="n2", required=False
    )
    several = forms.MultipleChoiceField(choices=[("1", "Ett"), ("2", "Två")], initial=["2"], required=False)
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False, help_text="Kryssa"
    )
    split = forms.SplitDateTimeField(required=False)
    upload = forms.FileField(required=False)
    disabled = forms.CharField(disabled=True, initial="låst", required=False)
    picky = forms.ChoiceField(choices=[("p", "P")], widget=Picky, required=False)

    def clean(self):
        raise forms.ValidationError("Hela formuläret är fel <här>.")


BAD = {"text": "", "number": "inte ett tal", "day": "2026-13-45", "email": "nej", "choice": "zz", "split_0": "x"}


def _both(render):
    """The same rendering with Django's templates and with the written ones."""
    return render(DjangoTemplates()), render(FastFormRenderer())


@pytest.mark.parametrize("data", [None, BAD], ids=["unbound", "with-errors"])
@pytest.mark.parametrize("auto_id", ["id_%s", False], ids=["ids", "no-ids"])
def test_every_kind_of_field_renders_as_djangos_templates_do(data, auto_id):
    def render(renderer):
        form = Everything(data, auto_id=auto_id, renderer=renderer)
        parts = [form.as_div(), form.as_p(), form.as_table(), str(form.non_field_errors())]
        for field in form:
            parts += [field.as_field_group(), field.label_tag(), field.legend_tag(), str(field.errors), str(field)]
            parts.append(field.label_tag(attrs={"class": "x", "data-t": True}, label_suffix=":"))
        return parts

    django, fast = _both(render)
    assert len(django) == len(fast)
    for expected, written in zip(django, fast, strict=True):
        assert written == expected


def test_a_select_with_another_option_template_is_left_to_django():
    widget = Picky(choices=[("p", "P")])
    html = widget.render("picky", "p", renderer=FastFormRenderer())
    assert html == widget.render("picky", "p", renderer=DjangoTemplates())
    assert '<label><input type="select"' in html  # the radio option template, as Django renders it


def test_the_written_templates_are_djangos_own():
    """The form renderer loads these names from Django's forms package only (its DIRS come first): nothing in the
    project can replace them, so writing them out follows exactly those files."""
    engine = DjangoTemplates().engine
    for name in WRITTEN:
        origin = engine.get_template(name).origin.name
        assert "/django/forms/templates/django/forms/" in origin, origin


# --- Whole pages: the project's forms, and the admin's, as users see them -----------------------------------------

RANDOM = re.compile(r'((?:name="csrfmiddlewaretoken" value|nonce)=")[^"]+(")')  # a new token and nonce per request


def _page(username, url, data=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return RANDOM.sub(r"\1…\2", response.content.decode())


def _pages():
    body = Body.objects.get(slug="referensgrupp-shvo")
    membership = Membership.objects.filter(body=body, subregion__isnull=False).order_by("pk").first()
    person = Person.objects.filter(user__isnull=True).order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    user = get_user_model().objects.get(username="sekreterare")
    return [
        (None, "/logga-in/", None),
        (None, "/logga-in/", {"username": "x", "password": "y"}),
        (None, "/konto/glomt-losenord/", None),
        ("admin", "/organ/nytt/", None),
        ("admin", "/organ/nytt/", {"name": ""}),
        ("admin", f"/organ/{body.slug}/andra/", None),
        ("admin", f"/organ/{body.slug}/status/", None),
        ("admin", f"/organ/{body.slug}/uppdragsbeskrivning/ny/", None),
        ("admin", f"/organ/{body.slug}/uppdrag/nytt/", None),
        ("admin", f"/organ/{body.slug}/uppdrag/nytt/", {"role": "member", "start_date": "igår"}),
        ("admin", f"/organ/{body.slug}/vakans/ny/", None),
        ("admin", f"/uppdrag/{membership.pk}/andra/", None),
        ("admin", f"/uppdrag/{membership.pk}/ersatt/", None),
        ("admin", f"/uppdrag/{membership.pk}/avsluta/", None),
        ("admin", f"/personer/{person.pk}/konto/", None),
        ("admin", f"/personer/{person.pk}/konto/", {"email": "inte en adress"}),
        ("admin", "/admin/auth/user/add/", None),
        ("admin", f"/admin/auth/user/{user.pk}/change/", None),
        ("admin", f"/admin/auth/user/{user.pk}/change/", {"username": ""}),
        ("admin", "/admin/auth/group/add/", None),
        ("admin", "/admin/governance/organisation/add/", None),
        ("admin", f"/admin/governance/organisation/{organisation.pk}/change/", None),
        ("admin", "/admin/governance/organisation/?kind__exact=municipality", None),
        ("admin", "/admin/governance/subregion/add/", None),
        ("admin", "/admin/password_change/", None),
    ]


@pytest.mark.django_db
def test_pages_with_forms_render_as_with_djangos_templates():
    pages = _pages()
    with override_settings(FORM_RENDERER=DJANGO):
        django = [_page(*page) for page in pages]
    fast = [_page(*page) for page in pages]
    for page, expected, written in zip(pages, django, fast, strict=True):
        assert written == expected, page
