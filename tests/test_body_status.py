"""A body's status comes from its dated history; renames are kept."""

import datetime

import pytest

from governance import services
from governance.models import Body, BodyStatusChange

pytestmark = pytest.mark.django_db


def status_on(slug, day):
    return Body.objects.with_status(day).get(slug=slug).status


def test_status_follows_the_dated_history():
    assert status_on("ledningsrad-shvo", datetime.date(2022, 12, 31)) == "active"
    assert status_on("ledningsrad-shvo", datetime.date(2023, 3, 1)) == "paused"
    assert status_on("ledningsrad-shvo", datetime.date(2026, 11, 1)) == "paused"


def test_body_without_history_is_active(db):
    body = Body.objects.create(name="Ny grupp", slug="ny-grupp", kind="working")
    assert status_on(body.slug, datetime.date.today()) == "active"


def test_status_change_keeps_earlier_entries(admin_user):
    body = Body.objects.get(slug="ledningsrad-shvo")
    services.body_change_status(
        actor=admin_user,
        body=body,
        status="closed",
        effective_from=datetime.date(2026, 6, 1),
        note="VVG beslutade att avsluta ledningsrådet.",
    )
    assert list(
        BodyStatusChange.objects.filter(body=body).order_by("effective_from").values_list("status", flat=True)
    ) == ["active", "paused", "closed"]
    assert status_on(body.slug, datetime.date(2026, 5, 31)) == "paused"
    assert status_on(body.slug, datetime.date(2026, 6, 1)) == "closed"


def test_body_page_shows_status_history_and_earlier_name(client):
    page = client.get("/organ/ledningsrad-shvo/").content.decode()
    assert "Pausat" in page and "2023-03-01" in page
    page = client.get("/organ/gemensam-beredning/").content.decode()
    assert "bytte namn från GITS utökad ledningsgrupp" in page


def test_closed_groups_leave_the_tree_and_are_listed_as_former(client):
    page = client.get("/organ/").content.decode()
    tree, former = page.split('id="closed-heading"')
    assert "AG Rutin" not in tree.split('id="chart-drawing-heading"')[0]
    assert "AG Rutin" in former
