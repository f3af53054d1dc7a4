"""Meetings' one way to read and one way to check: `visible_to(user)` scopes (404 outside), `can()` answers inside
(403), the state-aware checks in meetings.rules give each state's refusal, the services refuse with the same
message, and every history row a meetings service writes has a user and a reason."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from governance import permissions
from governance import rules as governance_rules
from governance.models import Membership
from meetings import rules, services
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Correction,
    Decision,
    JusteringResponse,
    Meeting,
    Minutes,
)

from . import meeting_builders as built
from .factories import (
    DAY,
    STATES,
    add_item,
    make_body,
    make_meeting,
    make_membership,
    make_minutes_in_state,
    make_person,
    secretary_of,
    today,
)

pytestmark = pytest.mark.django_db
NOT_STARTED = "not-started"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def meeting_in(state, body=None, **fields) -> Meeting:
    body = body or make_body()
    meeting = make_meeting(body, date=today() - 10 * DAY, **fields)
    add_item(meeting, "Punkt")
    if state != NOT_STARTED:
        make_minutes_in_state(meeting, state)
    return Meeting.objects.select_related("body", "minutes").get(pk=meeting.pk)


@pytest.fixture
def world():
    """A body with a meeting in every state, its member and its secretary, an outsider, and a chair from outside."""
    body = make_body()
    meetings = {state: meeting_in(state, body) for state in [NOT_STARTED, *STATES]}
    member = make_person()
    make_membership(body=body, person=member)
    outsider = make_person()
    make_membership(body=make_body(), person=outsider)
    return {
        "body": body,
        "meetings": meetings,
        "member": member.user,
        "secretary": secretary_of(meetings[NOT_STARTED]),
        "outsider": outsider.user,
    }


def _visible(user, meetings) -> set[str]:
    ids = set(
        Meeting.objects.visible_to(user).filter(pk__in=[m.pk for m in meetings.values()]).values_list("pk", flat=True)
    )
    return {state for state, m in meetings.items() if m.pk in ids}


# --- scope -------------------------------------------------------------------------------------


def test_the_public_and_outsiders_see_only_published_meetings(world):
    assert _visible(AnonymousUser(), world["meetings"]) == {"published"}
    assert _visible(world["outsider"], world["meetings"]) == {"published"}


def test_members_and_the_secretary_see_all_of_their_bodys_meetings(world):
    everything = {NOT_STARTED, *STATES}
    assert _visible(world["member"], world["meetings"]) == everything
    assert _visible(world["secretary"], world["meetings"]) == everything


def test_coordinators_and_the_administrator_see_every_meeting(world, coordinator, admin_user):
    everything = {NOT_STARTED, *STATES}
    assert _visible(coordinator, world["meetings"]) == everything
    assert _visible(admin_user, world["meetings"]) == everything


def test_a_chair_and_a_justerare_from_outside_the_body_see_the_meeting_they_sign():
    body = make_body()
    chair, justerare = make_person(), make_person()  # no seat in the body
    meeting = meeting_in("in_justering", body, chair=chair, adjusters=[justerare])
    other = meeting_in("draft", body)
    for user in (chair.user, justerare.user):
        assert _visible(user, {"signed": meeting, "other": other}) == {"signed"}


def test_a_member_who_left_the_body_no_longer_sees_its_unpublished_meetings(world):
    Membership.objects.filter(person__user=world["member"]).update(end_date=today() - DAY)
    world["member"].__dict__.pop("_shvo_memberships", None)
    assert _visible(world["member"], world["meetings"]) == {"published"}


def test_minutes_and_published_files_have_the_same_scope(world):
    published = world["meetings"]["published"]
    draft = world["meetings"]["draft"]
    assert list(Minutes.objects.visible_to(world["outsider"]).filter(meeting__in=[published, draft])) == [
        published.minutes
    ]
    assert set(Minutes.objects.visible_to(world["member"]).filter(meeting__in=[published, draft])) == {
        published.minutes,
        draft.minutes,
    }
    assert list(Minutes.objects.published_files().filter(meeting__body=world["body"])) == [published.minutes]


def test_the_view_meeting_rule_agrees_with_the_scope_for_everyone(world, coordinator):
    users = [AnonymousUser(), world["outsider"], world["member"], world["secretary"], coordinator]
    for user in users:
        visible = _visible(user, world["meetings"])
        followed = set(Meeting.objects.followed_by(user).values_list("pk", flat=True))
        for state, meeting in world["meetings"].items():
            assert permissions.can(user, rules.VIEW_MEETING, meeting) == (state in visible), (user, state)
            assert permissions.can(user, rules.FOLLOW_MEETING, meeting) == (meeting.pk in followed), (user, state)


def test_visible_to_is_one_query_whatever_the_number_of_meetings(world, django_assert_num_queries):
    user = world["member"]
    permissions.member_body_ids(user), permissions.person_of(user), permissions.is_coordinator(user)  # role facts
    with django_assert_num_queries(1):
        assert len(list(Meeting.objects.visible_to(user).filter(body=world["body"]))) == len(world["meetings"])


# --- 404 outside, 403 inside -------------------------------------------------------------------


MANAGE_PAGES = ["andra/", "punkter/ny/", "narvaro/"]


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_management_pages_answer_404_outside_and_403_inside(client, world, page):
    draft = world["meetings"]["draft"]
    client.force_login(world["outsider"])
    assert client.get(f"/moten/{draft.pk}/{page}").status_code == 404
    client.force_login(world["member"])
    assert client.get(f"/moten/{draft.pk}/{page}").status_code == 403
    client.force_login(world["secretary"])
    assert client.get(f"/moten/{draft.pk}/{page}").status_code in (200, 302)


def test_a_published_meetings_internal_side_stays_outside_the_publics_scope(client, world):
    """The public reads a published meeting; its management pages and history are for those who follow it."""
    published = world["meetings"]["published"]
    client.force_login(world["outsider"])
    assert client.get(f"/moten/{published.pk}/").status_code == 200
    assert client.get(f"/moten/{published.pk}/sammanfattning/").status_code == 200
    assert client.get(f"/moten/{published.pk}/andra/").status_code == 404
    assert client.get(f"/moten/{published.pk}/historik/").status_code == 404
    assert client.post(f"/moten/{published.pk}/publicera/").status_code == 404
    assert client.get(f"/moten/{published.pk}/justering/").status_code == 403  # inside: seen, but not theirs to sign
    client.force_login(world["member"])
    assert client.get(f"/moten/{published.pk}/historik/").status_code == 200
    assert client.get(f"/moten/{published.pk}/andra/").status_code == 403


@pytest.mark.parametrize("state", [NOT_STARTED, *STATES])
def test_the_history_rule_agrees_with_the_history_page_for_everyone(client, world, state):
    """VIEW_HISTORY asks the meeting's history scope (those who follow it), not its read scope: the public reads a
    published meeting but not its history, which holds the justering responses."""
    meeting = world["meetings"][state]
    for who in ("outsider", "member", "secretary"):
        client.force_login(world[who])
        page = client.get(f"/moten/{meeting.pk}/historik/").status_code
        assert page in (200, 404)
        assert permissions.can(world[who], governance_rules.VIEW_HISTORY, meeting) is (page == 200), (who, state)
    assert permissions.can(world["outsider"], governance_rules.VIEW_HISTORY, meeting) is False


def test_the_start_page_still_asks_a_signatory_who_only_commented_while_another_approved(client):
    """The "Att justera" panel drops a meeting only when this person has approved it, not when someone else has
    approved beside this person's comment."""
    meeting = meeting_in("in_justering")
    chair = meeting.chair
    other = next(p for p in meeting.adjusters.all() if p.pk != chair.pk)
    services.minutes_respond(actor=chair.user, meeting=meeting, approve=False, comment="Punkt 1 är oklar.")
    services.minutes_respond(actor=other.user, meeting=meeting, approve=True)
    client.force_login(chair.user)
    assert f"/moten/{meeting.pk}/justering/" in client.get("/").content.decode()
    services.minutes_respond(actor=chair.user, meeting=meeting, approve=True)
    assert f"/moten/{meeting.pk}/justering/" not in client.get("/").content.decode()


