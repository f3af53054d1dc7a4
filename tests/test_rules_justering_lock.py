"""The justering lock: once minutes are sent for justering (and after, justerade or published), every service that
changes the meeting refuses with ValidationError and leaves the database as it was; in draft each one works.
Following up an action is the deliberate exception."""

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import Action, AgendaItem, Attendance, Decision, Meeting, Minutes

from .factories import add_item, make_meeting, make_membership, make_minutes_in_state, make_person, secretary_of

pytestmark = pytest.mark.django_db
LOCKED_STATES = [Minutes.Status.IN_JUSTERING, Minutes.Status.JUSTERAT, Minutes.Status.PUBLISHED]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def build(state) -> Meeting:
    """A meeting with two items, attendance, a § and an action, then a member appointed after attendance was taken
    (so that filling attendance again would add a row), with its minutes brought to `state`."""
    meeting = make_meeting()
    first = add_item(meeting, "Första punkten", purpose="decision")
    add_item(meeting, "Andra punkten")
    services.attendance_fill(actor=secretary_of(meeting), meeting=meeting)
    services.decision_add(actor=secretary_of(meeting), item=first, kind="decision", text="Gruppen ställer sig bakom.")
    services.action_add(actor=secretary_of(meeting), item=first, text="Återkoppla", owner="Maria Ek")
    make_membership(body=meeting.body, person=make_person(first_name="Senare"))
    make_minutes_in_state(meeting, state)
    return Meeting.objects.get(pk=meeting.pk)


def snapshot(meeting: Meeting) -> dict:
    """Every row a meeting service can write, as plain values."""
    items = AgendaItem.objects.filter(meeting=meeting)
    return {
        "meeting": list(Meeting.objects.filter(pk=meeting.pk).values()),
        "adjusters": sorted(meeting.adjusters.values_list("pk", flat=True)),
        "items": list(items.order_by("pk").values()),
        "attendance": list(Attendance.objects.filter(meeting=meeting).order_by("pk").values()),
        "decisions": list(Decision.objects.filter(item__in=items).order_by("pk").values()),
        "actions": list(Action.objects.filter(item__in=items).order_by("pk").values()),
        "minutes": list(Minutes.objects.filter(meeting=meeting).values()),
    }


def _items(meeting):
    return list(meeting.items.order_by("position"))


def meeting_update(actor, meeting):
    meeting.title = "Ändrad rubrik"
    services.meeting_update(actor=actor, meeting=meeting)


def agenda_item_save_new(actor, meeting):
    services.agenda_item_save(actor=actor, item=AgendaItem(meeting=meeting, title="Ny punkt"))


def agenda_item_save_existing(actor, meeting):
    item = _items(meeting)[0]
    item.title = "Ändrad punkt"
    services.agenda_item_save(actor=actor, item=item)


def agenda_item_move(actor, meeting):
    services.agenda_item_move(actor=actor, item=_items(meeting)[-1], direction=-1)


def agenda_item_delete(actor, meeting):
    services.agenda_item_delete(actor=actor, item=_items(meeting)[-1])


def attendance_fill(actor, meeting):
    services.attendance_fill(actor=actor, meeting=meeting)


def attendance_save_existing(actor, meeting):
    row = meeting.attendance.filter(person__isnull=False).order_by("pk").first()
    row.status = Attendance.Status.ABSENT
    services.attendance_save(actor=actor, attendance=row)


def attendance_save_new(actor, meeting):
    guest = Attendance(meeting=meeting, person=make_person(user=False), status=Attendance.Status.GUEST)
    services.attendance_save(actor=actor, attendance=guest)


def item_minutes_save(actor, meeting):
    services.item_minutes_save(actor=actor, item=_items(meeting)[0], discussion="<p>Ändrade anteckningar</p>")


def decision_add(actor, meeting):
    services.decision_add(actor=actor, item=_items(meeting)[0], kind="noted", text="Informationen noteras.")


def decision_delete(actor, meeting):
    services.decision_delete(actor=actor, decision=Decision.objects.get(item__meeting=meeting))


def action_add(actor, meeting):
    services.action_add(actor=actor, item=_items(meeting)[0], text="Ny åtgärd", owner="Anders Holm")


def decision_update(actor, meeting):
    decision = Decision.objects.get(item__meeting=meeting)
    services.decision_update(actor=actor, decision=decision, kind="noted", text="Ändrat ställningstagande.")


def action_update(actor, meeting):
    action = Action.objects.get(item__meeting=meeting)
    services.action_update(actor=actor, action=action, text="Ändrad åtgärd", owner="Anders Holm")


def action_delete(actor, meeting):
    services.action_delete(actor=actor, action=Action.objects.get(item__meeting=meeting))


def item_minutes_write(actor, meeting):
    """The item's minutes page in one submit: new notes and a new decision."""
    row = services.Row(values={"kind": "noted", "text": "Noteras."})
    services.item_minutes_write(actor=actor, item=_items(meeting)[0], discussion="<p>Nytt</p>", decisions=[row])


MUTATIONS = [
    meeting_update,
    agenda_item_save_new,
    agenda_item_save_existing,
    agenda_item_move,
    agenda_item_delete,
    attendance_fill,
    attendance_save_existing,
    attendance_save_new,
    item_minutes_save,
    decision_add,
    decision_delete,
    decision_update,
    action_add,
    action_update,
    action_delete,
    item_minutes_write,
]


@pytest.mark.parametrize("state", LOCKED_STATES)
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda f: f.__name__)
def test_every_meeting_service_is_refused_once_minutes_leave_draft_and_nothing_changes(mutation, state):
    meeting = build(state)
    before = snapshot(meeting)
    with pytest.raises(ValidationError):
        mutation(secretary_of(meeting), meeting)
    assert snapshot(meeting) == before


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda f: f.__name__)
def test_every_meeting_service_changes_draft_minutes(mutation):
    # The other half of the lock test: the same call on draft minutes is allowed and writes (so the refusal above
    # comes from the lock, not from the call itself).
    meeting = build(Minutes.Status.DRAFT)
    before = snapshot(meeting)
    mutation(secretary_of(meeting), meeting)
    assert snapshot(meeting) != before


@pytest.mark.parametrize("state", [Minutes.Status.DRAFT, *LOCKED_STATES])
def test_following_up_an_action_stays_allowed_in_every_state(state):
    meeting = build(state)
    action = Action.objects.get(item__meeting=meeting)
    services.action_set_status(actor=secretary_of(meeting), action=action, status=Action.Status.DONE)
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE
