"""Template tags every app's templates may use."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, template_name: str, panel: dict):
    """Render one registered panel (core.waiting): its template with the provider's dict on top of the page's
    context, so the panel's template reads its keys at top level, as it would from an inclusion tag.

        {% load core_tags %}{% for template, ctx in panels %}{% render_panel template ctx %}{% endfor %}"""
    tpl = context.template.engine.get_template(template_name)
    with context.push(**panel):
        return tpl.render(context)