def test_items_decisions_and_actions_are_scoped_by_their_meeting(client, world):
    draft = world["meetings"]["draft"]
    item = draft.items.first()
    secretary = world["secretary"]
    services.decision_add(actor=secretary, item=item, kind="decision", text="Bifall.")
    action = services.action_add(actor=secretary, item=item, text="Gör det", owner="GITS")
    client.force_login(world["outsider"])
    assert client.get(f"/punkter/{item.pk}/andra/").status_code == 404
    assert client.get(f"/punkter/{item.pk}/anteckningar/").status_code == 404
    assert client.post(f"/atgarder/{action.pk}/status/", {"status": "done"}).status_code == 404
    client.force_login(world["member"])
    assert client.get(f"/punkter/{item.pk}/andra/").status_code == 403
    assert client.get(f"/punkter/{item.pk}/anteckningar/").status_code == 403
    assert client.post(f"/atgarder/{action.pk}/status/", {"status": "done"}).status_code == 403
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN


def test_justering_answers_404_outside_and_403_to_members_who_do_not_sign(client, world):
    meeting = world["meetings"]["in_justering"]
    client.force_login(world["outsider"])
    assert client.get(f"/moten/{meeting.pk}/justering/").status_code == 404
    client.force_login(world["member"])
    assert client.get(f"/moten/{meeting.pk}/justering/").status_code == 403
    client.force_login(meeting.chair.user)
    assert client.get(f"/moten/{meeting.pk}/justering/").status_code == 200


