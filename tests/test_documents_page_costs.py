"""What the documents pages cost: as many queries with much data as with little, and kept parts (core.kept) that
change as soon as their rows do."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from documents.models import ManagementPlan
from governance import services as governance
from governance.models import Body, Charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan2026(db):
    return ManagementPlan.objects.get(year=2026)


def forums(client, plan) -> str:
    page = client.get(plan.get_absolute_url()).content.decode()
    return re.search(r'<div class="forums">.*?</div>', page, re.S).group(0)


def test_the_forums_table_follows_its_bodies_statuses_charters_and_the_managed_object(client, admin_user, plan2026):
    managed = plan2026.managed_object
    body = managed.bodies.get(slug="referensgrupp-shvo")
    assert body.name in forums(client, plan2026)  # now kept

    body.name = "Referensgruppen för samordnad vård"
    governance.body_save(actor=admin_user, body=body)
    assert "Referensgruppen för samordnad vård" in forums(client, plan2026)

    latest = Charter.objects.filter(body=body).order_by("-version").first()
    charter = Charter(
        valid_from=latest.valid_from, purpose="Ett nytt syfte för gruppen", meeting_frequency="Varannan vecka"
    )
    governance.charter_create_version(actor=admin_user, body=body, charter=charter)
    table = forums(client, plan2026)
    assert "Ett nytt syfte för gruppen" in table and "Varannan vecka" in table

    other = Body.objects.exclude(managed_objects=managed).order_by("pk").first()
    managed.bodies.add(other)  # the managed object's bodies have no service; its history records the change
    assert other.name in forums(client, plan2026)

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    governance.body_change_status(actor=admin_user, body=body, status="closed", effective_from=tomorrow)
    assert "Referensgruppen för samordnad vård" in forums(client, plan2026)  # closed from tomorrow, shown today
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert "Referensgruppen för samordnad vård" not in forums(client, plan2026)


def test_the_plan_page_asks_the_same_queries_with_more_bodies_and_charters(
    client, admin_user, plan2026, django_assert_num_queries
):
    # The plan, its sections, its goals, its budget lines with their keys (documents.budget), the forums' version
    # (their rows are kept) and the status changes.
    client.get(plan2026.get_absolute_url())
    with django_assert_num_queries(6):
        assert client.get(plan2026.get_absolute_url()).status_code == 200
    for body in plan2026.managed_object.bodies.all():
        latest = Charter.objects.filter(body=body).order_by("-version").first()
        for n in range(3):
            charter = Charter(valid_from=latest.valid_from if latest else timezone.localdate(), purpose=f"Syfte {n}")
            governance.charter_create_version(actor=admin_user, body=body, charter=charter)
    with django_assert_num_queries(6 + 2):  # the forums' rows are read again once, for the new version
        client.get(plan2026.get_absolute_url())
    with django_assert_num_queries(6):
        assert client.get(plan2026.get_absolute_url()).status_code == 200
