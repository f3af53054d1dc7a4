"""Form widgets for long choice lists: options joined in Python instead of one template render per option."""

from html import escape

from django import forms
from django.utils.safestring import mark_safe


def _value(v) -> str:
    return str(getattr(v, "value", v))


def _attributes(attrs: dict) -> str:
    return "".join(
        f" {escape(str(k))}" if v is True else f' {escape(str(k))}="{escape(str(v))}"'
        for k, v in attrs.items()
        if v is not None and v is not False
    )


# Rendered option lists by key, in this process: a list of a few thousand people is the same on every form until
# someone changes a person. The key says which rows and which version of them (see use_cached_options); a changed
# key builds the list anew. Bounded, the oldest key goes first.
_OPTIONS: dict[str, str] = {}
_OPTIONS_MAX = 32


def clear_option_cache() -> None:
    _OPTIONS.clear()


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python: a list of a few thousand people renders in milliseconds.
    Same markup and attributes as forms.Select. Pass plain (value, label) `choices` to skip building model objects.
    With `options_key` set, the joined options are kept under that key and `choices` (which may be a callable) is
    only read when the key is new."""

    options_key: str | None = None

    def _options(self) -> str:
        if self.options_key is not None and self.options_key in _OPTIONS:
            return _OPTIONS[self.options_key]
        options = "".join(
            f'<option value="{escape(v)}">{escape(str(label))}</option>'
            for v, label in ((_value(v), label) for v, label in self.choices)
        )
        if self.options_key is not None:
            while len(_OPTIONS) >= _OPTIONS_MAX:
                _OPTIONS.pop(next(iter(_OPTIONS)))
            _OPTIONS[self.options_key] = options
        return options

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = self._options()
        for v in selected:
            plain = f'<option value="{escape(v)}">'
            options = options.replace(plain, f'<option value="{escape(v)}" selected>', 1)
        return mark_safe(f"<select{_attributes(final)}>{options}</select>")


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes joined in Python (one label and input per choice), for lists of a body's members."""

    def render(self, name, value, attrs=None, renderer=None):
        checked = {str(v) for v in (value or [])}
        base = escape(self.build_attrs(self.attrs, attrs).get("id", f"id_{name}"))
        rows = "".join(
            f'<div><label for="{base}_{i}"><input type="checkbox" name="{escape(name)}" value="{escape(v)}" '
            f'id="{base}_{i}"{" checked" if v in checked else ""}> {escape(str(label))}</label></div>'
            for i, (v, label) in enumerate((_value(v), label) for v, label in self.choices)
        )
        return mark_safe(f'<div id="{base}">{rows}</div>')