def test_a_bad_calendar_token_answers_404(client):
    assert client.get("/kalender/inte-en-nyckel.ics").status_code == 404


# --- checks: one message per state -------------------------------------------------------------


def _minutes(meeting):
    return Minutes.objects.filter(meeting=meeting).first()


@pytest.mark.parametrize(
    "state, expected",
    [
        (NOT_STARTED, []),
        ("draft", []),
        ("in_justering", [rules.IN_JUSTERING]),
        ("justerat", [rules.LOCKED]),
        ("published", [rules.LOCKED]),
    ],
)
def test_minutes_edit_check_in_each_state(state, expected):
    meeting = meeting_in(state)
    secretary = secretary_of(meeting)
    assert rules.minutes_edit_check(secretary, meeting, _minutes(meeting)) == [str(m) for m in expected]
    if expected:  # the service refuses with the check's message
        with pytest.raises(ValidationError) as refused:
            services.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title="Ny punkt"))
        assert refused.value.messages == [str(m) for m in expected]
    else:
        services.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title="Ny punkt"))


@pytest.mark.parametrize(
    "state, send, withdraw, publish, correction",
    [
        ("draft", [], [rules.NOT_IN_JUSTERING], [rules.NOT_JUSTERAT], [rules.NOT_LOCKED_YET]),
        ("in_justering", [rules.ALREADY_SENT], [], [rules.NOT_JUSTERAT], [rules.NOT_LOCKED_YET]),
        ("justerat", [rules.ALREADY_SENT], [rules.LOCKED], [], []),
        ("published", [rules.ALREADY_SENT], [rules.LOCKED], [rules.ALREADY_PUBLISHED], []),
    ],
)
def test_the_secretarys_checks_in_each_state(state, send, withdraw, publish, correction):
    meeting = meeting_in(state)
    secretary, minutes = secretary_of(meeting), _minutes(meeting)

    def text(ms):
        return [str(m) for m in ms]

    assert rules.send_for_justering_check(secretary, meeting, minutes) == text(send)
    assert rules.withdraw_check(secretary, meeting, minutes) == text(withdraw)
    assert rules.publish_check(secretary, meeting, minutes) == text(publish)
    assert rules.correction_check(secretary, meeting, minutes) == text(correction)
    # The services refuse with the same message.
    for service, refusals in [
        (services.minutes_send_for_justering, send),
        (services.minutes_withdraw, withdraw),
        (services.minutes_publish, publish),
    ]:
        if refusals:
            with pytest.raises(ValidationError) as refused:
                service(actor=secretary, meeting=Meeting.objects.get(pk=meeting.pk))
            assert refused.value.messages == text(refusals)


def test_checks_refuse_those_who_may_not_manage(world):
    draft = world["meetings"]["draft"]
    member = world["member"]
    not_allowed = [str(permissions.NOT_ALLOWED)]
    for check in (
        rules.minutes_edit_check,
        rules.agenda_publish_check,
        rules.send_for_justering_check,
        rules.withdraw_check,
        rules.publish_check,
        rules.correction_check,
        rules.comment_check,
        rules.approve_check,
    ):
        assert check(member, draft) == not_allowed, check.__name__


def test_send_for_justering_needs_a_chair_and_items():
    no_chair = meeting_in("draft", chair=None, adjusters=[])
    assert rules.send_for_justering_check(secretary_of(no_chair), no_chair) == [str(rules.NEEDS_CHAIR)]
    empty = make_meeting(make_body(), date=today() - DAY)
    assert rules.send_for_justering_check(secretary_of(empty), empty) == [str(rules.NO_ITEMS)]
    assert rules.agenda_publish_check(secretary_of(empty), empty) == [str(rules.AGENDA_EMPTY)]


def test_approve_check_once_per_signatory():
    meeting = meeting_in("in_justering")
    chair = meeting.chair.user
    assert rules.approve_check(chair, meeting, _minutes(meeting)) == []
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    assert rules.approve_check(chair, meeting, _minutes(meeting)) == [str(rules.ALREADY_APPROVED)]
    assert rules.comment_check(chair, meeting, _minutes(meeting)) == []  # still free to comment
    with pytest.raises(ValidationError) as refused:
        services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    assert refused.value.messages == [str(rules.ALREADY_APPROVED)]


