"""Editing bodies, charters and memberships in the portal's own forms; bad input is refused in Swedish."""

import datetime

import pytest

from governance.models import Body, Charter, Membership, Person

pytestmark = pytest.mark.django_db


def membership_post(client, body, **data):
    return client.post(f"/organ/{body.slug}/uppdrag/nytt/", data)


def test_overlapping_term_for_the_same_person_is_refused_and_typed_values_kept(client, admin_user, ref_group):
    client.force_login(admin_user)
    ek = Person.objects.get(last_name="Ek")
    fyrbodal = Membership.objects.get(person=ek, body=ref_group).subregion
    before = Membership.objects.count()
    response = membership_post(
        client,
        ref_group,
        person=ek.pk,
        role="member",
        subregion=fyrbodal.pk,
        start_date="2026-02-01",
        note="Min anteckning",
    )
    page = response.content.decode()
    assert response.status_code == 200 and Membership.objects.count() == before
    assert "Formuläret behöver rättas" in page and "får inte överlappa" in page
    assert 'value="Min anteckning"' in page and 'value="2026-02-01"' in page


def test_end_before_start_points_at_the_end_date_field(client, admin_user, ref_group):
    client.force_login(admin_user)
    response = membership_post(
        client,
        ref_group,
        new_first_name="Ny",
        new_last_name="Person",
        role="secretary",
        start_date="2026-05-01",
        end_date="2026-04-01",
    )
    page = response.content.decode()
    assert 'href="#id_end_date"' in page and "Slutdatum kan inte vara före startdatum" in page
    assert 'value="Ny"' in page and not Person.objects.filter(first_name="Ny", last_name="Person").exists()


def test_third_representative_is_refused_with_a_message_on_the_subregion(client, admin_user, ref_group, subregion):
    client.force_login(admin_user)
    response = membership_post(
        client,
        ref_group,
        new_first_name="Tredje",
        new_last_name="Fyrbodalare",
        role="member",
        subregion=subregion["Fyrbodal"].pk,
        start_date="2026-03-01",
    )
    page = response.content.decode()
    assert 'href="#id_subregion"' in page and "högst 2 är tillåtet" in page
    assert not Person.objects.filter(last_name="Fyrbodalare").exists()  # the new person is rolled back too


def test_new_person_can_be_appointed_to_a_free_seat(client, admin_user, ref_group, subregion):
    client.force_login(admin_user)
    response = membership_post(
        client,
        ref_group,
        new_first_name="Selma",
        new_last_name="Simba",
        role="member",
        subregion=subregion["SIMBA"].pk,
        start_date="2026-03-01",
        reason="Utsedd av SIMBA",
    )
    assert response.status_code == 302
    m = Membership.objects.get(person__last_name="Simba")
    assert m.subregion == subregion["SIMBA"] and m.history.first().history_change_reason == "Utsedd av SIMBA"
    assert m.history.first().history_user == admin_user


def test_missing_person_is_explained(client, admin_user, ref_group):
    client.force_login(admin_user)
    page = membership_post(client, ref_group, role="member", start_date="2026-03-01").content.decode()
    assert "Välj en person i listan, eller fyll i för- och efternamn" in page


def test_unparseable_date_is_refused_in_swedish(client, admin_user, ref_group):
    client.force_login(admin_user)
    page = membership_post(
        client, ref_group, new_first_name="A", new_last_name="B", role="member", start_date="första mars"
    ).content.decode()
    assert "Fyll i ett giltigt datum" in page and 'value="första mars"' in page


def test_charter_change_is_saved_as_a_new_version_keeping_the_old(client, coordinator, ref_group):
    client.force_login(coordinator)
    old = Charter.objects.get(body=ref_group, version=1)
    response = client.post(
        f"/organ/{ref_group.slug}/uppdragsbeskrivning/ny/",
        {
            "valid_from": "2026-07-01",
            "purpose": "Nytt syfte.",
            "meeting_frequency": "6–8 möten per år",
            "reason": "Årlig översyn",
        },
    )
    assert response.status_code == 302
    assert list(ref_group.charters.order_by("version").values_list("version", "purpose")) == [
        (1, old.purpose),
        (2, "<p>Nytt syfte.</p>"),  # rich text: the typed plain text as a paragraph
    ]


def test_charter_version_cannot_predate_the_current_one(client, coordinator, ref_group):
    client.force_login(coordinator)
    page = client.post(
        f"/organ/{ref_group.slug}/uppdragsbeskrivning/ny/", {"valid_from": "2020-01-01", "purpose": "X"}
    ).content.decode()
    assert "kan inte gälla före den nuvarande" in page and ref_group.charters.count() == 1


def test_body_form_refuses_min_meetings_above_max(client, coordinator, ref_group):
    client.force_login(coordinator)
    data = {
        "name": ref_group.name,
        "short_name": ref_group.short_name,
        "slug": ref_group.slug,
        "kind": "reference",
        "level": "county",
        "mandate_giver": ref_group.mandate_giver_id,
        "target_meetings_min": 9,
        "target_meetings_max": 6,
        "sort_order": 50,
    }
    page = client.post(f"/organ/{ref_group.slug}/andra/", data).content.decode()
    assert "Högsta antalet möten kan inte vara lägre" in page
    ref_group.refresh_from_db()
    assert ref_group.target_meetings_min == 6


def test_mandate_cycle_is_refused(client, coordinator):
    client.force_login(coordinator)
    vvg, ref = Body.objects.get(slug="vvg"), Body.objects.get(slug="referensgrupp-shvo")
    data = {
        "name": vvg.name,
        "short_name": vvg.short_name,
        "slug": vvg.slug,
        "kind": vvg.kind,
        "level": "county",
        "mandate_giver": ref.pk,
        "sort_order": 10,
    }
    page = client.post("/organ/vvg/andra/", data).content.decode()
    assert "Uppdragsgivaren kan inte vara organet självt eller ett organ under det" in page


def test_status_change_on_an_existing_date_is_refused(client, coordinator):
    client.force_login(coordinator)
    page = client.post("/organ/ledningsrad-shvo/status/", {"status": "closed", "effective_from": "2023-03-01"})
    assert "finns redan en statusändring detta datum" in page.content.decode()


def test_ending_a_membership_before_it_began_is_refused(client, admin_user, ref_group):
    client.force_login(admin_user)
    m = Membership.objects.filter(body=ref_group, subregion__isnull=False).first()
    page = client.post(f"/uppdrag/{m.pk}/avsluta/", {"end_date": "2020-01-01"}).content.decode()
    assert "före uppdragets start" in page
    m.refresh_from_db()
    assert m.end_date is None


def test_replace_form_ends_old_and_starts_new(client, admin_user, ref_group):
    client.force_login(admin_user)
    m = Membership.objects.get(body=ref_group, person__last_name="Öberg")
    response = client.post(
        f"/uppdrag/{m.pk}/ersatt/",
        {"new_first_name": "Ny", "new_last_name": "Skaraborgare", "start_date": "2026-06-01"},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end_date == datetime.date(2026, 5, 31)
    assert Membership.objects.get(person__last_name="Skaraborgare").replaces == m
