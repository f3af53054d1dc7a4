"""Who may do what with meetings, agendas and minutes, and when: meetings' actions, registered with the one
dispatcher `governance.permissions.can`, from the role facts governance keeps, and the state-aware checks.

Each `*_check(actor, obj) -> list[str]` gives the Swedish refusals (empty = allowed): the services call it first and
raise ValidationError with it; views and templates use it for buttons and help text. So a rule and its message exist
once, here. The scoped reads (`Meeting.objects.visible_to(user)`) are in meetings.querysets, built from the same facts.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from governance.permissions import (
    NO_PERSON,
    NOT_ALLOWED,
    can,
    is_admin,
    is_coordinator,
    is_member_of,
    is_secretary_of,
    person_of,
    rule,
)

from .models import Action, Correction, Meeting, Minutes

MANAGE_MEETINGS = "manage_meetings"  # plan meetings, agendas, attendance, minutes, publish: obj = Body
MANAGE_MEETING = "manage_meeting"  # the same work on one meeting: obj = Meeting (also its named secretaries)
VIEW_MEETINGS = "view_meetings"  # see a body's meetings, agendas and draft minutes: obj = Body
JUSTERA = "justera"  # approve or comment minutes: obj = Meeting (its chair and justerare)
VIEW_MEETING = "view_meeting"  # open a meeting's page: obj = Meeting (the public once its minutes are published)
FOLLOW_MEETING = "follow_meeting"  # a meeting's internal side (justering comments, history): obj = Meeting
PREVIEW_MINUTES = "preview_minutes"  # the minutes in justering as a marked preview PDF: obj = Meeting

# --- refusals -----------------------------------------------------------------------------------
LOCKED = _("Protokollet är justerat och låst. Ändringar görs som en rättelse.")
IN_JUSTERING = _("Protokollet är skickat för justering. Återta det för att ändra.")
AGENDA_EMPTY = _("Dagordningen är tom. Lägg till minst en punkt innan du publicerar den.")
ALREADY_SENT = _("Protokollet är redan skickat för justering.")
NEEDS_CHAIR = _("Ange mötets ordförande innan anteckningarna skickas för justering.")
NO_ITEMS = _("Protokollet har inga punkter ännu.")
NOT_IN_JUSTERING = _("Anteckningarna är inte skickade för justering.")
ALREADY_APPROVED = _("Du har redan godkänt anteckningarna. De väntar nu på övriga justerare.")
NEEDS_INDEPENDENT_SIGNATORY = _(
    "Ordföranden och justerarna får inte vara några som har skrivit anteckningarna. "
    "Ändra mötets ordförande eller justerare innan anteckningarna justeras."
)
ALREADY_PUBLISHED = _(
    "Protokollet är redan publicerat. Den publicerade PDF-filen skapas aldrig om; ändringar görs som en rättelse."
)
NOT_JUSTERAT = _("Protokollet kan publiceras först när det är justerat.")
NOT_LOCKED_YET = _("Anteckningarna är inte justerade än; ändra dem direkt i stället.")
CORRECTION_APPROVED = _("Rättelsen är redan godkänd.")
CORRECTION_OWN = _("Den som skrev rättelsen kan inte själv godkänna den. Be en annan justerare.")
BLANK_NOTES = _(
    "Rutan är tom, så anteckningarna sparades inte och de sparade anteckningarna finns kvar. Skriv anteckningarna "
    "och spara igen, eller öppna punkten på nytt för att se dem."
)
NOTES_CHANGED = _(
    "Någon annan har sparat anteckningarna medan du skrev. Ingenting är sparat och ingenting är förlorat: din text "
    "finns kvar i rutan och den andras sparade text visas ovanför. För in det som ska vara kvar och spara igen."
)
UNKNOWN_ACTION_STATUS = _("Välj en giltig status för åtgärden: pågår, klar eller avbruten.")
# Justering on paper (earlier years' minutes, or signatures collected on paper): recorded by a secretary.
PAPER_ALREADY_LOCKED = _("Protokollet är redan justerat. En justering på papper kan inte registreras igen.")
PAPER_MEETING_AHEAD = _("Mötet har inte hållits ännu, så protokollet kan inte ha justerats.")
PAPER_DATE_MISSING = _("Ange dagen protokollet justerades på papper.")
PAPER_DATE_BEFORE_MEETING = _("Protokollet kan inte ha justerats före mötet (%(date)s). Ange en senare dag.")
PAPER_DATE_AHEAD = _("Justeringen på papper kan inte ha skett i framtiden. Ange dagen den skedde.")
PAPER_NOT_A_SIGNATORY = _(
    "Bara mötets ordförande och justerare justerar protokollet: %(names)s är inte det. Ändra mötets justerare först."
)
PAPER_SIGNATORY_MISSING = _(
    "Justeringen kräver ordföranden och alla justerare: %(names)s saknas. Registrera justeringen när alla har "
    "skrivit under, eller ändra mötets justerare."
)
PAPER_OWN_SIGNATURE = _(
    "Du kan inte registrera din egen justering: den som för in justeringen får inte själv vara en av dem som "
    "justerade. Be en annan sekreterare."
)


def is_meeting_secretary(user, meeting) -> bool:
    """One of the secretaries named on the meeting, in person: they have the secretary's rights for that meeting."""
    person = person_of(user)
    return person is not None and person.pk in meeting.secretary_ids()


