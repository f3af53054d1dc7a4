"""The register of decisions of a body (/organ/<slug>/beslut/): its §§ of a year, searchable and filtered."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.web import page_of
from governance.models import Body

from .models import Decision, Minutes, case_url

FOLLOW_UPS = {
    "ingen": gettext_lazy("Ingen uppföljning"),
    "vantar": gettext_lazy("Uppföljning väntar"),
    "forfallen": gettext_lazy("Uppföljning försenad"),
    "klar": gettext_lazy("Uppföljd"),
}


def search(decisions, q: str):
    """Full-text search in Swedish on PostgreSQL (websearch syntax); a plain substring match elsewhere (SQLite)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return decisions.annotate(search=SearchVector("text", config="swedish")).filter(
            search=SearchQuery(q, config="swedish", search_type="websearch")
        )
    return decisions.filter(text__icontains=q)


def _follow_up_filter(decisions, value: str):
    today = timezone.localdate()
    pending = Q(follow_up_on__isnull=False) & (Q(item__case__isnull=True) | Q(item__case__followed_up_at__isnull=True))
    if value == "ingen":
        return decisions.filter(follow_up_on__isnull=True)
    if value == "vantar":
        return decisions.filter(pending, follow_up_on__gte=today)
    if value == "forfallen":
        return decisions.filter(pending, follow_up_on__lt=today)
    if value == "klar":
        return decisions.filter(follow_up_on__isnull=False, item__case__followed_up_at__isnull=False)
    return decisions


@login_not_required  # decisions in published minutes are public
@require_safe
def decision_register(request, slug):
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    visible = Decision.objects.visible_to(request.user).filter(body=body)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    asked = request.GET.get("ar", "")
    year = int(asked) if asked.isdigit() else (years[0] if years else timezone.localdate().year)
    decisions = visible.filter(year=year)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        decisions = search(decisions, q)
    kind = request.GET.get("typ", "")
    if kind in Decision.Kind.values:
        decisions = decisions.filter(kind=kind)
    follow_up = request.GET.get("uppfoljning", "")
    decisions = _follow_up_filter(decisions, follow_up)
    page = page_of(
        request,
        decisions.select_related("item__meeting__minutes", "item__case", "escalated_to").order_by("number", "pk"),
    )
    rows = []
    for d in page:
        meeting = d.item.meeting
        minutes = getattr(meeting, "minutes", None)
        published = minutes is not None and minutes.status == Minutes.Status.PUBLISHED
        rows.append(
            {
                "decision": d,
                "item_url": f"{meeting.get_absolute_url()}#{d.item.anchor}",
                "meeting": meeting,
                "case": d.item.case,
                "case_url": case_url(d.item.case) if d.item.case_id else "",
                "pdf_url": minutes.pdf_url if published else "",
            }
        )
    title = _("Beslut i %(body)s") % {"body": body.name}
    return render(
        request,
        "meetings/decision_register.html",
        {
            "body": body,
            "page": page,
            "rows": rows,
            "years": years,
            "year": year,
            "q": q,
            "kind": kind,
            "kinds": Decision.Kind.choices,
            "follow_up": follow_up,
            "follow_ups": FOLLOW_UPS.items(),
            "title": title,
            "crumbs": [
                (_("Organ"), reverse("governance:chart")),
                (body.name, body.get_absolute_url()),
                (_("Beslut"), ""),
            ],
        },
    )
