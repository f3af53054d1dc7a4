"""A management plan as PDF: core.pdf (tagged PDF/A-3a and PDF/UA-1, Swedish, links and bookmarks), A4, fonts embedded.

Cover (title, validity, VVG's position), a table of contents with page numbers (CSS target-counter), every section
in the page's order with the goals by category and the forums table, and "Sida X av Y" in the footer.

Plans change while they are drafts, so the PDF is rendered on request (never stored). Drafts are private
(Cache-Control private); the public may cache a plan in force or archived briefly.
Same safety as the minutes' PDF (meetings.publishing, which documents may not import): nothing is fetched while
rendering – no base URL, only data: URLs – and the section HTML is sanitised on save.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.pdf import html_to_pdf

from .models import ManagementPlan
from .views import plan_context, plan_queryset

PUBLIC_CACHE_CONTROL = "public, max-age=300"
DRAFT_CACHE_CONTROL = "private, no-cache"


def _write_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def render_plan_pdf(plan: ManagementPlan) -> bytes:
    with translation.override("sv"):
        html = render_to_string("documents/pdf/plan.html", {**plan_context(plan), "issued_at": timezone.now()})
    return _write_pdf(html)


def pdf_file_name(plan: ManagementPlan) -> str:
    return f"forvaltningsplan-{plan.managed_object.slug}-{plan.year}.pdf"


@login_not_required
@require_safe
def plan_pdf(request, pk):
    """The plan as PDF for whoever may read the plan; 404 for anyone else (nothing leaks)."""
    plan = get_object_or_404(plan_queryset(request.user), pk=pk)
    response = HttpResponse(render_plan_pdf(plan), content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(False, pdf_file_name(plan))
    response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL if plan.is_public else DRAFT_CACHE_CONTROL
    return response
