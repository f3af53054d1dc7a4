"""Meetings in calendars: one meeting as .ics for members, the personal feed behind a signed token, the page."""

import datetime
import re
import zoneinfo

import pytest
from django.core import signing
from django.db.models import F
from django.urls import reverse
from icalendar import Calendar

from governance.models import Body, Membership
from meetings import services
from meetings.calendar import FEED_SALT, _user_from_token, feed_token
from meetings.models import Meeting

from .meeting_builders import add_item, person, planned_meeting

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(cal: Calendar) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def meeting(secretary, chair):
    m = planned_meeting(secretary, chair, date=datetime.date(2026, 10, 14), title="Höstmöte om förvaltningsplanen")
    add_item(secretary, m, "Förvaltningsplan 2027: utkast", start_time=datetime.time(13, 10), purpose="discussion")
    add_item(secretary, m, "Övriga frågor", purpose="information")
    return m


def test_meeting_ics_for_a_member(client, secretary, rep_fyrbodal, meeting):
    client.force_login(rep_fyrbodal)
    response = client.get(reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk}))
    cal = parse(response)
    assert 'filename="mote-referensgrupp-shvo-2026-10-14.ics"' in response["Content-Disposition"]
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@shvo-portalen"
    assert event.start == datetime.datetime(2026, 10, 14, 13, 0, tzinfo=STOCKHOLM)
    assert event.end == datetime.datetime(2026, 10, 14, 16, 30, tzinfo=STOCKHOLM)
    assert str(event.start.tzinfo) == "Europe/Stockholm"
    assert "DTSTART;TZID=Europe/Stockholm:20261014T130000" in response.content.decode()
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert str(event["SUMMARY"]) == "Referensgrupp SHVO: Höstmöte om förvaltningsplanen"
    assert str(event["LOCATION"]) == "Regionens hus, Vänersborg"
    assert str(event["URL"]) == f"http://testserver/moten/{meeting.pk}/"
    assert "Förvaltningsplan 2027" not in str(event.get("DESCRIPTION", ""))  # agenda not published yet

    services.agenda_publish(actor=secretary, meeting=meeting)
    (event,) = parse(client.get(reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk}))).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Dagordning:" in description
    for item in meeting.items.order_by("position"):
        assert f"{item.position}. {item.title}" in description
    assert "Förvaltningsplan 2027: utkast (13:10) – Diskussion" in description


def test_meeting_without_title_is_called_mote_and_a_video_meeting_has_the_link_as_location(client, secretary, chair):
    m = Meeting(
        body=Body.objects.get(slug="referensgrupp-shvo"),
        date=datetime.date(2026, 11, 4),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        mode="digital",
        video_link="https://video.example.se/x",
        secretary=person(secretary),
        chair=person(chair),
    )
    services.meeting_create(actor=secretary, meeting=m)
    client.force_login(secretary)
    (event,) = parse(client.get(reverse("meetings:meeting_ics", kwargs={"pk": m.pk}))).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Referensgrupp SHVO: Möte"
    assert str(event["LOCATION"]) == "https://video.example.se/x"


def test_meeting_ics_is_hidden_from_non_members(client, reader, meeting):
    url = reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk})
    # Decision: anonymous visitors are sent to sign in, like on every meeting page (same for any pk: no leak).
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    client.force_login(reader)
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:meeting_ics", kwargs={"pk": 999999})).status_code == 404


def test_feed_lists_the_meetings_of_the_users_bodies_only(client, secretary, chair, rep_fyrbodal, meeting):
    other = planned_meeting(
        secretary,
        chair,
        Body.objects.get(slug="gemensam-beredning"),
        date=datetime.date(2026, 10, 20),
        title="Beredningsmöte",
    )
    ref_meetings = set(Meeting.objects.filter(body__slug="referensgrupp-shvo").values_list("pk", flat=True))

    cal = parse(client.get(reverse("meetings:calendar_feed", kwargs={"token": feed_token(rep_fyrbodal)})))
    uids = set(events_by_uid(cal))
    assert uids == {f"meeting-{pk}@shvo-portalen" for pk in ref_meetings}
    assert f"meeting-{meeting.pk}@shvo-portalen" in uids and f"meeting-{other.pk}@shvo-portalen" not in uids
    event = events_by_uid(cal)[f"meeting-{meeting.pk}@shvo-portalen"]
    assert event.start == datetime.datetime(2026, 10, 14, 13, 0, tzinfo=STOCKHOLM)
    assert str(event["SUMMARY"]) == "Referensgrupp SHVO: Höstmöte om förvaltningsplanen"

    # The secretary sits in both bodies and gets both.
    cal = parse(client.get(reverse("meetings:calendar_feed", kwargs={"token": feed_token(secretary)})))
    assert {f"meeting-{meeting.pk}@shvo-portalen", f"meeting-{other.pk}@shvo-portalen"} <= set(events_by_uid(cal))


def test_feed_follows_current_memberships(client, rep_fyrbodal, meeting):
    url = reverse("meetings:calendar_feed", kwargs={"token": feed_token(rep_fyrbodal)})
    assert events_by_uid(parse(client.get(url)))
    Membership.objects.filter(person__user=rep_fyrbodal).update(end_date=F("start_date"))  # ended long ago
    assert events_by_uid(parse(client.get(url))) == {}


def test_forged_or_foreign_tokens_are_404(client, rep_fyrbodal, secretary):
    good = feed_token(rep_fyrbodal)
    forged = [
        signing.dumps(secretary.pk, salt="a-different-salt"),  # signed for another purpose
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),  # tampered signature
        good.replace(good.split(":")[0], signing.b64_encode(str(secretary.pk).encode()).decode(), 1),  # other user
        "inte-en-token",
        signing.dumps(987654, salt=FEED_SALT),  # validly signed, no such user
    ]
    for token in forged:
        assert client.get(reverse("meetings:calendar_feed", kwargs={"token": token})).status_code == 404, token
    assert client.get(reverse("meetings:calendar_feed", kwargs={"token": good})).status_code == 200


def test_feed_has_a_constant_number_of_queries(
    client, secretary, chair, rep_fyrbodal, meeting, django_assert_num_queries
):
    url = reverse("meetings:calendar_feed", kwargs={"token": feed_token(rep_fyrbodal)})
    with django_assert_num_queries(4):  # the user; memberships; meetings with bodies; their agenda items
        before = parse(client.get(url))
    for day in (datetime.date(2026, 11, 18), datetime.date(2026, 11, 25)):
        m = planned_meeting(secretary, chair, date=day, title=f"Möte {day}")
        add_item(secretary, m, "Punkt")
        services.agenda_publish(actor=secretary, meeting=m)
    with django_assert_num_queries(4):
        after = parse(client.get(url))
    assert len(events_by_uid(after)) == len(events_by_uid(before)) + 2


def test_my_calendar_page_shows_the_personal_feed_address(client, rep_fyrbodal):
    assert client.get("/kalender/").status_code == 302  # sign in first
    client.force_login(rep_fyrbodal)
    response = client.get(reverse("meetings:my_calendar"))
    assert response.status_code == 200
    html = response.content.decode()
    # Compare whom the token names, not the string: a token may carry a timestamp (another second, another token).
    (token,) = re.findall(r'value="http://testserver/kalender/([^"/]+)\.ics"', html)
    assert _user_from_token(token) == rep_fyrbodal
    feed_path = reverse("meetings:calendar_feed", kwargs={"token": token})
    assert f"webcal://testserver{feed_path}" in html
    assert "Prenumerera" in html and "Dela den inte" in html and "Referensgrupp SHVO" in html
    assert client.get(feed_path).status_code == 200
