"""Membership periods: who is current on a given day, and which periods the portal refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import Membership, Person

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def member(body, **kw):
    defaults = {
        "person": Person.objects.create(first_name="Test", last_name="Person"),
        "body": body,
        "role": "member",
        "start_date": datetime.date(2025, 1, 1),
    }
    return Membership.objects.create(**(defaults | kw))


def test_member_whose_term_ended_yesterday_is_not_current(ref_group):
    m = member(ref_group, end_date=YESTERDAY)
    assert not m.is_current()
    assert m not in Membership.objects.current()
    assert m in Membership.objects.past()


def test_member_whose_term_ends_today_is_still_current(ref_group):
    m = member(ref_group, end_date=TODAY)
    assert m.is_current() and m in Membership.objects.current()


def test_member_starting_tomorrow_is_not_yet_current(ref_group):
    m = member(ref_group, start_date=TODAY + datetime.timedelta(days=1))
    assert m not in Membership.objects.current()


def test_body_page_lists_an_ended_member_only_among_former_members(client, ref_group):
    m = member(ref_group, end_date=YESTERDAY, person=Person.objects.create(first_name="Avgången", last_name="Ledamot"))
    page = client.get(ref_group.get_absolute_url()).content.decode()
    members_section, former_section = page.split('id="past-heading"')
    assert str(m.person) not in members_section.split('id="members-heading"')[1]
    assert str(m.person) in former_section


def test_overlapping_terms_for_the_same_seat_are_refused(ref_group):
    existing = member(ref_group, start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31))
    clash = Membership(person=existing.person, body=ref_group, role="member", start_date=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.membership_validate(clash)
    assert "får inte överlappa" in error.value.message_dict["start_date"][0]


def test_consecutive_terms_for_the_same_seat_are_allowed(ref_group):
    existing = member(ref_group, start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31))
    services.membership_validate(
        Membership(person=existing.person, body=ref_group, role="member", start_date=datetime.date(2026, 1, 1))
    )


def test_end_before_start_is_refused(ref_group):
    bad = Membership(
        person=Person.objects.create(first_name="A", last_name="B"),
        body=ref_group,
        role="member",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.membership_validate(bad)
    assert "före startdatum" in error.value.message_dict["end_date"][0]


def test_second_chair_at_the_same_time_is_refused(ref_group):
    with pytest.raises(ValidationError) as error:
        services.membership_validate(
            Membership(
                person=Person.objects.create(first_name="C", last_name="D"),
                body=ref_group,
                role="chair",
                start_date=TODAY,
            )
        )
    assert "har redan en ordförande" in error.value.message_dict["role"][0]


def test_replacing_a_member_ends_the_old_term_the_day_before(ref_group, subregion, admin_user):
    old = Membership.objects.current().get(body=ref_group, subregion=subregion["Fyrbodal"], person__last_name="Ek")
    newcomer = Person.objects.create(first_name="Ny", last_name="Ledamot")
    new = services.membership_replace(
        actor=admin_user, membership=old, person=newcomer, start_date=datetime.date(2026, 5, 1)
    )
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 4, 30)
    assert new.replaces == old and new.subregion == old.subregion and new.role == old.role
