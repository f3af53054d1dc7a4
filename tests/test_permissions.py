"""Rights follow the governance structure: dated memberships, and delegated rights on a subregion."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings

from governance import permissions
from governance import rules as governance_rules
from governance.models import Body, Membership

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def end_memberships(user, on):
    Membership.objects.filter(person__user=user).update(end_date=on)


def test_coordinator_right_ends_the_day_after_the_membership_ends(client, coordinator, ref_group):
    assert permissions.can(coordinator, governance_rules.EDIT_BODY, ref_group)
    end_memberships(coordinator, YESTERDAY)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # a new request, no cached rights
    assert not permissions.can(coordinator, governance_rules.EDIT_BODY, ref_group)
    client.force_login(coordinator)
    assert client.get(f"/organ/{ref_group.slug}/andra/").status_code == 403


def test_membership_ending_today_still_gives_the_right_today(coordinator, ref_group):
    end_memberships(coordinator, datetime.date.today())
    assert permissions.can(type(coordinator).objects.get(pk=coordinator.pk), governance_rules.EDIT_BODY, ref_group)


def test_subregion_admin_cannot_open_another_subregions_seat(client, admin_fyrbodal, ref_group):
    skaraborg_seat = Membership.objects.get(body=ref_group, person__last_name="Öberg")
    client.force_login(admin_fyrbodal)
    for action in ("andra", "avsluta", "ersatt"):
        assert client.get(f"/uppdrag/{skaraborg_seat.pk}/{action}/").status_code == 403


def test_forged_post_on_another_subregions_seat_changes_nothing(client, admin_fyrbodal, ref_group):
    seat = Membership.objects.get(body=ref_group, person__last_name="Öberg")
    client.force_login(admin_fyrbodal)
    assert client.post(f"/uppdrag/{seat.pk}/avsluta/", {"end_date": "2026-06-30"}).status_code == 403
    assert (
        client.post(
            f"/uppdrag/{seat.pk}/ersatt/", {"new_first_name": "X", "new_last_name": "Y", "start_date": "2026-06-01"}
        ).status_code
        == 403
    )
    seat.refresh_from_db()
    assert seat.end_date is None and not Membership.objects.filter(person__last_name="Y").exists()


def test_forged_post_appointing_to_another_subregion_is_refused(client, admin_fyrbodal, ref_group, subregion):
    client.force_login(admin_fyrbodal)
    before = Membership.objects.count()
    page = client.post(
        f"/organ/{ref_group.slug}/uppdrag/nytt/",
        {
            "new_first_name": "Fel",
            "new_last_name": "Delregion",
            "role": "member",
            "subregion": subregion["Skaraborg"].pk,
            "start_date": "2026-06-01",
        },
    ).content.decode()
    assert Membership.objects.count() == before and "Välj ett giltigt alternativ" in page


def test_forged_post_moving_own_seat_to_another_subregion_is_refused(client, admin_fyrbodal, ref_group, subregion):
    seat = Membership.objects.get(body=ref_group, person__last_name="Ek")
    client.force_login(admin_fyrbodal)
    client.post(
        f"/uppdrag/{seat.pk}/andra/",
        {
            "person": seat.person_id,
            "role": "member",
            "subregion": subregion["Skaraborg"].pk,
            "start_date": "2026-01-01",
        },
    )
    seat.refresh_from_db()
    assert seat.subregion == subregion["Fyrbodal"]


def test_subregion_admin_can_replace_own_subregions_seat(client, admin_fyrbodal, ref_group):
    seat = Membership.objects.get(body=ref_group, person__last_name="Ek")
    client.force_login(admin_fyrbodal)
    response = client.post(
        f"/uppdrag/{seat.pk}/ersatt/",
        {
            "new_first_name": "Nya",
            "new_last_name": "Fyrbodalaren",
            "start_date": "2026-09-01",
            "reason": "Byte av tjänst",
        },
    )
    assert response.status_code == 302
    new = Membership.objects.get(person__last_name="Fyrbodalaren")
    record = new.history.first()
    assert record.history_user == admin_fyrbodal and record.history_change_reason == "Byte av tjänst"


def test_subregion_admin_cannot_touch_seats_without_a_subregion(admin_fyrbodal):
    gits = Body.objects.get(slug="gits")
    assert not permissions.can(admin_fyrbodal, governance_rules.MANAGE_SEAT, Membership(body=gits, role="member"))


def test_representative_has_no_right_to_manage_seats(rep_fyrbodal, ref_group, subregion):
    seat = Membership(body=ref_group, role="member", subregion=subregion["Fyrbodal"])
    assert not permissions.can(rep_fyrbodal, governance_rules.MANAGE_SEAT, seat)


def test_history_shows_who_changed_what_field_by_field(client, admin_fyrbodal, admin_user, ref_group):
    seat = Membership.objects.get(body=ref_group, person__last_name="Ek")
    client.force_login(admin_fyrbodal)
    client.post(f"/uppdrag/{seat.pk}/avsluta/", {"end_date": "2026-06-30", "reason": "Avgår"})
    client.force_login(admin_user)
    page = client.get(f"/organ/{ref_group.slug}/historik/").content.decode()
    assert "Ulla Wester" in page and "Avgår" in page and "2026-06-30" in page and "Till och med" in page


def test_pages_send_a_strict_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_sign_in_is_throttled_after_repeated_failures(client, rep_fyrbodal):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/logga-in/", {"username": "fyrbodal", "password": "fel"})
    rep_fyrbodal.set_password("ratt-losenord-123")
    rep_fyrbodal.save()
    response = client.post("/logga-in/", {"username": "fyrbodal", "password": "ratt-losenord-123"})
    assert response.status_code == 429 and "För många misslyckade inloggningar" in response.content.decode()


def test_deploy_check_is_clean_with_production_settings():
    # Production as deployed: not under pytest, and without the browser tests' async-unsafe switch.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "-production-like-secret-key-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="shvo.example.se",
        DATABASE_URL="sqlite:////tmp/shvo-deploy-check.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
