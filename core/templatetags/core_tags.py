"""Template tags every app's templates may use."""

from django import template
from django.utils.safestring import mark_safe

from core import text

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, template_name: str, panel: dict):
    """Render one registered panel (core.waiting): its template with the provider's dict on top of the page's
    context, so the panel's template reads its keys at top level, as it would from an inclusion tag.

        {% load core_tags %}{% for template, ctx in panels %}{% render_panel template ctx %}{% endfor %}"""
    tpl = context.template.engine.get_template(template_name)
    with context.push(**panel):
        return tpl.render(context)


class FragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308 - rendered, so escaped
        return ""


@register.tag
def fragment(parser, token):
    """Render a piece of template into a variable, to pass to a component that takes text (a page header whose
    heading has several parts or a span), as Wagtail's `fragment` does. Leading and trailing whitespace is dropped.

        {% fragment as page_heading %}Möten i {{ body.name }}{% endfragment %}
        {% include "components/page_header.html" with heading=page_heading %}"""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("fragment takes the form {% fragment as name %}…{% endfragment %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[2])


@register.filter
def error_links(errors) -> list[tuple[str, str]]:
    """components/error_summary.html's errors as (text, field id) pairs: a text alone gets no link."""
    return [(e[0], e[1]) if isinstance(e, (tuple, list)) else (e, "") for e in errors or ()]


@register.filter
def rich(value) -> str:
    """Stored rich text (plan sections, charters, minutes notes, comments, responses) as HTML to show, on a page and
    in a PDF: cleaned, plain text as paragraphs and lists, tables that scroll sideways (core.text.rich_html)."""
    return mark_safe(text.rich_html(str(value or "")))  # noqa: S308 - sanitised by core.text


@register.filter
def genitive(value) -> str:
    """A name in the Swedish genitive (core.text.genitive): "SHVO:s", "Fyrbodals", "Borås"."""
    return text.genitive(str(value or ""))


@register.filter
def linkify(value) -> str:
    """A line of plain text, escaped, with its web addresses as links (an agenda item's documents)."""
    return mark_safe(text.linkify(str(value or "")))  # noqa: S308 - escaped by core.text
