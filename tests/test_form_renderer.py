"""core.renderer.FastRenderer writes the hot form templates in Python: every field, label, input, select and textarea
comes out exactly as Django's templates write it, on made-up forms with every awkward case and on every page."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.renderer import INPUTS, FastRenderer
from core.widgets import FastCheckboxes, FastSelect

TEMPLATES = DjangoTemplates()
FAST = FastRenderer()

# The templates the writers were written from, as Django ships them: an upgrade that changes one fails here first.
SOURCES = {
    "django/forms/field.html": (
        "{% if field.use_fieldset %}\n"
        '  <fieldset{% if field.aria_describedby %} aria-describedby="{{ field.aria_describedby }}"{% endif %}>\n'
        "  {% if field.label %}{{ field.legend_tag }}{% endif %}\n"
        "{% else %}\n"
        "  {% if field.label %}{{ field.label_tag }}{% endif %}\n"
        "{% endif %}\n"
        '{% if field.help_text %}<div class="helptext"{% if field.auto_id %} id="{{ field.auto_id }}_helptext"'
        "{% endif %}>{{ field.help_text|safe }}</div>{% endif %}\n"
        "{{ field.errors }}\n"
        "{{ field }}{% if field.use_fieldset %}</fieldset>{% endif %}\n"
    ),
    "django/forms/label.html": (
        "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}</{{ tag }}>"
        "{% else %}{{ label }}{% endif %}\n"
    ),
    "django/forms/attrs.html": (
        "{% for name, value in attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}"
        "=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    ),
    "django/forms/widgets/attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value is not True %}"
        "=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    ),
    "django/forms/errors/list/default.html": '{% include "django/forms/errors/list/ul.html" %}',
    "django/forms/errors/list/ul.html": (
        '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} id="{{ errors.field_id }}_error"'
        "{% endif %}>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}"
    ),
    "django/forms/widgets/input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        'value="{{ widget.value|stringformat:\'s\' }}"{% endif %}{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    "django/forms/widgets/select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n"
        "</select>\n"
    ),
    "django/forms/widgets/select_option.html": (
        '<option value="{{ widget.value|stringformat:\'s\' }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{{ widget.label }}</option>\n"
    ),
    "django/forms/widgets/textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    **{f"django/forms/widgets/{n}.html": '{% include "django/forms/widgets/input.html" %}\n' for n in INPUTS[:-1]},
}


@pytest.mark.parametrize("name", SOURCES)
def test_the_replaced_templates_are_the_ones_the_writers_follow(name):
    assert TEMPLATES.get_template(name).template.source == SOURCES[name]


class Everything(forms.Form):
    """A field of each kind, with the awkward cases: quotes and markup in values and labels, safe labels, no label,
    numbers with thousands, help texts, optgroups, disabled and hidden fields."""

    text = forms.CharField(label="Namn <&>", help_text="Skriv <b>namnet</b>", max_length=20)
    quoted = forms.CharField(required=False, initial="a \"b\" & 'c' <d>", widget=forms.TextInput({"class": "x y"}))
    safe_label = forms.CharField(label=mark_safe("<em>Viktigt</em>"), required=False)
    asks = forms.CharField(label="Varför?", required=False)
    no_label = forms.CharField(label="", required=False)
    number = forms.IntegerField(initial=12345)
    decimal = forms.DecimalField(initial=Decimal("1234.5"), required=False)
    day = forms.DateField(initial=datetime.date(2026, 3, 5), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(initial=datetime.time(13, 0), required=False)
    email = forms.EmailField(required=False)
    link = forms.URLField(required=False, initial="https://example.org/?a=1&b=2")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="dolt & klart", required=False)
    flag = forms.BooleanField(required=False, initial=True)
    off = forms.BooleanField(required=False, initial=False, disabled=True)
    kind = forms.ChoiceField(choices=[("a", "Alfa"), ("b", "Beta <b>"), (3, 1000)], initial="b")
    grouped = forms.ChoiceField(
        choices=[("", "– Välj –"), ("Norr", [("n1", "Ett"), ("n2", "Två")]), ("s", "Söder")], required=False
    )
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], initial=["a", "b"], required=False)
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, initial="y")
    boxes = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple)
    fast_boxes = forms.MultipleChoiceField(
        choices=[(1, "Ett"), (2, "Två")], widget=FastCheckboxes, help_text="Några", required=False
    )
    fast_select = forms.ChoiceField(choices=[("", "–"), (1, "Ett & två")], widget=FastSelect, required=False)
    notes = forms.CharField(widget=forms.Textarea, initial='Rad 1\n<rad 2> & "3"', required=False)
    empty_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class Styled(Everything):
    required_css_class = "required"
    label_suffix = " –"


BOUND_BAD = {"text": "x" * 30, "number": "tolv", "day": "igår", "kind": "z", "boxes": ["q"], "email": "nej"}


def _forms(renderer):
    return [
        Everything(renderer=renderer),
        Styled(renderer=renderer, prefix="p"),
        Everything(renderer=renderer, auto_id=False),
        Everything(renderer=renderer, auto_id="f-%s-id"),
        Everything(BOUND_BAD, renderer=renderer),  # errors: the error list and aria-invalid
        Everything({"text": "ok", "number": "7", "day": "2026-01-02", "kind": "a", "boxes": ["x"]}, renderer=renderer),
    ]


def test_every_kind_of_field_comes_out_as_from_the_templates():
    for slow, fast in zip(_forms(TEMPLATES), _forms(FAST), strict=True):
        slow.is_valid(), fast.is_valid()
        for name in slow.fields:
            assert str(fast[name].as_field_group()) == str(slow[name].as_field_group()), name
            assert str(fast[name]) == str(slow[name]), name
            assert fast[name].label_tag() == slow[name].label_tag(), name
        assert str(fast) == str(slow)  # the whole form (div.html), which renders each field group
        assert fast.as_p() == slow.as_p()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_every_page_comes_out_as_with_the_templates(client, admin_user, demo_planned_meeting, settings):
    """Each route in the access matrix that answers the administrator: the same page with either renderer."""
    from django.forms import renderers

    from tests.test_access_matrix import EXPECTED, _fill

    client.force_login(admin_user)
    compared = 0
    for name, (path, expected) in EXPECTED.items():
        if expected["admin"] != 200 or name in ("logout",) or "{in_justering}" in path:
            continue
        url = _fill(path, demo_planned_meeting)
        pages = []
        for renderer in ("django.forms.renderers.DjangoTemplates", "core.renderer.FastRenderer"):
            settings.FORM_RENDERER = renderer
            renderers.get_default_renderer.cache_clear()
            response = client.get(url)
            html = not response.streaming and response["Content-Type"].startswith("text/html")
            pages.append(_without_tokens(response.content.decode()) if html else "")
        assert pages[0] == pages[1], name
        compared += "<form" in pages[0]
    renderers.get_default_renderer.cache_clear()
    assert compared > 20
