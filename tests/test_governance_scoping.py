"""Governance's rules answer for anonymous users too; reads are scoped (404 outside, 403 inside); one service fills a
seat with a new person; the start page and the body page compose the panels other apps register."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from core import waiting
from governance import permissions, rules, seat_views, services, views
from governance.models import Body, Membership, Person, Vacancy

pytestmark = pytest.mark.django_db

GOVERNANCE_ACTIONS = [rules.EDIT_BODY, rules.MANAGE_SEAT, rules.APPOINT_IN, rules.VIEW_PERSON, rules.VIEW_HISTORY]


def _request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    return request


# --- anonymous users ---------------------------------------------------------------------------


@pytest.fixture
def action_objects(ref_group, subregion):
    """The object each governance action is asked about."""
    return {
        rules.EDIT_BODY: ref_group,
        rules.MANAGE_SEAT: Membership(body=ref_group, role=Membership.Role.MEMBER, subregion=subregion["Fyrbodal"]),
        rules.APPOINT_IN: ref_group,
        rules.VIEW_PERSON: Person.objects.first(),
        rules.VIEW_HISTORY: ref_group,
    }


@pytest.mark.parametrize("user", [AnonymousUser(), None], ids=["anonymous", "none"])
@pytest.mark.parametrize("action", GOVERNANCE_ACTIONS)
def test_every_governance_action_answers_no_for_an_anonymous_user(user, action, action_objects):
    assert permissions.can(user, action, action_objects[action]) is False


@pytest.mark.parametrize("action", GOVERNANCE_ACTIONS)
def test_the_same_actions_answer_yes_for_the_administrator(action, admin_user, action_objects):
    assert permissions.can(admin_user, action, action_objects[action]) is True


def test_the_public_structure_is_visible_to_anonymous_users_but_people_are_not(reader):
    anonymous = AnonymousUser()
    assert Body.objects.visible_to(anonymous).count() == Body.objects.count() > 0
    assert Membership.objects.visible_to(anonymous).count() == Membership.objects.count()
    assert Vacancy.objects.visible_to(anonymous).count() == Vacancy.objects.count()
    assert not Person.objects.visible_to(anonymous).exists()
    assert Person.objects.visible_to(reader).count() == Person.objects.count() > 0


def test_history_is_for_signed_in_users_who_may_read_the_object(reader, monkeypatch, django_assert_num_queries):
    """VIEW_HISTORY is one rule for every object: signed in, and the object is in its model's visible_to scope. A
    scope that says it is every object for every signed-in user (`signed_in = True`) is answered without a query."""
    person = Person.objects.first()
    with django_assert_num_queries(0):
        assert permissions.can(reader, rules.VIEW_HISTORY, person)
    from governance.querysets import PersonQuerySet

    monkeypatch.setattr(PersonQuerySet, "signed_in", False)
    assert permissions.can(reader, rules.VIEW_HISTORY, person)
    monkeypatch.setattr(PersonQuerySet, "visible_to", lambda self, user: self.none())
    assert not permissions.can(reader, rules.VIEW_HISTORY, person)


# --- 404 outside, 403 inside -------------------------------------------------------------------


def test_a_person_page_is_out_of_scope_for_anonymous_users():
    person = Person.objects.first()
    with pytest.raises(Http404):
        views.person_detail(_request(AnonymousUser()), pk=person.pk)
    with pytest.raises(Http404):
        views.person_history(_request(AnonymousUser()), pk=person.pk)


def test_a_person_page_that_does_not_exist_is_404_and_one_that_does_is_read(client, reader):
    client.force_login(reader)
    assert client.get("/personer/999999/").status_code == 404
    assert client.get("/personer/999999/historik/").status_code == 404
    assert client.get(Person.objects.first().get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/organ/finns-inte/andra/",
        "/organ/finns-inte/status/",
        "/organ/finns-inte/uppdragsbeskrivning/ny/",
        "/organ/finns-inte/uppdrag/nytt/",
        "/organ/finns-inte/vakans/ny/",
        "/organ/finns-inte/historik/",
        "/uppdrag/999999/andra/",
        "/uppdrag/999999/avsluta/",
        "/uppdrag/999999/ersatt/",
    ],
)
def test_action_pages_outside_the_scope_are_404_even_for_the_administrator(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404


def test_action_pages_inside_the_scope_are_403_for_someone_without_the_right(client, reader, ref_group):
    seat = Membership.objects.current().filter(body=ref_group).first()
    client.force_login(reader)
    for path in [
        f"/organ/{ref_group.slug}/andra/",
        f"/organ/{ref_group.slug}/status/",
        f"/organ/{ref_group.slug}/uppdragsbeskrivning/ny/",
        f"/organ/{ref_group.slug}/uppdrag/nytt/",
        f"/organ/{ref_group.slug}/vakans/ny/",
        f"/uppdrag/{seat.pk}/andra/",
        f"/uppdrag/{seat.pk}/avsluta/",
        f"/uppdrag/{seat.pk}/ersatt/",
    ]:
        assert client.get(path).status_code == 403, path
        assert client.post(path, {}).status_code == 403, path


def test_a_seat_view_refuses_through_the_dispatcher(reader, ref_group):
    seat = Membership.objects.current().filter(body=ref_group).first()
    with pytest.raises(PermissionDenied):
        seat_views.membership_end(_request(reader), pk=seat.pk)
    with pytest.raises(PermissionDenied):
        seat_views.vacancy_create(_request(reader), slug=ref_group.slug)


# --- seat checks -------------------------------------------------------------------------------


def test_seat_check_lists_the_refusals_the_service_raises(admin_fyrbodal, ref_group, subregion):
    def seat(role, sub):
        return Membership(body=ref_group, role=role, subregion=subregion[sub])

    assert rules.seat_check(admin_fyrbodal, seat(Membership.Role.MEMBER, "Fyrbodal")) == []
    assert rules.seat_check(admin_fyrbodal, seat(Membership.Role.MEMBER, "Skaraborg")) == [
        str(rules.SEAT_OWN_SUBREGION)
    ]
    secretary = seat(Membership.Role.SECRETARY, "Fyrbodal")
    assert rules.seat_check(admin_fyrbodal, secretary) == [
        str(rules.SEAT_ROLE_NOT_FOR_SUBREGION % {"r": "sekreterare"})
    ]
    with pytest.raises(ValidationError) as refused:
        services.vacancy_save(
            actor=admin_fyrbodal,
            vacancy=Vacancy(body=ref_group, role="secretary", subregion=subregion["Fyrbodal"], since=services.today()),
        )
    assert refused.value.messages == rules.seat_check(admin_fyrbodal, secretary)


def test_the_body_page_offers_seat_links_exactly_where_seat_check_allows(client, admin_fyrbodal, ref_group):
    client.force_login(admin_fyrbodal)
    page = client.get(ref_group.get_absolute_url()).content.decode()
    for m in Membership.objects.current().filter(body=ref_group).select_related("body", "subregion", "person"):
        offered = f"/uppdrag/{m.pk}/ersatt/" in page
        shown = f"{m.person}" in page
        if shown:
            assert offered == (not rules.seat_check(admin_fyrbodal, m)), m


# --- appointing a new person: one service, one transaction --------------------------------------


def _new_person(last_name="Nyanställd"):
    return Person(first_name="Nina", last_name=last_name)


def test_appointing_a_new_person_registers_them_with_the_seat(admin_fyrbodal, ref_group, subregion):
    seat = Membership(role=Membership.Role.SUBSTITUTE, subregion=subregion["Fyrbodal"], start_date=services.today())
    saved = services.membership_appoint(
        actor=admin_fyrbodal, body=ref_group, membership=seat, person=_new_person(), reason="Ny ersättare"
    )
    person = Person.objects.get(last_name="Nyanställd")
    assert saved.person == person and saved.body == ref_group
    for record in (person.history.first(), saved.history.first()):
        assert record.history_user == admin_fyrbodal
    assert person.history.first().history_change_reason == "Person registrerad"
    assert saved.history.first().history_change_reason == "Ny ersättare"


def test_a_refused_seat_registers_nobody(admin_fyrbodal, ref_group, subregion):
    """The seat is not the actor's (another subregion's): no person is created."""
    before = Person.objects.count()
    seat = Membership(role=Membership.Role.MEMBER, subregion=subregion["Skaraborg"], start_date=services.today())
    with pytest.raises(ValidationError) as refused:
        services.membership_appoint(actor=admin_fyrbodal, body=ref_group, membership=seat, person=_new_person())
    assert refused.value.message_dict == {"subregion": [str(rules.SEAT_OWN_SUBREGION)]}
    assert Person.objects.count() == before


def test_a_seat_that_breaks_the_rules_registers_nobody(coordinator, ref_group):
    """Allowed to fill, but the chair is taken: the membership is refused and the new person rolled back with it."""
    assert Membership.objects.current().filter(body=ref_group, role=Membership.Role.CHAIR).exists()
    before = Person.objects.count()
    seat = Membership(role=Membership.Role.CHAIR, start_date=services.today())
    with pytest.raises(ValidationError) as refused:
        services.membership_appoint(actor=coordinator, body=ref_group, membership=seat, person=_new_person())
    assert "role" in refused.value.message_dict
    assert Person.objects.count() == before
    assert not Person.objects.filter(last_name="Nyanställd").exists()


def test_replacing_with_a_new_person_that_is_refused_registers_nobody(admin_fyrbodal, ref_group, subregion):
    seat = Membership.objects.current().filter(body=ref_group, subregion=subregion["Fyrbodal"]).first()
    before = Person.objects.count()
    with pytest.raises(ValidationError):
        services.membership_replace(
            actor=admin_fyrbodal,
            membership=seat,
            person=_new_person(),
            start_date=seat.start_date,  # not after the current term began
        )
    assert Person.objects.count() == before


def test_the_appointment_form_makes_one_service_call(client, admin_fyrbodal, ref_group, subregion):
    client.force_login(admin_fyrbodal)
    response = client.post(
        f"/organ/{ref_group.slug}/uppdrag/nytt/",
        {
            "new_first_name": "Nina",
            "new_last_name": "Formulärsdotter",
            "role": Membership.Role.MEMBER,
            "subregion": subregion["Skaraborg"].pk,
            "start_date": (services.today() + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not Person.objects.filter(last_name="Formulärsdotter").exists()


# --- panels ------------------------------------------------------------------------------------


def test_governance_registers_its_waiting_panel_for_signed_in_users_only(admin_fyrbodal):
    assert "governance/_waiting.html" not in [t for t, _ctx in waiting.panels_for(_request(AnonymousUser()), "home")]
    shown = dict(waiting.panels_for(_request(admin_fyrbodal), "home"))
    assert [s.short_name for s in shown["governance/_waiting.html"]["subregions"]] == ["Fyrbodal"]


def test_the_start_page_renders_the_panels_with_their_keys_at_top_level(client, admin_fyrbodal):
    client.force_login(admin_fyrbodal)
    page = client.get("/").content.decode()
    assert "Väntar på dig" in page and "Du administrerar platserna för" in page
    assert "Väntar på dig" not in client.__class__().get("/").content.decode()


def test_a_panel_registered_for_the_body_slot_is_shown_on_the_body_page(client, ref_group, monkeypatch):
    monkeypatch.setattr(waiting, "_PANELS", dict(waiting._PANELS))
    waiting.panel("components/messages.html", slot="body", order=1)(
        lambda request, body: {"messages": [f"Panel för {body.short_name}"]}
    )
    page = client.get(ref_group.get_absolute_url()).content.decode()
    assert f"Panel för {ref_group.short_name}" in page


def test_the_body_page_shows_the_meetings_box_through_the_body_slot(client, secretary, ref_group):
    """meetings registers its box for the slot "body"; governance renders it without loading meetings' tags."""
    client.force_login(secretary)
    page = client.get(ref_group.get_absolute_url()).content.decode()
    assert 'id="meetings-heading"' in page and "genomförda och" in page


def test_governance_templates_load_no_other_apps_tags():
    from pathlib import Path

    from django.conf import settings

    for template in (Path(settings.BASE_DIR) / "templates" / "governance").glob("*.html"):
        text = template.read_text()
        assert "meeting_tags" not in text and "document_tags" not in text, template.name
