"""The start page's panels are kept per user, day and state of the data (core.waiting.rendered): served as built
until anything is written or the day changes, never one user's page to another."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from core import kept
from core.versions import data_version
from meetings import services as meeting_services

from .factories import make_meeting, secretary_of, signed_in

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    html = client.get("/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_kept_start_page_is_the_page_built_afresh(admin_fyrbodal):
    client = signed_in(admin_fyrbodal)
    first = _page(client)
    assert "Väntar på dig" in first
    kept.forget_all()
    assert _page(client) == first


def _quiet_database(monkeypatch):
    """PostgreSQL's WAL position is the cluster's: autovacuum or another database may move it between two requests
    (which only builds a page again). Where a test needs the state to stay put, it says so."""
    monkeypatch.setattr("core.versions.data_version", lambda using="default": "unchanged")


def test_the_second_start_page_reads_no_panel_again(admin_user, django_assert_max_num_queries, monkeypatch):
    _quiet_database(monkeypatch)
    client = signed_in(admin_user)
    client.get("/")
    # The session, the user and the chart's version: none of the panels' own queries.
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert "Väntar på dig" in response.content.decode()


def test_minutes_sent_for_justering_show_on_the_chairs_next_start_page():
    meeting = make_meeting(date=timezone.localdate() - datetime.timedelta(days=1))
    meeting_services.agenda_item_save(actor=secretary_of(meeting), item=meeting.items.model(meeting=meeting, title="P"))
    chair = signed_in(meeting.chair.user)
    assert "Att justera" not in _page(chair)
    meeting_services.minutes_send_for_justering(actor=secretary_of(meeting), meeting=meeting)
    page = _page(chair)
    assert "Att justera" in page and str(meeting) in page


def test_each_user_is_served_only_their_own_kept_page(admin_user, rep_fyrbodal):
    admins = _page(signed_in(admin_user))
    representatives = _page(signed_in(rep_fyrbodal))
    assert admins != representatives
    kept.forget_all()
    assert _page(signed_in(rep_fyrbodal)) == representatives


def test_a_new_day_builds_the_start_page_again(monkeypatch):
    """Nothing is written between the two pages (the same session, twenty minutes apart): only the day changes."""
    _quiet_database(monkeypatch)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(23, 50), tzinfo=zone), tick=False):
        meeting = make_meeting(date=tomorrow)
        secretary = signed_in(secretary_of(meeting))
        assert "Protokoll att slutföra" not in _page(secretary)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(0, 10), tzinfo=zone), tick=False):
        page = _page(secretary)
    assert "Protokoll att slutföra" in page and str(meeting) in page


def test_the_data_version_moves_with_every_write_and_stays_without_one(rep_fyrbodal):
    before = data_version()
    if connection.vendor == "sqlite":  # PostgreSQL's WAL position may also move without a write of ours
        assert data_version() == before
    rep_fyrbodal.first_name = "Ändrad"
    rep_fyrbodal.save(update_fields=["first_name"])
    after = data_version()
    assert after != before
    if connection.vendor == "sqlite":
        assert data_version() == after


def test_a_new_database_connection_never_reuses_an_old_connections_versions():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's WAL position is one for every connection")
    before = data_version()
    token = connection._shvo_version_token
    connection._shvo_version_token = (object(), token[1])  # as if the connection had been opened again
    assert data_version().split(":")[0] != before.split(":")[0]
