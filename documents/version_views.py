"""A plan's versions: the list, and any two compared side by side with word-level changes marked."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import services
from .models import DocumentVersion
from .views import _crumbs, _plan_for


@login_not_required
@require_safe
def plan_versions(request, pk):
    plan = _plan_for(request, pk)
    versions = list(services.versions_visible_to(request.user, plan))
    return render(
        request,
        "documents/plan_versions.html",
        {
            "plan": plan,
            "versions": versions,
            "a": versions[1].number if len(versions) > 1 else (versions[0].number if versions else None),
            "b": versions[0].number if versions else None,
            "crumbs": _crumbs(plan, _("Versioner")),
        },
    )


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _compare_rows(old: DocumentVersion, new: DocumentVersion) -> list[dict]:
    """services.versions_compare per part, with each side's text added for the side-by-side view."""
    old_text = {s["title"]: s["body"] for s in old.content.get("sections", [])}
    new_text = {s["title"]: s["body"] for s in new.content.get("sections", [])}
    rows = services.versions_compare(old, new)
    for row in rows:
        row["is_goals"] = row["title"] not in old_text and row["title"] not in new_text
        row["old"], row["new"] = old_text.get(row["title"], ""), new_text.get(row["title"], "")
        row["old_goals"], row["new_goals"] = old.content.get("goals", []), new.content.get("goals", [])
    return rows


@login_not_required
@require_safe
def plan_compare(request, pk):
    plan = _plan_for(request, pk)
    versions = list(services.versions_visible_to(request.user, plan))
    by_number = {v.number: v for v in versions}
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    error = None
    if a is None or b is None:
        error = _("Välj två versioner att jämföra.")
    elif a not in by_number or b not in by_number:
        missing = [str(n) for n in (a, b) if n not in by_number]
        error = _("Planen har ingen version %(n)s. Välj bland versionerna i listan.") % {"n": " eller ".join(missing)}
    context = {
        "plan": plan,
        "versions": versions,
        "a": a if a in by_number else None,
        "b": b if b in by_number else None,
        "error": error,
        "crumbs": _crumbs(plan, _("Jämför versioner")),
    }
    if error is None:
        old, new = sorted((by_number[a], by_number[b]), key=lambda v: v.number)
        rows = _compare_rows(old, new)
        context.update(
            {
                "old": old,
                "new": new,
                "rows": rows,
                "changed": sum(1 for r in rows if r["changed"]),
            }
        )
    return render(request, "documents/plan_compare.html", context, status=400 if error else 200)
