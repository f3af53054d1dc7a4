"""The start page's "what waits for me": each app registers its panels here (from its AppConfig.ready), and the start
page renders them in order, so the start page's app imports none of the others.

    @waiting.panel("documents/round_waiting.html", order=20)
    def reviews_waiting(request) -> dict | None: ...   # the template's context, or None when nothing waits
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Any], dict | None]


@dataclass(frozen=True)
class Panel:
    template: str
    order: int
    provider: Provider


_PANELS: dict[str, Panel] = {}


def panel(template: str, *, order: int = 50) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        _PANELS[template] = Panel(template, order, fn)
        return fn

    return register


def panels_for(request) -> list[tuple[str, dict]]:
    """(template, context) for every panel with something for this user, in order."""
    shown = []
    for p in sorted(_PANELS.values(), key=lambda p: (p.order, p.template)):
        context = p.provider(request)
        if context is not None:
            shown.append((p.template, context))
    return shown
