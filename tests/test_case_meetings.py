"""Meetings and cases: a case put on an agenda, struck from it, and its outcome recorded when the minutes are
justerade (issue 12)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.case_models import Case, CaseStep
from meetings import services
from meetings.models import AgendaItem, Minutes
from tests.factories import make_case, make_meeting, make_membership, make_minutes_in_state, make_person, secretary_of

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