# Dates against each other (the meeting's day and hours, its agenda, its actions, its justering).
NOT_HELD_YET = _(
    "Mötet hålls %(date)s. Protokollet kan skickas för justering och justeras först när mötet har hållits, "
    "tidigast på mötesdagen."
)
ITEM_OUTSIDE_HOURS = _("Punktens tid måste ligga inom mötets tider, %(start)s–%(end)s. Ändra tiden eller mötets tider.")
ITEMS_OUTSIDE_HOURS = _(
    "Punkt %(n)d börjar %(time)s, utanför mötets nya tider. Ändra punktens tid först, eller välj andra tider."
)
DUE_BEFORE_MEETING = _("Åtgärden kan inte ha ett slutdatum före mötet (%(date)s). Välj mötesdagen eller senare.")
ACTIONS_DUE_BEFORE_MEETING = _(
    "Åtgärden ”%(text)s” ska vara klar %(due)s, före det nya mötesdatumet. Ändra åtgärdens datum först."
)
OUT_OF_TIME_ORDER = _(
    "Punkterna står i tidsordning, och den här punkten har en annan tid än grannen. Ändra punktens tid för att "
    "flytta den."
)
DATE_FAR = _(
    "Datumet %(date)s ligger mer än ett år bakåt eller mer än två år framåt i tiden. Kontrollera året. Stämmer "
    "datumet, kryssa i ”Datumet stämmer” och spara igen."
)
DATE_CONFIRMATION = _("Datumet stämmer")


def is_signatory(user, meeting) -> bool:
    """The meeting's chair or one of its justerare, in person: nobody approves minutes on another's behalf, not even
    the administrator."""
    person = person_of(user)
    return person is not None and (
        meeting.chair_id == person.pk or any(p.pk == person.pk for p in meeting.named("adjusters"))
    )


@rule(MANAGE_MEETINGS)
def _manage_meetings(user, body) -> bool:
    return is_admin(user) or is_secretary_of(user, body)


@rule(MANAGE_MEETING)
def _manage_meeting(user, meeting) -> bool:
    """The body's secretaries (and the administrator) for all its meetings; a secretary named on the meeting for it."""
    return _manage_meetings(user, meeting.body) or is_meeting_secretary(user, meeting)


@rule(VIEW_MEETINGS)
def _view_meetings(user, body) -> bool:
    return is_admin(user) or is_member_of(user, body) or is_coordinator(user)


@rule(JUSTERA)
def _justera(user, meeting) -> bool:
    return is_signatory(user, meeting)


@rule(FOLLOW_MEETING)
def _follow_meeting(user, meeting) -> bool:
    return _view_meetings(user, meeting.body) or _manage_meeting(user, meeting) or is_signatory(user, meeting)


