"""Form widgets: long choice lists whose options are joined in Python instead of one template render per option,
and the rich-text field (a textarea the editor takes over)."""

from html import escape

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .kept import kept
from .text import looks_like_html, plain_if_lossless, stored_html


def _value(v) -> str:
    return str(getattr(v, "value", v))


def _attributes(attrs: dict) -> str:
    return "".join(
        f" {escape(str(k))}" if v is True else f' {escape(str(k))}="{escape(str(v))}"'
        for k, v in attrs.items()
        if v is not None and v is not False
    )


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python: a list of a few thousand people renders in milliseconds.
    Same markup and attributes as forms.Select. Pass plain (value, label) `choices` to skip building model objects.
    With `options_key` set, the joined options are kept under that key and `choices` (which may be a callable) is
    only read when the key is new."""

    options_key: str | None = None
    leave_out: frozenset[str] = frozenset()  # values of the (kept) list this form does not offer

    def _options(self) -> str:
        def build() -> str:
            return "".join(
                f'<option value="{escape(v)}">{escape(str(label))}</option>'
                for v, label in ((_value(v), label) for v, label in self.choices)
            )

        # A list of a few thousand people is the same on every form until someone changes a person (core.kept).
        return build() if self.options_key is None else kept(f"options:{self.options_key}", build)

    def use_required_attribute(self, initial):
        # Django's Select reads the first choice for this; a kept list answers from its rendered options instead
        # (reading `choices` would run the query the kept list saves).
        if self.options_key is None:
            return super().use_required_attribute(initial)
        return not self.is_hidden and self._options().startswith('<option value="">')

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = self._options()
        for v in self.leave_out:  # e.g. the body being edited, on the kept list of every body
            start = options.find(f'<option value="{escape(v)}">')
            if start >= 0:
                options = options[:start] + options[options.index("</option>", start) + len("</option>") :]
        for v in selected:
            plain = f'<option value="{escape(v)}">'
            options = options.replace(plain, f'<option value="{escape(v)}" selected>', 1)
        return mark_safe(f"<select{_attributes(final)}>{options}</select>")


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes joined in Python (one label and input per choice), for lists of a body's members. With
    `options_key` set, the escaped (value, label) pairs are kept under that key (like FastSelect) and `choices`
    (which may be a callable) is only read when the key is new; only the ids and the checked boxes are per form."""

    options_key: str | None = None

    def _pairs(self) -> list[tuple[str, str]]:
        def build() -> list[tuple[str, str]]:
            return [(escape(_value(v)), escape(str(label))) for v, label in self.choices]

        return build() if self.options_key is None else kept(f"checkboxes:{self.options_key}", build)

    def render(self, name, value, attrs=None, renderer=None):
        checked = {escape(str(v)) for v in (value or [])}
        base = escape(self.build_attrs(self.attrs, attrs).get("id", f"id_{name}"))
        name = escape(name)
        rows = "".join(
            f'<div><label for="{base}_{i}"><input type="checkbox" name="{name}" value="{v}" '
            f'id="{base}_{i}"{" checked" if v in checked else ""}> {label}</label></div>'
            for i, (v, label) in enumerate(self._pairs())
        )
        return mark_safe(f'<div id="{base}">{rows}</div>')


# Said under every rich-text field: what the editor takes, and how to write without it.
RICH_TEXT_HELP = _(
    "Rubriker, fetstil, listor, länkar och tabeller följer med när du klistrar in från Word. Visas ingen "
    "textredigerare: skriv en tom rad mellan styckena och ”- ”, ”1.” eller ”a)” först på raden för listor."
)


class RichText(forms.Textarea):
    """A textarea that static/js/editor.js turns into the text editor (TinyMCE, served from our static files).

    Without JavaScript it stays a textarea of plain text: paragraphs at blank lines, "- " bullets, "1." and "a)"
    lines (core.text.sanitise makes them HTML on save). A stored text is shown in it as that plain text when typing
    it back gives the same text; one with formatting plain text cannot hold (headings, bold, tables) is shown as its
    HTML, so saving without the editor loses nothing. The editor starts from the HTML (data-html when the textarea
    holds plain text)."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 10, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text = context["widget"]["value"] or ""
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-rich-text": "",
                "data-editor-base": f"{settings.STATIC_URL}vendor/tinymce",
                "data-editor-language": static("vendor/tinymce-i18n/sv-SE.js"),
                "data-editor-css": static("css/editor-content.css"),
            }
        )
        if text.strip() and looks_like_html(text):
            plain = plain_if_lossless(text)
            if plain is not None:
                widget_attrs["data-html"] = stored_html(text)
                context["widget"]["value"] = plain
        elif text.strip():
            widget_attrs["data-html"] = stored_html(text)
        return context
