"""One rule for every object's Historik (governance.rules VIEW_HISTORY), asked of the object's own history scope."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from documents.models import ManagementPlan
from governance import permissions
from governance import rules as governance_rules
from governance.models import Body

pytestmark = pytest.mark.django_db
VIEW_HISTORY = governance_rules.VIEW_HISTORY


def test_a_draft_plans_history_is_refused_to_a_signed_in_reader_and_allowed_to_a_coordinator(coordinator):
    reader = get_user_model().objects.create_user("lasare")
    draft = ManagementPlan.objects.get(year=2027)
    assert not ManagementPlan.objects.visible_to(reader).filter(pk=draft.pk).exists()
    assert permissions.can(reader, VIEW_HISTORY, draft) is False
    assert permissions.can(coordinator, VIEW_HISTORY, draft) is True


def test_the_plan_history_rule_agrees_with_the_plan_history_page(client, coordinator):
    reader = get_user_model().objects.create_user("lasare")
    for plan in ManagementPlan.objects.all():
        for user in (reader, coordinator):
            client.force_login(user)
            page = client.get(f"/forvaltningsplaner/{plan.pk}/historik/").status_code
            assert page in (200, 404)
            assert permissions.can(user, VIEW_HISTORY, plan) is (page == 200), (user, plan)


def test_a_bodys_history_is_for_signed_in_users_and_never_for_the_public():
    reader = get_user_model().objects.create_user("lasare")
    body = Body.objects.get(slug="referensgrupp-shvo")
    assert permissions.can(reader, VIEW_HISTORY, body) is True
    assert permissions.can(AnonymousUser(), VIEW_HISTORY, body) is False


def test_a_model_without_a_scope_has_no_open_history():
    """History is never open by default: an object whose queryset has no scope is the administrator's only."""
    from django.contrib.auth.models import Group

    reader = get_user_model().objects.create_user("lasare")
    assert permissions.can(reader, VIEW_HISTORY, Group.objects.create(name="x")) is False
