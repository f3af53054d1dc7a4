"""Who may do what with meetings, agendas and minutes, and when: meetings' actions, registered with the one
dispatcher `governance.permissions.can`, from the role facts governance keeps, and the state-aware checks.

Each `*_check(actor, obj) -> list[str]` gives the Swedish refusals (empty = allowed): the services call it first and
raise ValidationError with it; views and templates use it for buttons and help text. So a rule and its message exist
once, here. The scoped reads (`Meeting.objects.visible_to(user)`) are in meetings.querysets, built from the same facts.
"""

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

from .models import Correction, Meeting, Minutes

MANAGE_MEETINGS = "manage_meetings"  # plan meetings, agendas, attendance, minutes, publish: obj = Body
VIEW_MEETINGS = "view_meetings"  # see a body's meetings, agendas and draft minutes: obj = Body
JUSTERA = "justera"  # approve or comment minutes: obj = Meeting (its chair and justerare)
VIEW_MEETING = "view_meeting"  # open a meeting's page: obj = Meeting (the public once its minutes are published)
FOLLOW_MEETING = "follow_meeting"  # a meeting's internal side (justering comments, history): obj = Meeting

# --- refusals -----------------------------------------------------------------------------------
LOCKED = _("Mötesanteckningarna är justerade och låsta. Ändringar görs som en rättelse.")
IN_JUSTERING = _("Mötesanteckningarna är skickade för justering. Återta dem för att ändra.")
AGENDA_EMPTY = _("Dagordningen är tom. Lägg till minst en punkt innan du publicerar den.")
ALREADY_SENT = _("Mötesanteckningarna är redan skickade för justering.")
NEEDS_CHAIR = _("Ange mötets ordförande innan anteckningarna skickas för justering.")
NO_ITEMS = _("Mötesanteckningarna har inga punkter ännu.")
NOT_IN_JUSTERING = _("Anteckningarna är inte skickade för justering.")
ALREADY_APPROVED = _("Du har redan godkänt anteckningarna. De väntar nu på övriga justerare.")
NEEDS_INDEPENDENT_SIGNATORY = _(
    "Ordföranden och justerarna får inte vara några som har skrivit anteckningarna. "
    "Ändra mötets ordförande eller justerare innan anteckningarna justeras."
)
ALREADY_PUBLISHED = _(
    "Mötesanteckningarna är redan publicerade. Den publicerade PDF-filen skapas aldrig om; ändringar görs som en "
    "rättelse."
)
NOT_JUSTERAT = _("Mötesanteckningarna kan publiceras först när de är justerade.")
NOT_LOCKED_YET = _("Anteckningarna är inte justerade än; ändra dem direkt i stället.")
CORRECTION_APPROVED = _("Rättelsen är redan godkänd.")
CORRECTION_OWN = _("Den som skrev rättelsen kan inte själv godkänna den. Be en annan justerare.")
BLANK_NOTES = _(
    "Rutan är tom, så anteckningarna sparades inte och de sparade anteckningarna finns kvar. Skriv anteckningarna "
    "och spara igen, eller öppna punkten på nytt för att se dem."
)
UNKNOWN_ACTION_STATUS = _("Välj en giltig status för åtgärden: pågår, klar eller avbruten.")


def is_signatory(user, meeting) -> bool:
    """The meeting's chair or one of its justerare, in person: nobody approves minutes on another's behalf, not even
    the administrator."""
    person = person_of(user)
    return person is not None and (
        meeting.chair_id == person.pk or any(p.pk == person.pk for p in meeting.adjusters.all())
    )


@rule(MANAGE_MEETINGS)
def _manage_meetings(user, body) -> bool:
    return is_admin(user) or is_secretary_of(user, body)


@rule(VIEW_MEETINGS)
def _view_meetings(user, body) -> bool:
    return is_admin(user) or is_member_of(user, body) or is_coordinator(user)


@rule(JUSTERA)
def _justera(user, meeting) -> bool:
    return is_signatory(user, meeting)


@rule(FOLLOW_MEETING)
def _follow_meeting(user, meeting) -> bool:
    return _view_meetings(user, meeting.body) or _manage_meetings(user, meeting.body) or is_signatory(user, meeting)


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
    if not can(actor, MANAGE_MEETINGS, meeting.body):
        return [str(NOT_ALLOWED)]
    return _state(minutes if minutes is not None else minutes_of(meeting))


def agenda_publish_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    refusals = minutes_edit_check(actor, meeting, minutes)
    if not refusals and not meeting.items.exists():
        refusals.append(str(AGENDA_EMPTY))
    return refusals


def send_for_justering_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """Minutes go to justering from a draft, with a chair, with items, and signed by people who did not write them."""
    if not can(actor, MANAGE_MEETINGS, meeting.body):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    if minutes is not None and not minutes.is_draft:
        return [str(ALREADY_SENT)]
    if not meeting.chair_id:
        return [str(NEEDS_CHAIR)]
    if not meeting.items.exists():
        return [str(NO_ITEMS)]
    from .signatories import has_independent_signatories

    return [] if has_independent_signatories(meeting) else [str(NEEDS_INDEPENDENT_SIGNATORY)]


def _in_justering(minutes: Minutes | None) -> list[str]:
    if minutes is None or not minutes.is_in_justering:
        return [str(LOCKED if minutes is not None and minutes.is_locked else NOT_IN_JUSTERING)]
    return []


def withdraw_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    if not can(actor, MANAGE_MEETINGS, meeting.body):
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
    refusals = comment_check(actor, meeting, minutes)
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
    if not can(actor, MANAGE_MEETINGS, meeting.body):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    if minutes is not None and minutes.is_published:
        return [str(ALREADY_PUBLISHED)]
    if minutes is None or not minutes.is_justerat:
        return [str(NOT_JUSTERAT)]
    return []


def correction_check(actor, meeting: Meeting, minutes: Minutes | None = None) -> list[str]:
    """A correction is for justerade (locked) minutes; before that the text is changed directly."""
    if not can(actor, MANAGE_MEETINGS, meeting.body):
        return [str(NOT_ALLOWED)]
    minutes = minutes if minutes is not None else minutes_of(meeting)
    return [] if minutes is not None and minutes.is_locked else [str(NOT_LOCKED_YET)]


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
