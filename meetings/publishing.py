"""The minutes and the agenda as PDF, and publishing the minutes: rendered once, kept as issued, served as stored.

- `render_minutes_pdf` / `render_agenda_pdf`: core.pdf (tagged PDF/A-3a and PDF/UA-1, Swedish, links and bookmarks),
  A4, fonts embedded, "Sida X av Y".
- The service that publishes (`meetings.services.minutes_publish`) renders justerade minutes ONCE; the bytes, their
  SHA-256 and size are stored and never regenerated. Corrections after that are separate, approved records.
- Views: the public list of a body's published minutes, the stored PDF (public once published, byte for byte, with
  ETag = SHA-256), the agenda PDF for members, the secretary's publish button, and the preview of minutes in
  justering for their signatories and secretaries: rendered on request, marked "Förhandsversion – ej justerad" on
  every page, never stored.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from core import store
from core.pdf import html_to_pdf
from core.web import ask_first, flash_errors
from governance import permissions
from governance.models import Body

from . import agenda, confirmations, rules, services
from .models import Correction, Meeting, Minutes
from .views import body_crumbs

PDF_STYLESHEET = settings.BASE_DIR / "static" / "css" / "print-pdf.css"
# Published files are stored under their SHA-256 here (below MEDIA_ROOT); see published_pdf.
PUBLISHED_DIR = "protokoll"
# The preview's label (above the content and in the header of every page, see templates/pdf_base.html) and note.
PREVIEW_MARKING = {
    "pdf_marking": "Förhandsversion – ej justerad",
    "pdf_marking_note": "Protokollet är skickat för justering och kan ändras innan det justeras. "
    "Den här filen publiceras inte.",
}


# --- rendering ---------------------------------------------------------------------------------


def _write_pdf(html: str) -> bytes:
    return html_to_pdf(html, stylesheet=PDF_STYLESHEET)


def _meeting_for_pdf(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("body", "secretary", "chair")
        .prefetch_related("adjusters", "co_secretaries")
        .get(pk=meeting.pk)
    )


def _signature_blocks(meeting: Meeting) -> dict:
    """The signature blocks: "Vid anteckningen" (each secretary) and the justering (the chair and each justerare,
    with the day each approved, or the day on paper), each name with the title at the meeting (from the attendance,
    else the person's)."""
    rows = meeting.attendance.filter(person__isnull=False).values_list("person_id", "title")
    titles = {pk: title for pk, title in rows if title}
    return {
        "note_takers": [(p, titles.get(p.pk, p.title)) for p in meeting.secretaries()],
        "signers": [(p, role, when, titles.get(p.pk, p.title)) for p, role, when in services.justering_block(meeting)],
    }


def render_minutes_pdf(meeting: Meeting, *, preview: bool = False) -> bytes:
    """The minutes as a PDF/A document: heading, attendance, items with notes, decisions and actions, the closing
    summary, the justering block and approved corrections. A preview is marked as such on every page."""
    meeting = _meeting_for_pdf(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    generated = services.summary(meeting)
    corrections = []
    if minutes:
        corrections = list(
            Correction.objects.filter(minutes=minutes, approved_at__isnull=False).select_related("item", "approved_by")
        )
    with translation.override("sv"):
        html = render_to_string(
            "meetings/pdf/minutes.html",
            {
                "meeting": meeting,
                "minutes": minutes,
                "adjusters": list(meeting.adjusters.all()),
                "attendance_groups": services.attendance_groups(meeting),
                **_signature_blocks(meeting),
                "items": generated["items"],
                "decisions": generated["decisions"],
                "actions": generated["actions"],
                "corrections": corrections,
                "issued_at": timezone.now(),
                **(PREVIEW_MARKING if preview else {}),
            },
        )
    return _write_pdf(html)


def render_agenda_pdf(meeting: Meeting) -> bytes:
    """The agenda as a PDF: numbered items with their hours and duration (meetings.agenda), purpose, presenters and
    documents."""
    meeting = _meeting_for_pdf(meeting)
    with translation.override("sv"):
        html = render_to_string(
            "meetings/pdf/agenda.html",
            {
                "meeting": meeting,
                "adjusters": list(meeting.adjusters.all()),
                "items": agenda.with_durations(list(meeting.items.order_by("position")), meeting),
                "issued_at": timezone.now(),
            },
        )
    return _write_pdf(html)


def pdf_file_name(meeting: Meeting) -> str:
    return f"{meeting.body.slug}-{meeting.date.isoformat()}.pdf"


# --- views -------------------------------------------------------------------------------------


@login_not_required
@require_safe
def published_minutes(request, slug):
    """A body's published minutes, newest first: public, two queries whatever their number."""
    body = get_object_or_404(Body.objects.visible_to(request.user), slug=slug)
    published = list(
        Minutes.objects.published()
        .filter(meeting__body=body)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__start_time")
    )
    return render(
        request,
        "meetings/published_list.html",
        {"body": body, "published": published, "crumbs": body_crumbs(body, ("Publicerade protokoll", ""))},
    )


@login_not_required
@require_safe
def minutes_pdf(request, pk):
    """The published PDF of a meeting, by meeting number. Unpublished (draft, in justering, justerat) minutes are
    not served as PDF to anyone, so the answer is the same 404 as for a meeting that does not exist."""
    minutes = get_object_or_404(
        Minutes.objects.published_files()
        .select_related("meeting__body")
        .only("pdf", "pdf_sha256", "meeting__date", "meeting__body__slug"),
        meeting_id=pk,
    )
    return store.serve(request, lambda: minutes.pdf.open("rb"), minutes.pdf_sha256, pdf_file_name(minutes.meeting))


@login_not_required
@require_safe
def published_pdf(request, sha256, name):
    """The same file addressed by its content: published files are stored under their SHA-256 and only publishing
    writes there, so a file that exists is published and immutable. No database query: served like a static file."""
    return store.serve_by_address(request, PUBLISHED_DIR, sha256, f"{name}.pdf")


@require_GET
def agenda_pdf(request, pk):
    """The agenda as PDF: members once the agenda is published, the secretary also before; others 404."""
    meeting = get_object_or_404(Meeting.objects.agenda_visible_to(request.user).select_related("body"), pk=pk)
    response = HttpResponse(render_agenda_pdf(meeting), content_type="application/pdf")
    name = f"dagordning-{meeting.body.slug}-{meeting.date.isoformat()}.pdf"
    response.headers["Content-Disposition"] = content_disposition_header(False, name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def minutes_preview_pdf(request, pk):
    """The minutes in justering as a marked preview PDF, for their chair, justerare and secretaries (meetings.rules
    PREVIEW_MINUTES); 404 for everyone else and once the minutes are no longer in justering. Never stored."""
    meeting = get_object_or_404(Meeting.objects.minutes_preview_visible_to(request.user).select_related("body"), pk=pk)
    response = HttpResponse(render_minutes_pdf(meeting, preview=True), content_type="application/pdf")
    name = f"forhandsversion-{pdf_file_name(meeting)}"
    response.headers["Content-Disposition"] = content_disposition_header(False, name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@require_POST
def publish(request, pk):
    """The secretary's button: publish justerade minutes as PDF, or say why not."""
    meeting = get_object_or_404(Meeting.objects.followed_by(request.user).select_related("body"), pk=pk)
    permissions.require(request.user, rules.MANAGE_MEETING, meeting)
    if page := ask_first(
        request, rules.publish_check(request.user, meeting), lambda: confirmations.minutes_publish(meeting)
    ):
        return page
    if flash_errors(request, lambda: services.minutes_publish(actor=request.user, meeting=meeting)):
        messages.success(request, _("Protokollet är publicerat som PDF. Filen ändras aldrig i efterhand."))
    return redirect(reverse("meetings:meeting_detail", kwargs={"pk": pk}))
