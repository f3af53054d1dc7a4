"""The backlog's and the forums' ways in on other pages (core.waiting): a link to a body's backlog on its page for
those who may read it, and the forums one may read on the start page."""

from core import waiting

from . import backlog_rules, permissions
from .case_models import Forum


@waiting.panel("governance/backlog/_body_backlog.html", slot="body", order=30)
def body_backlog(request, body) -> dict | None:
    if not permissions.can(request.user, backlog_rules.VIEW_BACKLOG, body):
        return None
    return {"backlog_body": body}


@waiting.panel("governance/forums/_home_forums.html", slot="home", order=80)
def home_forums(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    forums = list(Forum.objects.visible_to(request.user).select_related("process"))
    return {"forums": forums} if forums else None
