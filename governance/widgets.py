"""Form widgets for long choice lists."""

from django import forms
from django.utils.html import format_html, format_html_join


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python instead of rendering one template per option: a list of a
    few thousand people renders in milliseconds. Same markup and attributes as forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), " selected" if str(v) in selected else "", label)
                for v, label in ((getattr(v, "value", v), label) for v, label in self.choices)
            ),
        )
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
                for k, v in final.items()
                if v is not None and v is not False
            ),
        )
        return format_html("<select{}>{}</select>", attributes, options)


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes joined in Python (one label and input per choice), for lists of a body's members."""

    def render(self, name, value, attrs=None, renderer=None):
        checked = {str(v) for v in (value or [])}
        base_id = self.build_attrs(self.attrs, attrs).get("id", f"id_{name}")
        rows = format_html_join(
            "",
            '<div><label for="{0}_{1}"><input type="checkbox" name="{2}" value="{3}" id="{0}_{1}"{4}> {5}</label></div>',
            (
                (
                    base_id,
                    i,
                    name,
                    str(getattr(v, "value", v)),
                    " checked" if str(getattr(v, "value", v)) in checked else "",
                    label,
                )
                for i, (v, label) in enumerate(self.choices)
            ),
        )
        return format_html('<div id="{}">{}</div>', base_id, rows)
