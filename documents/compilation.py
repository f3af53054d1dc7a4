"""The compilation (sammanställning) of a review round as PDF: every comment by section, with its quote, author,
subregion, replies and the coordinator's position and reason, and every submitted joint response.

core.pdf (tagged PDF/A-3a and PDF/UA-1, Swedish, links and bookmarks), A4, fonts embedded (å, ä and ö survive
copying and text extraction), "Sida X av Y".
Rendered on request for the coordinators (and administrators); it is a working document, never stored.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.pdf import html_to_pdf

from . import reviews
from .models import JointResponse, ReviewRound
from .review_views import round_for, threads

# The same print stylesheet as the minutes (page size, margins, running heads, "Sida X av Y"), plus a few rules
# for comment threads.
PDF_STYLESHEET = settings.BASE_DIR / "static" / "css" / "print-pdf.css"
EXTRA_CSS = """
.section { margin-top: 6mm; }
.thread { margin: 0 0 4mm; padding: 2mm 3mm; border-left: 2pt solid #00558c; background: #f7f8fa; break-inside: avoid; }
.meta { color: #4a5560; font-size: 9pt; margin-bottom: 1mm; }
blockquote.quote { margin: 1mm 0 2mm 4mm; padding-left: 3mm; border-left: 1.5pt solid #c5ccd3; font-style: italic; }
.replies { margin: 2mm 0 0 6mm; padding: 0; list-style: none; }
.replies li { margin: 0 0 2mm; }
.disposition { margin-top: 2mm; padding: 1.5mm 2.5mm; background: #eef3f7; }
.missing { color: #a01d1d; font-weight: bold; }
.response { margin: 0 0 5mm; }
"""


def _write_pdf(html: str) -> bytes:
    return html_to_pdf(html, stylesheet=PDF_STYLESHEET, extra_css=EXTRA_CSS)


def compilation_context(round_: ReviewRound) -> dict:
    """The sections of the version sent for review, in order, with their threads; comments without a section; and the
    subregions' answers."""
    sections = round_.version.sections
    roots = threads(list(round_.comments.select_related("author", "subregion", "disposition_by")))
    known = {s.key for s in sections}
    for s in sections:
        s.threads = [c for c in roots if c.section_key == s.key]
    status = reviews.round_status(round_)
    return {
        "round": round_,
        "plan": round_.plan,
        "sections": [s for s in sections if s.threads],
        "other_threads": [c for c in roots if c.section_key not in known],
        "thread_count": len(roots),
        "undisposed_count": sum(1 for c in roots if not c.disposition),
        "status": status,
        "submitted": [row["response"] for row in status if row["answered"]],
        "issued_at": timezone.now(),
    }


def render_compilation_pdf(round_: ReviewRound) -> bytes:
    with translation.override("sv"):
        html = render_to_string("documents/round_compilation.html", compilation_context(round_))
    return _write_pdf(html)


@login_not_required  # like the round's pages: 404 for everyone outside, signed in or not
@require_GET
def round_compilation(request, pk):
    """The compilation as PDF, for the coordinators and administrators; 404 for everyone else."""
    round_, _rights = round_for(
        request,
        pk,
        scope=ReviewRound.objects.compilation_visible_to(request.user),
        responses=JointResponse.objects.select_related("submitted_by", "subregion"),
    )
    response = HttpResponse(render_compilation_pdf(round_), content_type="application/pdf")
    name = f"remissammanstallning-{round_.plan.managed_object.slug}-{round_.plan.year}.pdf"
    response.headers["Content-Disposition"] = content_disposition_header(False, name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
