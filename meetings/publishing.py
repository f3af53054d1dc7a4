"""The minutes and the agenda as PDF, and publishing the minutes: rendered once, kept as issued, served as stored.

- `render_minutes_pdf` / `render_agenda_pdf`: WeasyPrint, PDF/A-3b, A4, Swedish, fonts embedded, "Sida X av Y".
- `minutes_publish`: the service. Justerade minutes are rendered ONCE; the bytes, their SHA-256 and size are
  stored and never regenerated (a second call is refused). Corrections after that are separate, approved records.
- Views: the public list of a body's published minutes, the stored PDF (public once published, byte for byte, with
  ETag = SHA-256), the agenda PDF for members, and the secretary's publish button.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from core import store
from core.pdf import html_to_pdf
from governance import permissions
from governance.models import Body

from . import rules
from .models import Attendance, Correction, Meeting, Minutes
from .services import _require, _save, justering_block, summary

PDF_STYLESHEET = settings.BASE_DIR / "static" / "css" / "print-pdf.css"
# Published files are stored under their SHA-256 here (below MEDIA_ROOT); see published_pdf.
PUBLISHED_DIR = "protokoll"


# --- rendering ---------------------------------------------------------------------------------


def _write_pdf(html: str) -> bytes:
    return html_to_pdf(html, stylesheet=PDF_STYLESHEET)


def _meeting_for_pdf(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("body", "secretary", "chair").get(pk=meeting.pk)


def _attendance_groups(meeting: Meeting) -> list[tuple[str, list[Attendance]]]:
    """Attendance grouped by subregion or group label ("GITS", …), in the model's order."""
    rows = meeting.attendance.select_related("person", "subregion", "organisation", "substitute_for")
    groups: dict[str, list[Attendance]] = {}
    for a in rows:
        groups.setdefault(a.group, []).append(a)
    return list(groups.items())


def render_minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as a PDF/A document: heading, attendance, items with notes, positions and actions, the closing
    summary, the justering block and approved corrections."""
    meeting = _meeting_for_pdf(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    generated = summary(meeting)
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
                "attendance_groups": _attendance_groups(meeting),
                "items": generated["items"],
                "positions": generated["positions"],
                "actions": generated["actions"],
                "justering": justering_block(meeting),
                "corrections": corrections,
                "issued_at": timezone.now(),
            },
        )
    return _write_pdf(html)


def render_agenda_pdf(meeting: Meeting) -> bytes:
    """The agenda as a PDF: numbered items with time, purpose, presenters and documents."""
    meeting = _meeting_for_pdf(meeting)
    with translation.override("sv"):
        html = render_to_string(
            "meetings/pdf/agenda.html",
            {
                "meeting": meeting,
                "adjusters": list(meeting.adjusters.all()),
                "items": list(meeting.items.order_by("position")),
                "issued_at": timezone.now(),
            },
        )
    return _write_pdf(html)


def pdf_file_name(meeting: Meeting) -> str:
    return f"{meeting.body.slug}-{meeting.date.isoformat()}.pdf"


# --- the service -------------------------------------------------------------------------------


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> Minutes:
    """Publish justerade minutes as PDF. The PDF is rendered once and stored with its SHA-256 and size; it is what
    everyone downloads from then on, and it is never regenerated."""
    _require(actor, rules.MANAGE_MEETINGS, meeting.body)
    # The row lock makes two simultaneous clicks publish once: the second waits, then sees PUBLISHED.
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == Minutes.Status.PUBLISHED:
        raise ValidationError(
            _(
                "Mötesanteckningarna är redan publicerade. Den publicerade PDF-filen skapas aldrig om; "
                "ändringar görs som en rättelse."
            )
        )
    if minutes is None or minutes.status != Minutes.Status.JUSTERAT:
        raise ValidationError(_("Mötesanteckningarna kan publiceras först när de är justerade."))
    stored = store.put(minutes.pdf, render_minutes_pdf(meeting))
    try:
        minutes.pdf_sha256 = stored.sha256
        minutes.pdf_size = stored.size
        minutes.status = Minutes.Status.PUBLISHED
        minutes.published_at = timezone.now()
        minutes.published_by = actor
        _save(minutes, actor=actor, reason=_("Publicerat som PDF"))
    except Exception:
        minutes.pdf.delete(save=False)  # no orphan file when the row could not be saved
        raise
    return minutes


# --- views -------------------------------------------------------------------------------------


@login_not_required
@require_safe
def published_minutes(request, slug):
    """A body's published minutes, newest first: public, two queries whatever their number."""
    body = get_object_or_404(Body, slug=slug)
    published = list(
        Minutes.objects.filter(meeting__body=body, status=Minutes.Status.PUBLISHED)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__start_time")
    )
    return render(request, "meetings/published_list.html", {"body": body, "published": published})


@login_not_required
@require_safe
def minutes_pdf(request, pk):
    """The published PDF of a meeting, by meeting number. Unpublished (draft, in justering, justerat) minutes are
    not served as PDF to anyone, so the answer is the same 404 as for a meeting that does not exist."""
    minutes = (
        Minutes.objects.filter(meeting_id=pk, status=Minutes.Status.PUBLISHED)
        .select_related("meeting__body")
        .only("pdf", "pdf_sha256", "meeting__date", "meeting__body__slug")
        .first()
    )
    if minutes is None or not minutes.pdf:
        raise Http404
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
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    can_manage = permissions.can(request.user, rules.MANAGE_MEETINGS, meeting.body)
    can_view = permissions.can(request.user, rules.VIEW_MEETINGS, meeting.body)
    if not (can_manage or (can_view and meeting.agenda_published_at)):
        raise Http404
    response = HttpResponse(render_agenda_pdf(meeting), content_type="application/pdf")
    name = f"dagordning-{meeting.body.slug}-{meeting.date.isoformat()}.pdf"
    response.headers["Content-Disposition"] = content_disposition_header(False, name)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@require_POST
def publish(request, pk):
    """The secretary's button: publish justerade minutes as PDF, or say why not."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not permissions.can(request.user, rules.MANAGE_MEETINGS, meeting.body):
        if permissions.can(request.user, rules.VIEW_MEETINGS, meeting.body):
            raise PermissionDenied
        raise Http404
    try:
        minutes_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Mötesanteckningarna är publicerade som PDF. Filen ändras aldrig i efterhand."))
    return redirect(reverse("meetings:meeting_detail", kwargs={"pk": pk}))
