"""Drafts never reach the public or users outside their audience: not in lists, counts, feeds, exports or PDFs."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.calendar import feed_token
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(demo_planned_meeting):
    # The planned meeting of the reference group: agenda not published, minutes not started.
    return demo_planned_meeting


@pytest.fixture
def published():
    return Meeting.objects.get(body__slug="referensgrupp-shvo", date=datetime.date(2026, 3, 5))


def test_public_list_shows_published_minutes_only(client, draft, published):
    page = client.get("/organ/referensgrupp-shvo/protokoll/").content.decode()
    assert f"/protokoll/{published.minutes.pdf_sha256}/" in page
    assert f"/moten/{draft.pk}/" not in page and draft.date.isoformat() not in page and "2026-01-28" not in page


@pytest.mark.parametrize("suffix", ["", "sammanfattning/", "protokoll.pdf"])
def test_draft_meeting_answers_404_to_the_public(client, draft, suffix):
    assert client.get(f"/moten/{draft.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["dagordning.pdf", "mote.ics", "narvaro/"])
def test_members_only_pages_send_the_public_to_sign_in_whatever_the_meeting(client, draft, suffix):
    # The same answer for any number, existing or not: nothing leaks.
    for pk in (draft.pk, 999999):
        response = client.get(f"/moten/{pk}/{suffix}")
        assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


@pytest.mark.parametrize("suffix", ["", "sammanfattning/", "protokoll.pdf", "dagordning.pdf", "mote.ics"])
def test_draft_meeting_answers_404_to_a_user_outside_the_body(client, reader, draft, suffix):
    client.force_login(reader)
    assert client.get(f"/moten/{draft.pk}/{suffix}").status_code == 404


def test_unpublished_agenda_is_hidden_from_members_but_not_from_the_secretary(client, rep_skaraborg, secretary, draft):
    client.force_login(rep_skaraborg)
    assert "Föregående protokoll" not in client.get(f"/moten/{draft.pk}/").content.decode()
    assert client.get(f"/moten/{draft.pk}/dagordning.pdf").status_code == 404
    client.force_login(secretary)
    assert "Föregående protokoll" in client.get(f"/moten/{draft.pk}/").content.decode()


def test_body_page_shows_no_meeting_counts_to_the_public(client, rep_fyrbodal):
    assert "planerade möten" not in client.get("/organ/referensgrupp-shvo/").content.decode()
    client.force_login(rep_fyrbodal)
    assert "planerade möten" in client.get("/organ/referensgrupp-shvo/").content.decode()


def test_calendar_feed_holds_only_the_token_owners_bodies(client, draft):
    outsider = get_user_model().objects.get(username="admin-fyrbodal")
    assert "BEGIN:VEVENT" not in client.get(f"/kalender/{feed_token(outsider)}.ics").content.decode()
    member = get_user_model().objects.get(username="fyrbodal")
    assert f"meeting-{draft.pk}@" in client.get(f"/kalender/{feed_token(member)}.ics").content.decode()


def test_meeting_list_of_a_body_answers_404_outside_it(client, reader):
    client.force_login(reader)
    assert client.get("/organ/referensgrupp-shvo/moten/").status_code == 404


def test_start_page_shows_each_role_what_waits_for_it(client, secretary, chair, rep_skaraborg, draft):
    from meetings import services

    client.force_login(secretary)
    page = client.get("/").content.decode()
    assert "Protokoll att slutföra" in page and "Uppstartsmöte" in page  # 2026-01-28 is not published
    services.agenda_item_save(actor=secretary, item=draft.items.model(meeting=draft, title="Punkt"))
    draft.date = timezone.localdate()  # held today: minutes go to justering once the meeting has been held
    services.meeting_update(actor=secretary, meeting=draft)
    services.minutes_send_for_justering(actor=secretary, meeting=draft)
    client.force_login(chair)
    assert f"/moten/{draft.pk}/justering/" in client.get("/").content.decode()
    client.force_login(rep_skaraborg)
    page = client.get("/").content.decode()
    assert "Kommande möten" in page and "/justering/" not in page