def test_correction_approve_check():
    meeting = meeting_in("justerat")
    correction = services.correction_add(actor=secretary_of(meeting), meeting=meeting, text="Rätt namn är Åberg.")
    chair = meeting.chair.user
    assert rules.correction_approve_check(secretary_of(meeting), correction) == [str(permissions.NOT_ALLOWED)]
    assert rules.correction_approve_check(chair, correction) == []
    services.correction_approve(actor=chair, correction=correction)
    correction.refresh_from_db()
    assert rules.correction_approve_check(chair, correction) == [str(rules.CORRECTION_APPROVED)]


def test_the_meeting_page_shows_why_minutes_cannot_be_sent_yet(client):
    meeting = meeting_in("draft", chair=None, adjusters=[])
    client.force_login(secretary_of(meeting))
    assert str(rules.NEEDS_CHAIR) in client.get(meeting.get_absolute_url()).content.decode()


# --- action_set_status -------------------------------------------------------------------------


def test_action_set_status_refuses_an_unknown_status():
    meeting = meeting_in("draft")
    secretary = secretary_of(meeting)
    action = services.action_add(actor=secretary, item=meeting.items.first(), text="Gör det", owner="GITS")
    with pytest.raises(ValidationError) as refused:
        services.action_set_status(actor=secretary, action=action, status="finished")
    assert refused.value.messages == [str(rules.UNKNOWN_ACTION_STATUS)]
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN
    services.action_set_status(actor=secretary, action=action, status=Action.Status.DONE)
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE


def test_the_action_status_button_says_why_an_unknown_status_is_refused(client):
    meeting = meeting_in("draft")
    secretary = secretary_of(meeting)
    action = services.action_add(actor=secretary, item=meeting.items.first(), text="Gör det", owner="GITS")
    client.force_login(secretary)
    response = client.post(f"/atgarder/{action.pk}/status/", {"status": "finished"}, follow=True)
    assert str(rules.UNKNOWN_ACTION_STATUS) in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN


# --- every service write leaves history with a user and a reason -------------------------------


def test_every_history_row_a_meeting_service_writes_has_a_user_and_a_reason(secretary, chair):
    meeting, decisions, actions, adjuster_user = built.full_minutes(secretary, chair)
    services.action_set_status(actor=secretary, action=actions[0], status=Action.Status.DONE)
    services.minutes_publish(actor=secretary, meeting=meeting)
    other = built.planned_meeting(secretary, chair, date=built.MIDSUMMER + 30 * DAY, title="Nästa")
    extra = built.add_item(secretary, other, "Extra")
    built.add_item(secretary, other, "Sista")
    services.attendance_fill(actor=secretary, meeting=other)
    services.agenda_item_move(actor=secretary, item=extra, direction=1)
    decision = services.decision_add(actor=secretary, item=extra, kind="noted", text="Noteras.")
    services.decision_delete(actor=secretary, decision=decision)
    services.agenda_item_delete(actor=secretary, item=extra)
    services.minutes_send_for_justering(actor=secretary, meeting=other)
    services.minutes_respond(actor=chair, meeting=other, approve=False, comment="Rätta punkt 1.", item=None)
    services.minutes_withdraw(actor=secretary, meeting=other)
    ids = [meeting.pk, other.pk]
    item_ids = set(AgendaItem.history.filter(meeting_id__in=ids).values_list("id", flat=True))  # deleted ones too
    minutes_ids = set(Minutes.history.filter(meeting_id__in=ids).values_list("id", flat=True))
    rows = [
        *Meeting.history.filter(id__in=ids),
        *AgendaItem.history.filter(meeting_id__in=ids),
        *Attendance.history.filter(meeting_id__in=ids),
        *Decision.history.filter(item_id__in=item_ids),
        *Action.history.filter(item_id__in=item_ids),
        *Minutes.history.filter(id__in=minutes_ids),
        *JusteringResponse.history.filter(minutes_id__in=minutes_ids),
        *Correction.history.filter(minutes_id__in=minutes_ids),
    ]
    missing = [(type(r).__name__, r.history_type, r.history_change_reason) for r in rows if not r.history_user_id]
    unexplained = [(type(r).__name__, r.history_type) for r in rows if not r.history_change_reason]
    assert rows and missing == [] and unexplained == []
    assert {r.history_type for r in rows} >= {"+", "~", "-"}
