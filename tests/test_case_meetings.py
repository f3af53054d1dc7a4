"""Meetings and cases: a case put on an agenda, struck from it, and its outcome recorded when the minutes are
justerade (issue 12)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.case_models import Case, CaseStep
from meetings import services
from meetings.models import AgendaItem, Minutes
from meetings.signatories import record_case_outcomes
from tests.action_states import item_minutes_data
from tests.factories import (
    make_case,
    make_meeting,
    make_membership,
    make_minutes_in_state,
    make_person,
    secretary_of,
    signatories,
    today,
)

pytestmark = pytest.mark.django_db
Kind = CaseStep.Kind


@pytest.fixture
def meeting():
    return make_meeting()


def test_secretary_puts_a_waiting_case_on_the_agenda_as_a_decision_item(meeting):
    case = make_case(meeting.body, "Gemensam rutin för loggning")
    item = services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    assert (item.case, item.title, item.purpose) == (case, "Gemensam rutin för loggning", AgendaItem.Purpose.DECISION)
    case.refresh_from_db()
    assert case.status == Case.Status.ON_AGENDA
    step = case.steps.get(kind=Kind.ON_AGENDA)
    assert step.source == f"meetings.item:{item.pk}"
    assert step.reference == f"{meeting.body.short_name} {meeting.date}"
    assert step.link == meeting.get_absolute_url()
    assert step.happened_on == meeting.date


def test_a_member_who_does_not_manage_the_meeting_may_not_add_a_case(meeting):
    case = make_case(meeting.body)
    member = make_membership(body=meeting.body, person=make_person()).person.user
    with pytest.raises(PermissionDenied):
        services.agenda_item_add_case(actor=member, meeting=meeting, case=case)
    assert not meeting.items.filter(case=case).exists()
    assert not case.steps.filter(kind=Kind.ON_AGENDA).exists()


def test_a_case_owned_by_another_body_is_refused(meeting):
    other = make_meeting()
    case = make_case(other.body)
    with pytest.raises(ValidationError):
        services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    assert not AgendaItem.objects.filter(case=case).exists()


def test_a_case_already_on_the_agenda_is_not_added_twice(meeting):
    case = make_case(meeting.body)
    services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    with pytest.raises(ValidationError):
        services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    assert meeting.items.filter(case=case).count() == 1


@pytest.mark.parametrize("state", [Minutes.Status.IN_JUSTERING, Minutes.Status.JUSTERAT])
def test_no_case_is_added_once_the_minutes_are_locked_for_editing(meeting, state):
    make_minutes_in_state(meeting, state)
    case = make_case(meeting.body)
    with pytest.raises(ValidationError):
        services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    assert not AgendaItem.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.RAISED


def test_striking_the_item_takes_the_case_off_the_agenda(meeting):
    case = make_case(meeting.body)
    item = services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    source = f"meetings.item:{item.pk}"
    services.agenda_item_delete(actor=secretary_of(meeting), item=item)
    case.refresh_from_db()
    assert case.status == Case.Status.RAISED
    assert case.steps.filter(kind=Kind.OFF_AGENDA, source=source).count() == 1


def test_the_agenda_lists_waiting_cases_and_the_button_adds_one(client, meeting):
    case = make_case(meeting.body, "Väntande ärende om e-tjänster")
    client.force_login(secretary_of(meeting))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"Ärenden som väntar på {meeting.body}" in page
    assert "Väntande ärende om e-tjänster" in page
    url = reverse("meetings:agenda_add_case", args=[meeting.pk])
    assert url in page
    response = client.post(url, {"case": case.pk})
    assert response.status_code == 302
    item = meeting.items.get(case=case)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'id="punkt-{item.pk}"' in page
    assert "Ärende: " in page


def test_a_signed_in_member_without_the_right_gets_403_and_nothing_changes(client, meeting):
    case = make_case(meeting.body)
    member = make_membership(body=meeting.body, person=make_person()).person.user
    client.force_login(member)
    response = client.post(reverse("meetings:agenda_add_case", args=[meeting.pk]), {"case": case.pk})
    assert response.status_code in (403, 404)
    assert not AgendaItem.objects.filter(case=case).exists()


# --- outcomes at justering -----------------------------------------------------------------------


def _on_agenda(meeting, title="Ärende att besluta"):
    case = make_case(meeting.body, title)
    item = services.agenda_item_add_case(actor=secretary_of(meeting), meeting=meeting, case=case)
    return case, item


def _decide(meeting, item, kind="decision", text="Mötet beslutar enligt förslaget.", **fields):
    return services.decision_add(actor=secretary_of(meeting), item=item, kind=kind, text=text, **fields)


def _approve_all(meeting):
    make_minutes_in_state(meeting, Minutes.Status.JUSTERAT)


def test_a_decision_moves_the_case_once_at_the_last_approval(meeting):
    case, item = _on_agenda(meeting)
    later = meeting.date + datetime.timedelta(days=90)
    decision = _decide(meeting, item, follow_up_on=later, follow_up_note="Hur rutinen fungerar")
    services.minutes_send_for_justering(actor=secretary_of(meeting), meeting=meeting)
    people = sorted(signatories(meeting), key=lambda p: p.pk == meeting.chair_id)
    for person in people[:-1]:
        services.minutes_respond(actor=person.user, meeting=meeting, approve=True)
    assert not case.steps.filter(kind=Kind.DECIDED).exists()  # not before the minutes are justerade
    services.minutes_respond(actor=people[-1].user, meeting=meeting, approve=True)
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED
    assert (case.follow_up_on, case.follow_up_note) == (later, "Hur rutinen fungerar")
    step = case.steps.get(kind=Kind.DECIDED)
    assert step.reference == f"{meeting.body.short_name} {meeting.date}, § {decision.number}/{decision.year}"
    assert step.link == f"{meeting.get_absolute_url()}#punkt-{item.pk}"
    assert step.source == f"meetings.decision:{decision.pk}"
    assert step.text == "<p>Mötet beslutar enligt förslaget.</p>"  # kept as rich text (core.text.sanitise)


def test_paper_justering_records_the_outcome_too(meeting):
    case, item = _on_agenda(meeting)
    _decide(meeting, item)
    services.minutes_record_paper_justering(
        actor=secretary_of(meeting), meeting=meeting, date=meeting.date, signers=signatories(meeting)
    )
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED
    assert case.steps.filter(kind=Kind.DECIDED).count() == 1


def test_a_referral_sends_the_case_back(meeting):
    case, item = _on_agenda(meeting)
    _decide(meeting, item, kind="referral", text="Återremitteras för komplettering.")
    _approve_all(meeting)
    assert Case.objects.get(pk=case.pk).status == Case.Status.REFERRED_BACK
    assert case.steps.get(kind=Kind.REFERRED_BACK).text == "<p>Återremitteras för komplettering.</p>"


def test_an_escalation_gives_the_case_to_the_other_body_and_its_incoming_list(meeting):
    case, item = _on_agenda(meeting)
    other = make_meeting().body
    _decide(meeting, item, kind="escalation", text="Lyfts till styrgruppen.", escalated_to=other)
    _approve_all(meeting)
    case.refresh_from_db()
    assert (case.status, case.owner) == (Case.Status.ESCALATED, other)
    assert case in Case.objects.incoming(other)
    assert case.steps.get(kind=Kind.ESCALATED).to_body == other


def test_a_noted_item_moves_nothing(meeting):
    case, item = _on_agenda(meeting)
    _decide(meeting, item, kind="noted", text="Informationen noteras.")
    _approve_all(meeting)
    assert Case.objects.get(pk=case.pk).status == Case.Status.ON_AGENDA


def test_escalating_to_the_body_itself_is_refused_on_the_field_when_written(meeting):
    case, item = _on_agenda(meeting)
    with pytest.raises(ValidationError) as refused:
        _decide(meeting, item, kind="escalation", text="Lyfts.", escalated_to=meeting.body)
    assert "escalated_to" in refused.value.error_dict
    assert not item.decisions.exists()


def test_after_justering_the_decision_cannot_change_and_the_steps_stay(meeting):
    case, item = _on_agenda(meeting)
    decision = _decide(meeting, item)
    _approve_all(meeting)
    with pytest.raises(ValidationError):
        services.decision_update(actor=secretary_of(meeting), decision=decision, kind="referral", text="Annat")
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED
    assert list(case.steps.values_list("kind", flat=True)) == [Kind.RAISED, Kind.ON_AGENDA, Kind.DECIDED]


def test_recording_the_outcomes_twice_writes_one_step(meeting):
    case, item = _on_agenda(meeting)
    _decide(meeting, item)
    _approve_all(meeting)
    record_case_outcomes(actor=secretary_of(meeting), meeting=meeting)
    assert case.steps.filter(kind=Kind.DECIDED).count() == 1


def test_the_item_minutes_page_saves_a_follow_up_date(client, meeting):
    case, item = _on_agenda(meeting)
    client.force_login(secretary_of(meeting))
    url = reverse("meetings:item_minutes", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'name="decisions-0-follow_up_on"' in page
    later = meeting.date + datetime.timedelta(days=30)
    data = item_minutes_data(
        item,
        new_decision={
            "kind": "decision",
            "text": "Beslut med uppföljning.",
            "follow_up_on": later.isoformat(),
            "follow_up_note": "Se över utfallet",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = item.decisions.get()
    assert (decision.follow_up_on, decision.follow_up_note) == (later, "Se över utfallet")


# --- follow-ups on the next meeting --------------------------------------------------------------


def _decided_with_follow_up(body, n=1):
    """n cases decided at an earlier meeting of `body`, to be followed up today."""
    held = make_meeting(body, date=today() - datetime.timedelta(days=20))
    for i in range(n):
        _case, item = _on_agenda(held, f"Uppföljt ärende {i}")
        _decide(held, item, follow_up_on=today(), follow_up_note=f"Titta på utfallet {i}")
    _approve_all(held)
    return held


def _page_queries(client, meeting):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(meeting.get_absolute_url()).content.decode()
    return len(queries), page


def test_the_next_meeting_lists_follow_ups_due_with_a_fixed_query_count(client):
    held = _decided_with_follow_up(make_meeting().body)
    upcoming = make_meeting(held.body, secretary=secretary_of(held), date=today() + datetime.timedelta(days=7))
    client.force_login(secretary_of(held))
    one, page = _page_queries(client, upcoming)
    assert "Uppföljningar att ta upp" in page
    assert "Uppföljt ärende 0" in page and "Titta på utfallet 0" in page
    other = make_meeting()
    _decided_with_follow_up(other.body)  # another body's follow-up is not this meeting's
    more = make_meeting(held.body, secretary=secretary_of(held), date=today() - datetime.timedelta(days=19))
    for i in range(2):
        _c, item = _on_agenda(more, f"Fler {i}")
        _decide(more, item, follow_up_on=today(), follow_up_note="Mer")
    _approve_all(more)
    three, page = _page_queries(client, upcoming)
    assert page.count("Fler ") == 2 and "Uppföljt ärende 0" in page
    assert three == one


def test_a_meeting_whose_minutes_are_justerade_lists_no_follow_ups(client):
    held = _decided_with_follow_up(make_meeting().body)
    client.force_login(secretary_of(held))
    assert "Uppföljningar att ta upp" not in client.get(held.get_absolute_url()).content.decode()
