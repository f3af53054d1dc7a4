"""The register of a body's decisions (/organ/<slug>/beslut/): who sees which §§, search, filters, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Decision, Minutes
from meetings.register import search
from tests.factories import (
    add_item,
    make_meeting,
    make_membership,
    make_minutes_in_state,
    make_person,
    secretary_of,
    superuser,
    today,
)

pytestmark = pytest.mark.django_db


def _meeting_with(body, state, texts, *, days_ago=10):
    # Within this year (the register shows one year, by default the latest): early January the meetings bunch up.
    day = max(today() - datetime.timedelta(days=days_ago), today().replace(month=1, day=1))
    meeting = make_meeting(body, date=day)
    item = add_item(meeting, "Punkt med beslut")
    for text in texts:
        services.decision_add(actor=secretary_of(meeting), item=item, kind="decision", text=text)
    make_minutes_in_state(meeting, state)
    return meeting


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    published = _meeting_with(None, Minutes.Status.PUBLISHED, ["Publicerat beslut om budgeten"], days_ago=30)
    body = published.body
    _meeting_with(body, Minutes.Status.JUSTERAT, ["Justerat beslut om rutinen"], days_ago=20)
    _meeting_with(body, Minutes.Status.IN_JUSTERING, ["Beslut i justering"], days_ago=5)
    _meeting_with(body, Minutes.Status.DRAFT, ["Beslut i utkast"], days_ago=2)
    return body


def _page(client, body, **params):
    return client.get(reverse("meetings:decision_register", args=[body.slug]), params).content.decode()


def test_the_public_sees_decisions_in_published_minutes_only(client, world):
    page = _page(client, world)
    assert "Publicerat beslut om budgeten" in page
    assert "Justerat beslut" not in page and "justering" not in page.split("<table")[-1] and "utkast" not in page


def test_members_of_the_body_also_see_justerade_never_drafts_or_in_justering(client, world):
    member = make_membership(body=world, person=make_person()).person.user
    client.force_login(member)
    page = _page(client, world)
    assert "Publicerat beslut om budgeten" in page and "Justerat beslut om rutinen" in page
    assert "Beslut i justering" not in page and "Beslut i utkast" not in page


def test_a_signed_in_outsider_sees_only_published(client, world):
    client.force_login(make_person().user)
    page = _page(client, world)
    assert "Publicerat beslut om budgeten" in page and "Justerat beslut om rutinen" not in page


def test_the_administrator_sees_justerade_too(client, world):
    client.force_login(superuser())
    assert "Justerat beslut om rutinen" in _page(client, world)


def test_visible_to_never_includes_drafts_or_minutes_in_justering(world):
    texts = set(Decision.objects.visible_to(superuser()).filter(body=world).values_list("text", flat=True))
    assert texts == {"Publicerat beslut om budgeten", "Justerat beslut om rutinen"}


def test_search_finds_words_in_the_text(client, world):
    client.force_login(superuser())
    page = _page(client, world, q="rutinen")
    assert "Justerat beslut om rutinen" in page and "Publicerat beslut om budgeten" not in page


def test_search_helper_matches_on_this_database(world):
    found = search(Decision.objects.filter(body=world), "budgeten")
    assert list(found.values_list("text", flat=True)) == ["Publicerat beslut om budgeten"]


def test_the_kind_and_follow_up_filters(client, world):
    client.force_login(superuser())
    assert "Publicerat beslut" not in _page(client, world, typ="referral")
    assert "Publicerat beslut" in _page(client, world, uppfoljning="ingen")
    assert "Publicerat beslut" not in _page(client, world, uppfoljning="vantar")


def test_each_row_links_its_item_and_the_published_pdf(client, world):
    page = _page(client, world)
    decision = Decision.objects.get(text="Publicerat beslut om budgeten")
    assert f"{decision.item.meeting.get_absolute_url()}#punkt-{decision.item.pk}" in page
    assert decision.item.meeting.minutes.pdf_url in page


def test_the_register_query_count_does_not_grow_with_rows(client, world):
    client.force_login(superuser())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("meetings:decision_register", args=[world.slug])).status_code == 200
        return len(queries)

    few = count()
    _meeting_with(world, Minutes.Status.JUSTERAT, [f"Fler beslut {i}" for i in range(4)], days_ago=15)
    assert count() == few


def test_the_body_page_links_the_register(client, world):
    page = client.get(world.get_absolute_url()).content.decode()
    assert reverse("meetings:decision_register", args=[world.slug]) in page


def test_on_postgresql_the_search_is_swedish_full_text(monkeypatch):
    """The SQL the helper builds on PostgreSQL (compiled, not run: the default test database is SQLite)."""
    monkeypatch.setattr(connection, "vendor", "postgresql")
    sql = str(search(Decision.objects.all(), "budget rutin").query)
    assert "to_tsvector" in sql and "websearch_to_tsquery" in sql and "swedish" in sql
