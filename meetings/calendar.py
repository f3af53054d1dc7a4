"""Meetings in people's calendars: one meeting as .ics, a personal subscription feed, and the page that shows it.

The feed URL carries a token instead of a session, because calendar programs cannot sign in: the user's random feed
key (`CalendarFeedKey`) signed with FEED_SALT. The key names the user; replacing it (`feed_key_rotate`, the "Byt adress"
button) turns the old address off at once. What the feed lists is worked out on each request from the user's current
memberships, so a member who leaves a body stops seeing its meetings.
"""

import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, Event

from core.web import Confirmation, confirm_page, confirmed
from governance import permissions
from governance.models import Body

from .models import AgendaItem, CalendarFeedKey, Meeting, new_feed_key

FEED_SALT = "shvo-calendar"
TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
PRODID = "-//SHVO-portalen//Möten//SV"


def _signer() -> signing.Signer:
    return signing.Signer(salt=FEED_SALT, sep=".")  # "." rather than ":": a plain address in every calendar program


def feed_token(user) -> str:
    """The token in the user's feed address (the user's key is made on first use)."""
    feed_key, _ = CalendarFeedKey.objects.get_or_create(user=user)
    return _signer().sign(feed_key.key)


def feed_key_rotate(*, user) -> CalendarFeedKey:
    """Give the user a new feed key: the old address answers 404 from now on."""
    feed_key, _ = CalendarFeedKey.objects.update_or_create(
        user=user, defaults={"key": new_feed_key(), "created_at": timezone.now()}
    )
    return feed_key


def _key_from_token(token: str) -> str | None:
    """The feed key a token carries, or None when the token was not signed here (no key matches None)."""
    try:
        return _signer().unsign(token)
    except signing.BadSignature:
        return None


def _feed_keys():
    return CalendarFeedKey.objects.select_related("user").filter(user__is_active=True)


def _user_from_token(token: str):
    """The active user a feed token names, or None."""
    feed_key = _feed_keys().filter(key=_key_from_token(token)).first()
    return feed_key.user if feed_key else None


def _description(meeting: Meeting, items) -> str:
    lines = []
    if meeting.video_link:
        lines.append(f"Videomöte: {meeting.video_link}")
    if meeting.agenda_published_at and items:
        lines.append("Dagordning:")
        for it in items:
            time = f" ({it.start_time:%H:%M})" if it.start_time else ""
            lines.append(f"{it.position}. {it.title}{time} – {it.get_purpose_display()}")
    return "\n".join(lines)


def _event(request, meeting: Meeting, items) -> Event:
    body = meeting.body
    return Event.new(
        uid=f"meeting-{meeting.pk}@shvo-portalen",
        summary=f"{body.short_name or body.name}: {meeting.title or 'Möte'}",
        start=datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=TZ),
        end=datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=TZ),
        location=meeting.place or meeting.video_link or None,
        url=request.build_absolute_uri(reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk})),
        description=_description(meeting, items) or None,
        stamp=timezone.now(),
    )


def _calendar(name: str, uid: str, events) -> Calendar:
    cal = Calendar.new(
        prodid=PRODID, name=name, uid=uid, method="PUBLISH", refresh_interval=datetime.timedelta(hours=6)
    )
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def _ics_response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _items_prefetch():
    return Prefetch(
        "items",
        queryset=AgendaItem.objects.order_by("position").only(
            "id", "meeting_id", "position", "title", "start_time", "purpose"
        ),
    )


@require_safe
def meeting_ics(request, pk):
    """One meeting as .ics for whoever sees the meeting (Meeting.objects.visible_to); 404 for others signed in.
    Anonymous visitors are sent to sign in like on every other meeting page (the redirect is the same for any pk, so
    it leaks nothing)."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("body").prefetch_related(_items_prefetch()), pk=pk
    )
    cal = _calendar(
        str(meeting), f"meeting-{meeting.pk}@shvo-portalen", [_event(request, meeting, meeting.items.all())]
    )
    return _ics_response(cal, f"mote-{meeting.body.slug}-{meeting.date.isoformat()}.ics")


@login_not_required
@require_safe
def calendar_feed(request, token):
    """The personal feed: every meeting of the bodies the token's user is a current member of. Four queries."""
    user = get_object_or_404(_feed_keys(), key=_key_from_token(token)).user
    body_ids = permissions.member_body_ids(user)
    meetings = (
        Meeting.objects.filter(body_id__in=body_ids)
        .select_related("body")
        .prefetch_related(_items_prefetch())
        .order_by("date", "start_time")
    )
    events = [_event(request, m, m.items.all()) for m in meetings]
    cal = _calendar("SHVO-portalen: mina möten", f"feed-{user.pk}@shvo-portalen", events)
    return _ics_response(cal, "shvo-moten.ics")


@require_safe
def my_calendar(request):
    """The signed-in user's feed address, how to subscribe to it, and the button that replaces it."""
    url = request.build_absolute_uri(reverse("meetings:calendar_feed", kwargs={"token": feed_token(request.user)}))
    bodies = list(Body.objects.filter(pk__in=permissions.member_body_ids(request.user)).order_by("sort_order", "name"))
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "bodies": bodies,
            "crumbs": [("Min kalender", "")],
        },
    )


@require_http_methods(["GET", "POST"])
def feed_rotate(request):
    """Replace the user's feed address: the page asks first (a link leads to it); only its "Ja" replaces it."""
    if not confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title="Byt kalenderadress?",
                happens=[
                    "Du får en ny adress till din kalender. Lägg in den i ditt kalenderprogram efteråt.",
                    "Kalenderprogram som prenumererar på den nuvarande adressen får inga fler uppdateringar, och dina "
                    "möten försvinner ur dem, tills du lägger in den nya.",
                ],
                final="Den nuvarande adressen slutar fungera direkt och kan inte användas igen.",
                verb="byt adress",
                cancel_url=reverse("meetings:my_calendar"),
                crumbs=[("Min kalender", reverse("meetings:my_calendar")), ("Byt adress", "")],
            ),
        )
    feed_key_rotate(user=request.user)
    messages.success(
        request,
        "Din kalender har fått en ny adress. Den gamla adressen fungerar inte längre: "
        "lägg in den nya i ditt kalenderprogram.",
    )
    return redirect("meetings:my_calendar")