@rule(PREVIEW_MINUTES)
def _preview_minutes(user, meeting) -> bool:
    """Those who sign the minutes (the chair and the justerare) and those who write them (the body's secretaries, the
    administrator) may read them as a preview PDF while they are in justering (Meeting.objects.
    minutes_preview_visible_to is the same rule as a query)."""
    minutes = minutes_of(meeting)
    in_justering = minutes is not None and minutes.is_in_justering
    return in_justering and (is_signatory(user, meeting) or _manage_meetings(user, meeting.body))


@rule(VIEW_MEETING)
def _view_meeting(user, meeting) -> bool:
    minutes = minutes_of(meeting)
    return (minutes is not None and minutes.is_published) or _follow_meeting(user, meeting)


# --- state-aware checks -------------------------------------------------------------------------


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes, if started: the cached relation when the meeting was loaded with them, else a lookup
    that caches nothing (so a meeting whose minutes are started later does not remember "none")."""
    if not meeting.pk:
        return None
    cache = meeting._state.fields_cache
    if "minutes" in cache:
        return cache["minutes"]
    return Minutes.objects.filter(meeting=meeting).first()


def _state(minutes: Minutes | None) -> list[str]:
    if minutes is None or minutes.is_draft:
        return []
    return [str(LOCKED if minutes.is_locked else IN_JUSTERING)]


def minutes_edit_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """May the actor change the meeting, its agenda, attendance and minutes now? Not once they are sent for
    justering (take them back first), and never after justering (a correction instead)."""
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    return _state(minutes if minutes is not None else minutes_of(meeting))


def agenda_publish_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    refusals = minutes_edit_check(actor, meeting, minutes)
    if not refusals and not meeting.items.exists():
        refusals.append(str(AGENDA_EMPTY))
    return refusals


def send_for_justering_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """Minutes go to justering from a draft, with a chair, with items, and signed by people who did not write them."""
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    if minutes is not None and not minutes.is_draft:
        return [str(ALREADY_SENT)]
    if not meeting.chair_id:
        return [str(NEEDS_CHAIR)]
    if not meeting.items.exists():
        return [str(NO_ITEMS)]
    if refusals := held_check(meeting):
        return refusals
    from .signatories import has_independent_signatories

    return [] if has_independent_signatories(meeting) else [str(NEEDS_INDEPENDENT_SIGNATORY)]


def _in_justering(minutes: Minutes | None) -> list[str]:
    if minutes is None or not minutes.is_in_justering:
        return [str(LOCKED if minutes is not None and minutes.is_locked else NOT_IN_JUSTERING)]
    return []


def withdraw_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    return _in_justering(minutes if minutes is not None else minutes_of(meeting))


def comment_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """May the actor (the chair or a justerare) answer the justering now?"""
    if not can(actor, JUSTERA, meeting):
        return [str(NOT_ALLOWED)]
    return _in_justering(minutes if minutes is not None else minutes_of(meeting))


def approve_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """May the actor approve the minutes now? In person, once, and not having written them."""
    minutes = minutes if minutes is not None else minutes_of(meeting)
    refusals = comment_check(actor, meeting, minutes) or held_check(meeting)
    if refusals:
        return refusals
    person = person_of(actor)
    if person is None:
        return [str(NO_PERSON)]
    from .signatories import minutes_writer_ids

    if person.pk in minutes_writer_ids(meeting):
        return [str(NEEDS_INDEPENDENT_SIGNATORY)]
    if minutes is not None and minutes.responses.filter(person=person, approved=True).exists():
        return [str(ALREADY_APPROVED)]
    return []


def publish_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """Justerade minutes are published once, as PDF."""
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    if minutes is not None and minutes.is_published:
        return [str(ALREADY_PUBLISHED)]
    if minutes is None or not minutes.is_justerat:
        return [str(NOT_JUSTERAT)]
    return []


def correction_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """A correction is for justerade (locked) minutes; before that the text is changed directly."""
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    return [] if minutes is not None and minutes.is_locked else [str(NOT_LOCKED_YET)]


def paper_justering_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """May the actor record that the minutes were justerade on paper? A secretary of the meeting, for minutes not yet
    justerade (a draft, e.g. an earlier year's, or minutes in justering), with a chair and items, signed by people
    who did not write them. Who signed and when are checked with the data (meetings.signatories)."""
    if not can(actor, MANAGE_MEETING, meeting):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    if minutes is not None and minutes.is_locked:
        return [str(PAPER_ALREADY_LOCKED)]
    if not meeting.is_held:
        return [str(PAPER_MEETING_AHEAD)]
    if not meeting.chair_id:
        return [str(NEEDS_CHAIR)]
    if not meeting.items.exists():
        return [str(NO_ITEMS)]
    from .signatories import has_independent_signatories

    return [] if has_independent_signatories(meeting) else [str(NEEDS_INDEPENDENT_SIGNATORY)]


def correction_approve_check(actor, correction: Correction) -> list[str]:
    """The chair or a justerare approves a correction, once, and not their own."""
    if not can(actor, JUSTERA, correction.minutes.meeting):
        return [str(NOT_ALLOWED)]
    if correction.approved_at:
        return [str(CORRECTION_APPROVED)]
    person = person_of(actor)
    if person is None:
        return [str(NO_PERSON)]
    if person.pk == correction.created_by_id:
        return [str(CORRECTION_OWN)]
    return []


# --- dates against each other -------------------------------------------------------------------
# A meeting date this far from today is more often a typo (1999, 2062) than a plan: the form asks before saving.
FAR_BACK_YEARS, FAR_AHEAD_YEARS = 1, 2


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def date_is_far(day: datetime.date, today: datetime.date | None = None) -> bool:
    """More than a year back or more than two years ahead of today: ask the user to confirm (a meeting in the past
    is normal, e.g. earlier years' minutes entered afterwards; only the far ones are asked about)."""
    today = today or timezone.localdate()
    return day < _years_from(today, -FAR_BACK_YEARS) or day > _years_from(today, FAR_AHEAD_YEARS)


def meeting_date_refusals(day: datetime.date | None, *, confirmed: bool) -> list[str]:
    """A far date is saved only when the user has ticked "Datumet stämmer"."""
    if day is None or confirmed or not date_is_far(day):
        return []
    return [str(DATE_FAR % {"date": day.isoformat()})]


def held_check(meeting: Meeting, on: datetime.date | None = None) -> list[str]:
    """Has the meeting been held by `on` (today by default)? Minutes are sent for justering and justerade from the
    meeting day on (the same day allows justering at the meeting itself, "omedelbar justering")."""
    on = on or timezone.localdate()
    return [] if meeting.date <= on else [str(NOT_HELD_YET % {"date": meeting.date.isoformat()})]


def _hhmm(t: datetime.time) -> str:
    return formats.time_format(t, "H:i")


def item_time_errors(item) -> dict[str, str]:
    """An agenda item's time lies within its meeting's hours: from the start, and before the end."""
    meeting = item.meeting
    if item.start_time is None or meeting.start_time <= item.start_time < meeting.end_time:
        return {}
    return {
        "start_time": str(ITEM_OUTSIDE_HOURS % {"start": _hhmm(meeting.start_time), "end": _hhmm(meeting.end_time)})
    }


def meeting_hours_errors(meeting: Meeting) -> dict[str, str]:
    """A meeting's new hours still hold its timed agenda items; its new date is not after its actions' due dates."""
    errors: dict[str, str] = {}
    if not meeting.pk:
        return errors
    for position, time in meeting.items.order_by("position").values_list("position", "start_time"):
        if time is None:
            continue
        field = "start_time" if time < meeting.start_time else "end_time"
        if time < meeting.start_time or time >= meeting.end_time:
            errors.setdefault(field, str(ITEMS_OUTSIDE_HOURS % {"n": position, "time": _hhmm(time)}))
    early = Action.objects.filter(item__meeting=meeting, due_date__lt=meeting.date).order_by("due_date").first()
    if early is not None:
        errors["date"] = str(ACTIONS_DUE_BEFORE_MEETING % {"text": str(early), "due": str(early.due_date)})
    return errors


def action_due_errors(item, due_date: datetime.date | None) -> dict[str, str]:
    """An action decided at a meeting is not due before that meeting."""
    if due_date is None or due_date >= item.meeting.date:
        return {}
    return {"due_date": str(DUE_BEFORE_MEETING % {"date": item.meeting.date.isoformat()})}
