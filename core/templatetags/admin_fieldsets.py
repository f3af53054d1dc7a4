"""The admin's fieldset (django/contrib/admin/templates/admin/includes/fieldset.html) written in Python.

Every field of an admin change form goes through that template: some thirty lookups and tests a field, about half a
millisecond each, more than the rest of a reference-data page. templates/admin/includes/fieldset.html (the project's
override) calls `{% admin_fieldset %}`, which writes the same markup, line by line and space by space, with the
template language's rules (`{{ value }}` localised and escaped unless safe, `|safe` as is, a missing value empty).
tests/test_form_renderer.py renders the admin's pages with this and with Django's own template and compares them.
"""

from django import template
from django.utils.safestring import mark_safe

from core.renderer import text_of as v

register = template.Library()


def _of(field, name: str):
    """`field.field.<name>`: a BoundField's attribute, or a read-only field's key (missing: empty)."""
    inner = field.field
    return inner.get(name, "") if isinstance(inner, dict) else getattr(inner, name, "")


def _field(field, line, single: bool) -> str:
    is_fieldset = getattr(field, "is_fieldset", False)
    readonly, checkbox = field.is_readonly, field.is_checkbox
    name, help_text, hidden = _of(field, "name"), _of(field, "help_text"), _of(field, "is_hidden")
    out = ["\n                "]
    if is_fieldset:
        described = f' aria-describedby="{v(_of(field, "id_for_label"))}_helptext"' if help_text else ""
        out.append(f"<fieldset{described}>{v(field.label_tag())}")
    errors = (not readonly and field.errors()) or (single and line.errors())
    classes = " errors" if errors else ""
    if not single:
        classes += f"{' fieldBox'}{f' field-{v(name)}' if name else ''}{' hidden' if hidden else ''}"
    classes += " checkbox-row" if checkbox else ""
    out.append(f'\n                <div class="flex-container{classes}">\n                    ')
    label = "" if is_fieldset else v(field.label_tag())
    if checkbox:
        out.append(
            f'\n                        <div class="checkbox">\n                        {v(field.field)}'
            f"\n                        {label}\n                        </div>\n                    "
        )
    else:
        out.append(f"\n                        {label}\n                    ")
    out.append("\n                    ")
    if help_text:
        id_for_label = _of(field, "id_for_label")
        help_id = f' id="{v(id_for_label)}_helptext"' if id_for_label else ""
        out.append(
            f'\n                        <div class="help{" hidden" if hidden else ""}"{help_id}>'
            f"\n                            <div>{help_text}</div>\n                        </div>\n                    "
        )
    out.append("\n                    ")
    if single:
        out.append(v(line.errors()))
    out.append("\n                    ")
    if not single and not readonly:
        out.append(v(field.errors()))
    out.append("\n                        ")
    if not checkbox:
        if readonly:
            inner = f'\n                            <div class="readonly">{v(field.contents())}</div>\n                        '
        else:
            inner = f"\n                            {v(field.field)}\n                        "
        out.append(f"\n                        {inner}\n                    ")
    out.append("\n                </div>\n                ")
    if is_fieldset:
        out.append("</fieldset>")
    out.append("\n            ")
    return "".join(out)


def _line(line) -> str:
    single = len(line.fields) == 1
    fields = list(line)
    classes = " flex-container form-multiline" if not single else ""
    classes += "" if line.has_visible_field else " hidden"
    classes += "".join(f" field-{v(name)}" for name in (_of(f, "name") for f in fields) if name)
    body = "".join(_field(field, line, single) for field in fields)
    return f'\n        <div class="form-row{classes}">\n            {body}\n        </div>\n    '


@register.simple_tag(takes_context=True)
def admin_fieldset(context) -> str:
    """What admin/includes/fieldset.html writes for `fieldset` (without the file's last newline)."""
    fieldset = context.get("fieldset")
    prefix, id_prefix, id_suffix = (context.get(name, "") for name in ("prefix", "id_prefix", "id_suffix"))
    heading_id = f"{v(prefix)}-{v(id_prefix)}-{v(id_suffix)}-heading"
    level = v(context.get("heading_level") or 2)
    name = fieldset.name
    out = [
        f'<fieldset class="module aligned {v(fieldset.classes)}"',
        f' aria-labelledby="{heading_id}"' if name else "",
        ">\n    ",
    ]
    if name:
        collapsible = fieldset.is_collapsible
        out.append(
            f"\n        {'<details><summary>' if collapsible else ''}"
            f'\n        <h{level} id="{heading_id}" class="fieldset-heading">{v(name)}</h{level}>'
            f"\n        {'</summary>' if collapsible else ''}\n    "
        )
    out.append("\n    ")
    if fieldset.description:
        out.append(f'\n        <div class="description">{fieldset.description}</div>\n    ')
    out.append("\n    ")
    out.extend(_line(line) for line in fieldset)
    out.append("\n    ")
    if name and fieldset.is_collapsible:
        out.append("</details>")
    out.append("\n</fieldset>")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped by v() as the template escapes it
