"""A form renderer that writes Django's own field templates in Python: the same HTML, without a template render per
field, label, error list, widget and choice (a field group through the templates costs about a millisecond, a page
with a form per comment many).

Django renders a field group as django/forms/field.html, which renders the label (label.html), the error list
(errors/list/default.html) and the widget (text.html, textarea.html, radio.html ...; a choice list includes one
option template per choice). `PythonFormRenderer.render` writes those templates' output from the same context Django
builds (BoundField, Widget.get_context), character for character, stripped as Django's renderer strips it; any other
template name is rendered by Django's templates as before. tests/test_form_renderer.py compares the two outputs for
every kind of field the portal's forms use, with values, errors and choices.

A form uses it with `default_renderer = PythonFormRenderer`."""

from django.forms.renderers import DjangoTemplates
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import SafeData

from .rows import shown as _text

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox",
        "color", "search", "tel",
    )
}  # fmt: skip
CHOICE_LISTS = {f"{WIDGETS}radio.html", f"{WIDGETS}checkbox_select.html", f"{WIDGETS}multiple_input.html"}
CHOICE_OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html", f"{WIDGETS}input_option.html"}


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: the filter keeps a safe value safe; anything else is escaped."""
    text = str(value)  # "%s" % value; a tuple too, which the filter turns into its str() first
    return text if isinstance(value, SafeData) else escape(text)


def _attributes(attrs) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html)."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(widget) -> str:
    """django/forms/widgets/input.html, as included (with its line break)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's `!= None`
    name = _text(widget["name"])
    return f'<input type="{_text(widget["type"])}" name="{name}"{shown}{_attributes(widget["attrs"])}>\n'


def _textarea(widget) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>\n{value}</textarea>\n'


def _choice_option(option) -> str:
    """radio_option.html and checkbox_option.html: input_option.html and their own line break."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n\n"


def _choice_list(widget) -> str | None:
    """multiple_input.html (radio.html, checkbox_select.html); None when an option has a template of its own."""
    parts = []
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            if option["template_name"] not in CHOICE_OPTIONS:
                return None
            parts.append(f"<div>\n    {_choice_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    attrs = widget["attrs"]
    id_ = f' id="{_text(attrs["id"])}"' if attrs.get("id") else ""
    css = f' class="{_text(attrs["class"])}"' if attrs.get("class") else ""
    return f"<div{id_}{css}>{''.join(parts)}\n</div>\n"


def _select(widget) -> str | None:
    """select.html with select_option.html; None when an option has a template of its own."""
    parts = []
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        for option in options:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    return f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>{"".join(parts)}\n</select>\n'


def _widget(template_name: str, widget) -> str | None:
    if template_name in INPUTS:
        return _input(widget)
    if template_name == f"{WIDGETS}textarea.html":
        return _textarea(widget)
    if template_name in CHOICE_LISTS:
        return _choice_list(widget)
    if template_name == f"{WIDGETS}select.html":
        return _select(widget)
    return None


def _field(field) -> str:
    """django/forms/field.html."""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_text(described)}"' if described else ""
        head = f"\n  <fieldset{described}>\n  {field.legend_tag() if field.label else ''}\n"
    else:
        head = f"\n  {field.label_tag() if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        help_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{help_id}>{force_str(field.help_text)}</div>'
    end = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{field.errors}\n{field}{end}\n"


def _label(context) -> str:
    """django/forms/label.html."""
    label = _text(context["label"])
    if not context["use_tag"]:
        return label
    tag = _text(context["tag"])
    return f"<{tag}{_attributes(context['attrs'])}>{label}</{tag}>"


def _errors(context) -> str:
    """django/forms/errors/list/default.html (ul.html)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = f' id="{_text(errors.field_id)}_error"' if getattr(errors, "field_id", None) else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{field_id}>{items}</ul>'


class PythonFormRenderer(DjangoTemplates):
    """Django's form renderer, with the field, label, error-list and common widget templates written in Python."""

    def render(self, template_name, context, request=None):
        html = None
        if request is None:
            if template_name == self.field_template_name and "field" in context:
                html = _field(context["field"])
            elif template_name == "django/forms/label.html" and "use_tag" in context:
                html = _label(context)
            elif template_name in ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"):
                html = _errors(context)
            elif "widget" in context:
                html = _widget(template_name, context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()
