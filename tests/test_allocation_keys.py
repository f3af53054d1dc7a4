"""Allocation keys are reference data changed in the admin; a key in use keeps the figures budgets show."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from documents import rules
from documents.admin import AllocationKeyForm
from documents.models import AllocationKey, BudgetLine
from tests.factories import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def key70(db):
    return AllocationKey.objects.get(name="IT-tjänsten 70/30")


def form_for(key, **changes):
    data = {
        "name": key.name,
        "region_percent": str(key.region_percent),
        "valid_from": key.valid_from.isoformat(),
        "valid_to": key.valid_to.isoformat() if key.valid_to else "",
    }
    data.update(changes)
    return AllocationKeyForm(data, instance=key)


def test_the_share_of_a_key_under_a_decided_budget_cannot_change(key70):
    form = form_for(key70, region_percent="60")
    assert not form.is_valid()
    assert "Förvaltningsplan SHVO 2026" in form.errors["region_percent"][0]
    assert AllocationKey.objects.get(pk=key70.pk).region_percent == Decimal(70)


def test_a_key_used_only_by_drafts_may_change_its_share():
    key = AllocationKey.objects.create(name="Ny nyckel", region_percent=40, valid_from=datetime.date(2020, 1, 1))
    assert form_for(key, region_percent="45").is_valid()


def test_the_validity_keeps_covering_the_years_of_budgets_that_use_the_key(key70):
    first, last = sorted(set(BudgetLine.objects.filter(key=key70).values_list("budget__plan__year", flat=True)))
    form = form_for(key70, valid_to=datetime.date(first, 6, 30).isoformat())
    assert not form.is_valid()
    assert form.errors["valid_to"] == [rules.KEY_VALIDITY_NEEDED % {"years": f"{first}, {last}"}]
    later = form_for(key70, valid_from=datetime.date(last, 1, 1).isoformat())
    assert not later.is_valid() and str(first) in later.errors["valid_from"][0]
    assert form_for(key70, valid_to=datetime.date(last, 12, 31).isoformat()).is_valid()


def test_the_admin_lists_the_keys_and_never_deletes_one(admin_user, key70):
    client = signed_in(admin_user)
    page = client.get(reverse("admin:documents_allocationkey_changelist")).content.decode()
    assert "IT-tjänsten 70/30" in page
    response = client.post(
        reverse("admin:documents_allocationkey_change", args=[key70.pk]),
        {"name": key70.name, "region_percent": "60", "valid_from": "2024-01-01", "valid_to": ""},
    )
    assert response.status_code == 200 and "Skapa en ny nyckel" in response.content.decode()
    assert client.get(reverse("admin:documents_allocationkey_delete", args=[key70.pk])).status_code == 403
