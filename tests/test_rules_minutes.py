"""Writing minutes: § numbers run per body and year and are max+1 (never reused after a deletion); attendance is
taken from the memberships running on the meeting's date, not today's."""

import datetime

import pytest

from meetings import services
from meetings.models import Decision

from .factories import DAY, add_item, make_body, make_meeting, make_membership, make_person, secretary_of, today

pytestmark = pytest.mark.django_db


def add_decision(meeting, text="Ställningstagande"):
    item = meeting.items.order_by("position").first() or add_item(meeting, "Beslutspunkt", purpose="decision")
    return services.decision_add(actor=secretary_of(meeting), item=item, kind="decision", text=text)


def numbers(meeting):
    return list(Decision.objects.filter(item__meeting=meeting).order_by("number").values_list("number", flat=True))


# --- § numbering --------------------------------------------------------------------------------


def test_a_second_body_starts_at_paragraph_1_in_the_same_year():
    first = make_meeting()
    add_decision(first)
    add_decision(first)
    second = make_meeting()  # another body, same day
    p = add_decision(second)
    assert (p.body, p.year, p.number) == (second.body, today().year, 1)
    assert add_decision(first).number == 3 and add_decision(second).number == 2  # each body keeps its own count


def test_a_new_year_starts_at_paragraph_1():
    body = make_body()
    this_year = make_meeting(body)
    add_decision(this_year)
    add_decision(this_year)
    next_year = make_meeting(body, secretary=secretary_of(this_year), date=datetime.date(today().year + 1, 1, 15))
    p = add_decision(next_year)
    assert (p.year, p.number) == (today().year + 1, 1)
    assert add_decision(this_year).number == 3  # the year before runs on where it was


def test_paragraph_numbers_are_max_plus_one_and_never_reused_after_deleting_one_in_the_middle():
    body = make_body()
    meeting = make_meeting(body)
    add_decision(meeting, "Ett")
    middle = add_decision(meeting, "Två")
    add_decision(meeting, "Tre")
    services.decision_delete(actor=secretary_of(meeting), decision=middle)
    assert add_decision(meeting, "Fyra").number == 4  # count+1 would give 3 again
    assert numbers(meeting) == [1, 3, 4]
    # A later meeting of the same body and year continues from the body-year's highest number, not its own.
    later = make_meeting(body, secretary=secretary_of(meeting), date=meeting.date)
    assert add_decision(later).number == 5
    assert 2 not in Decision.objects.filter(body=body, year=meeting.date.year).values_list("number", flat=True)


# --- attendance on the meeting's date -----------------------------------------------------------


def test_attendance_is_taken_from_the_memberships_running_on_the_meeting_date():
    body = make_body()
    meeting_day = today() + 30 * DAY
    meeting = make_meeting(body, date=meeting_day)

    def member(name, start, end=None):
        return make_membership(body=body, person=make_person(first_name=name), start=start, end=end).person

    ended_before = member("Slutade", today() - 100 * DAY, meeting_day - DAY)  # running today, not on the day
    ends_that_day = member("Slutar", today() - 100 * DAY, meeting_day)
    starts_after_today = member("Börjar", today() + DAY)  # not running today, running on the day
    starts_that_day = member("Tillträder", meeting_day)
    starts_later = member("Senare", meeting_day + DAY)

    services.attendance_fill(actor=secretary_of(meeting), meeting=meeting)
    listed = set(meeting.attendance.values_list("person_id", flat=True))
    assert {ends_that_day.pk, starts_after_today.pk, starts_that_day.pk} <= listed
    assert ended_before.pk not in listed and starts_later.pk not in listed
