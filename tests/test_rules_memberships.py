"""Membership boundaries: which day a term starts and stops counting, when two terms of the same seat overlap,
what counts against a subregion's cap, and who speaks for a subregion."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from governance import permissions
from governance.models import CompositionRule, Membership
from meetings import rules as meeting_rules

from .factories import DAY, make_body, make_membership, make_person, make_secretary, today

pytestmark = pytest.mark.django_db
Role = Membership.Role


def day(offset):
    """Today plus `offset` days; None stays None (a term that runs on)."""
    return None if offset is None else today() + offset * DAY


def fresh(user):
    """The same account without the permission policy's per-request caches."""
    return get_user_model().objects.get(pk=user.pk)


# --- current on which day -----------------------------------------------------------------------


def test_a_term_starting_today_is_current_today():
    m = make_membership(body=make_body(), start=today())
    assert m.is_current(today()) and not m.is_current(today() - DAY)
    assert Membership.objects.current().filter(pk=m.pk).exists()
    assert not Membership.objects.current(today() - DAY).filter(pk=m.pk).exists()


def test_a_secretary_seat_starting_today_gives_its_right_today():
    body = make_body()
    secretary = make_secretary(body, start=today())
    assert permissions.can(fresh(secretary), meeting_rules.MANAGE_MEETINGS, body)


@pytest.mark.parametrize(("end", "current"), [(-1, False), (0, True)], ids=["ended-yesterday", "ends-today"])
def test_a_term_ending_yesterday_is_no_longer_current_and_gives_no_right(end, current):
    body = make_body()
    secretary = make_secretary(body, start=day(-100), end=day(end))
    seat = Membership.objects.get(person__user=secretary)
    assert seat.is_current() is current
    assert Membership.objects.current().filter(pk=seat.pk).exists() is current
    assert permissions.can(fresh(secretary), meeting_rules.MANAGE_MEETINGS, body) is current


# --- overlapping terms of the same seat ---------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "new"),
    [((-30, 0), (0, None)), ((0, None), (-30, 0))],
    ids=["new-starts-the-day-the-old-ends", "new-ends-the-day-the-old-starts"],
)
def test_two_terms_of_the_same_seat_that_touch_on_one_day_overlap_and_are_refused(existing, new):
    body, person = make_body(), make_person()
    make_membership(body=body, person=person, start=day(existing[0]), end=day(existing[1]))
    with pytest.raises(ValidationError) as error:
        make_membership(body=body, person=person, start=day(new[0]), end=day(new[1]))
    assert "start_date" in error.value.message_dict
    assert Membership.objects.filter(body=body, person=person).count() == 1


def test_a_term_starting_the_day_after_the_previous_one_ended_is_allowed():
    body, person = make_body(), make_person()
    make_membership(body=body, person=person, start=today() - 30 * DAY, end=today() - DAY)
    make_membership(body=body, person=person, start=today())
    assert Membership.objects.filter(body=body, person=person, role=Role.MEMBER).count() == 2


# --- caps per subregion -------------------------------------------------------------------------


def capped_body(max_count=1):
    body = make_body()
    CompositionRule.objects.create(
        body=body, kind=CompositionRule.Kind.PER_SUBREGION, subregion=None, min_count=0, max_count=max_count
    )
    return body


@pytest.fixture
def fyrbodal(subregion):
    return subregion["Fyrbodal"]


@pytest.mark.parametrize("role", [Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER])
def test_a_chair_or_vice_chair_with_a_subregion_fills_one_of_its_capped_seats(fyrbodal, role):
    body = capped_body()
    make_membership(body=body, role=role, subregion=fyrbodal)
    with pytest.raises(ValidationError) as error:
        make_membership(body=body, subregion=fyrbodal)
    assert "subregion" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.CHAIR, Role.VICE_CHAIR])
def test_a_new_chair_or_vice_chair_with_a_subregion_is_counted_against_its_cap(fyrbodal, role):
    body = capped_body()
    make_membership(body=body, subregion=fyrbodal)
    with pytest.raises(ValidationError) as error:
        make_membership(body=body, role=role, subregion=fyrbodal)
    assert "subregion" in error.value.message_dict


@pytest.mark.parametrize("seat", ["substitute", "chair-without-subregion", "member-of-another-subregion"])
def test_seats_that_do_not_represent_the_subregion_leave_its_cap_free(subregion, fyrbodal, seat):
    body = capped_body()
    role, other = {
        "substitute": (Role.SUBSTITUTE, fyrbodal),
        "chair-without-subregion": (Role.CHAIR, None),
        "member-of-another-subregion": (Role.MEMBER, subregion["Skaraborg"]),
    }[seat]
    make_membership(body=body, role=role, subregion=other)
    make_membership(body=body, subregion=fyrbodal)  # not refused


@pytest.mark.parametrize(
    ("existing", "new", "allowed"),
    [
        ((-100, -1), (0, None), True),  # the other term ended yesterday
        ((-100, 0), (0, None), False),  # the other term runs today too
        ((30, None), (-10, 29), True),  # the other term starts the day after this one ends
        ((30, None), (-10, 30), False),  # the other term starts on this one's last day
    ],
    ids=["ended-yesterday", "ends-today", "starts-after", "starts-on-last-day"],
)
def test_the_cap_counts_only_terms_that_overlap(fyrbodal, existing, new, allowed):
    body = capped_body()
    make_membership(body=body, subregion=fyrbodal, start=day(existing[0]), end=day(existing[1]))
    if allowed:
        make_membership(body=body, subregion=fyrbodal, start=day(new[0]), end=day(new[1]))
    else:
        with pytest.raises(ValidationError) as error:
            make_membership(body=body, subregion=fyrbodal, start=day(new[0]), end=day(new[1]))
        assert "subregion" in error.value.message_dict


def test_two_earlier_terms_that_never_ran_at_the_same_time_fill_one_seat_of_the_cap(fyrbodal):
    body = capped_body(max_count=2)
    make_membership(body=body, subregion=fyrbodal, start=today() - 200 * DAY, end=today() - 101 * DAY)
    make_membership(body=body, subregion=fyrbodal, start=today() - 100 * DAY)
    make_membership(body=body, subregion=fyrbodal, start=today() - 300 * DAY)  # two at a time at most: allowed
    with pytest.raises(ValidationError):
        make_membership(body=body, subregion=fyrbodal, start=today() - 300 * DAY)  # now three at a time


# --- who speaks for a subregion -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "speaks"),
    [(Role.SUBSTITUTE, False), (Role.MEMBER, True), (Role.VICE_CHAIR, True), (Role.CHAIR, True)],
)
def test_substitutes_do_not_speak_for_their_subregion(fyrbodal, role, speaks):
    seat = make_membership(body=make_body(), role=role, subregion=fyrbodal)
    assert permissions.represented_subregion_ids(fresh(seat.person.user)) == ({fyrbodal.pk} if speaks else set())
