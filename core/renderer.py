"""The form renderer (settings.FORM_RENDERER): Django's own form templates, except the few every field renders (the
field group, its label, an empty error list, the input types, a select, a textarea), which are written here in
Python with the same output. A form field through Django's templates costs ~0.4 ms (a dozen lookups and includes);
written here it costs a few microseconds, and a form or a table of row forms renders in a fraction of the time.

Each writer follows its template to the character, with the same escaping (tests/test_form_renderer.py compares
every writer with the template it replaces, and the templates' text with what the writers were written from, so
a Django upgrade that changes one fails there). A writer returns None for a case it does not cover (errors to
show, a custom option template), and the template renders it.
"""

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime


def _out(value) -> str:
    """{{ value }} with autoescaping: localised (numbers, dates) and escaped unless already safe."""
    if type(value) is not str:
        value = localize(template_localtime(value))
    return conditional_escape(value)


def _fmt(value) -> str:
    """{{ value|stringformat:'s' }}: str() of the value, escaped unless it was safe."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs) -> str:
    """django/forms/attrs.html and django/forms/widgets/attrs.html."""
    return "".join(
        f" {_out(name)}" if value is True else f' {_out(name)}="{_fmt(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _field(context) -> str:
    """django/forms/field.html: the label (a legend in a fieldset), the help text, the errors, the widget."""
    field = context["field"]
    fieldset = field.use_fieldset
    if fieldset:
        describedby = field.aria_describedby
        aria = f' aria-describedby="{_out(describedby)}"' if describedby else ""
        head = f"\n  <fieldset{aria}>\n  {_out(field.legend_tag()) if field.label else ''}\n"
    else:
        head = f"\n  {_out(field.label_tag()) if field.label else ''}\n"
    help_html = ""
    if field.help_text:
        help_id = f' id="{_out(field.auto_id)}_helptext"' if field.auto_id else ""
        help_html = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    tail = "</fieldset>" if fieldset else ""
    return f"{head}\n{help_html}\n{_out(field.errors)}\n{_out(field)}{tail}\n".strip()


def _label(context) -> str:
    """django/forms/label.html (a <label>, or a <legend> for a fieldset)."""
    if not context["use_tag"]:
        return _out(context["label"])
    tag = _out(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_out(context['label'])}</{tag}>"


def _errors(context) -> str | None:
    """django/forms/errors/list/ul.html when there is nothing to show (the usual case); errors go to the template."""
    return None if context["errors"] else ""


def _input(context) -> str:
    """django/forms/widgets/input.html, which the templates of every <input> widget (INPUTS) include."""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{_fmt(value)}"'
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


SELECT_OPTION = "django/forms/widgets/select_option.html"


def _select(context) -> str | None:
    """django/forms/widgets/select.html with its options (select_option.html, which ends in a newline)."""
    widget = context["widget"]
    parts = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in options:
            if option.get("template_name") != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_fmt(option["value"])}"{_attrs(option["attrs"])}>{_out(option["label"])}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(context) -> str:
    """django/forms/widgets/textarea.html."""
    widget = context["widget"]
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


INPUTS = (
    *("text", "date", "time", "datetime", "number", "email", "url", "search", "tel", "color"),
    *("hidden", "password", "checkbox", "file", "input"),
)

WRITERS: dict[str, Callable[[dict], str | None]] = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
    **{f"django/forms/widgets/{name}.html": _input for name in INPUTS},
}


class FastRenderer(DjangoTemplates):
    """Django's form templates, with the hot ones written in Python (WRITERS); anything else renders as before."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None:
            html = write(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)
