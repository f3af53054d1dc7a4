"""Panels one app shows on another app's page, without that app importing it: the start page's "what waits for me"
(slot "home") and the body page's meetings box (slot "body"). Each app registers its panels from its AppConfig.ready;
the page renders `panels_for(request, slot, **objects)` in order.

    @waiting.panel("documents/round_waiting.html", slot="home", order=20)
    def reviews_waiting(request) -> dict | None: ...   # the template's context, or None when nothing waits

    @waiting.panel("meetings/_body_meetings_box.html", slot="body")
    def body_meetings_box(request, body) -> dict | None: ...

The page's view puts `panels_for(...)` in its context as `panels`; the template renders each with the one
convention, `render_panel` (core/templatetags/core_tags.py), which spreads the provider's dict over the page's context
so the panel's template reads its keys at top level (as from an inclusion tag):

    {% load core_tags %}{% for template, ctx in panels %}{% render_panel template ctx %}{% endfor %}
"""

from collections.abc import Callable
from dataclasses import dataclass

Provider = Callable[..., dict | None]


@dataclass(frozen=True)
class Panel:
    template: str
    slot: str
    order: int
    provider: Provider


_PANELS: dict[tuple[str, str], Panel] = {}


def panel(template: str, *, slot: str = "home", order: int = 50) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        _PANELS[(slot, template)] = Panel(template, slot, order, fn)
        return fn

    return register


def panels_for(request, slot: str = "home", **objects) -> list[tuple[str, dict]]:
    """(template, context) for every panel of the slot with something for this user, in order; each context also
    holds `request`."""
    shown = []
    for p in sorted((p for p in _PANELS.values() if p.slot == slot), key=lambda p: (p.order, p.template)):
        context = p.provider(request, **objects)
        if context is not None:
            shown.append((p.template, {"request": request, **context}))
    return shown


def rendered(request, slot: str = "home") -> str:
    """The slot's panels as one piece of HTML (each panel's template rendered with its context and the request's
    context processors), kept per user, day and state of the database (core.versions.data_version): built again
    after any write anywhere and on a new day, served as it is until then. A panel must therefore depend only on
    the user, the day and the data: no forms (their CSRF token belongs to the session), no messages, no clock time
    finer than the day. The key is read before the panels are, so what is kept is never older than its key."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from django.utils.safestring import mark_safe

    from .kept import kept_personal
    from .versions import data_version

    user = request.user
    who = f"{user.pk}:{int(user.is_active)}:{int(user.is_superuser)}" if user.is_authenticated else "-"
    if not hasattr(request, "_shvo_data_version"):  # once per request, however many slots the page renders
        request._shvo_data_version = data_version()
    key = f"waiting:{slot}:{who}:{timezone.localdate().isoformat()}:{request._shvo_data_version}"

    def build() -> str:
        return "".join(
            render_to_string(template, context, request=request) for template, context in panels_for(request, slot)
        )

    return mark_safe(kept_personal(key, build))  # noqa: S308 - rendered by the panels' own templates
