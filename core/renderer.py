"""The form renderer (settings.FORM_RENDERER): Django's own templates, with the few that every form field goes
through written out in Python.

A field group (label, help text, errors, widget) rendered through Django's templates costs about half a millisecond
per field and a select a few microseconds per option; a form of a dozen fields spent more time there than in
everything else on its page. `FastFormRenderer` writes the exact markup of these templates of Django's
(django/forms/templates/django/forms/…):

- field.html (the field group), label.html (label and legend), errors/list/default.html and ul.html (a field's errors);
- the <input> widgets (text, date, email, number, password, hidden … all of which include widgets/input.html),
  widgets/textarea.html and widgets/select.html with the default option template.

Every other template (and a select with another option template) is rendered by Django as before. The Python below
follows the templates line by line, with the template language's rules: a `{{ value }}` is localised and escaped
unless it is safe, `|stringformat:'s'` keeps a safe value safe, and the renderer strips the result.
tests/test_form_renderer.py renders forms and whole pages both ways and compares them.
"""

from html import escape as _escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

W = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    W + f"{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
)
OPTION_TEMPLATE = W + "select_option.html"


def text_of(value) -> str:
    """What `{{ value }}` writes (django.template.base.render_value_in_context with autoescape on)."""
    if type(value) is str:  # the common case, which localize() leaves as it is
        return _escape(value)
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else _escape(value)


def _s(value) -> str:
    """What `{{ value|stringformat:'s' }}` writes: formatted with %s, escaped unless the value was safe."""
    if type(value) is str:
        return _escape(value)
    safe = isinstance(value, SafeData)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the filter does
    except (ValueError, TypeError):
        text = ""
    return text if safe else _escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html (of forms/ and of forms/widgets/): ` name="value"`, a True value as a bare name, False left out."""
    if not attrs:
        return ""
    return "".join(
        f" {text_of(name)}" if value is True else f' {text_of(name)}="{_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _field(context) -> str:
    field = context["field"]
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{text_of(described)}"' if described else ""
        head = f"\n  <fieldset{described}>\n  {text_of(field.legend_tag()) if field.label else ''}\n"
    else:
        head = f"\n  {text_of(field.label_tag()) if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        auto_id = field.auto_id
        help_id = f' id="{text_of(auto_id)}_helptext"' if auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{str(field.help_text)}</div>'
    errors = field.errors
    closing = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{text_of(errors) if errors else ''}\n{text_of(field)}{closing}\n"


def _label(context) -> str:
    label = text_of(context["label"])
    if not context["use_tag"]:
        return f"{label}\n"
    tag = text_of(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>\n"


def _errors(context) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = errors.field_id
    id_attr = f' id="{text_of(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{text_of(error)}</li>" for error in errors)
    return f'<ul class="{text_of(context["error_class"])}"{id_attr}>{items}</ul>'


def _input(context) -> str:
    w = context["widget"]
    value = w["value"]
    value_attr = f' value="{_s(value)}"' if value is not None else ""
    return f'<input type="{text_of(w["type"])}" name="{text_of(w["name"])}"{value_attr}{_attrs(w["attrs"])}>\n'


def _textarea(context) -> str:
    w = context["widget"]
    value = w["value"]
    return f'<textarea name="{text_of(w["name"])}"{_attrs(w["attrs"])}>\n{text_of(value) if value else ""}</textarea>\n'


def _select(context) -> str | None:
    w = context["widget"]
    parts = [f'<select name="{text_of(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{text_of(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # another option template: Django renders the whole select
            parts.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{text_of(option["label"])}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


WRITTEN = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    W + "textarea.html": _textarea,
    W + "select.html": _select,
    **dict.fromkeys(INPUT_TEMPLATES, _input),
}


class FastFormRenderer(DjangoTemplates):
    """Django's template renderer; the templates in WRITTEN are written in Python with the same result."""

    def render(self, template_name, context, request=None):
        write = WRITTEN.get(template_name)
        if write is not None:
            html = write(context)
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request=request)
