"""The governance pages keep what everyone sees per version of the structure (governance.fragments): a visit costs a
fixed number of queries however much data there is, and every change made through the services shows on the next
visit. What a visitor may do (a seat's action links) is asked of the rules each time, never kept."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core import audit
from governance import services
from governance.models import (
    Body,
    BodyStatusChange,
    Charter,
    Membership,
    Organisation,
    Person,
    PopulationFigure,
    Subregion,
    Vacancy,
)
from tests.factories import DAY, make_membership, make_person, superuser, today

pytestmark = pytest.mark.django_db

BODY = "/organ/referensgrupp-shvo/"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _past(html: str) -> str:
    """The page's past members (empty when it lists none)."""
    return html.split('id="past-heading"')[1] if 'id="past-heading"' in html else ""


def _grow(body: Body) -> None:
    """More of everything the pages list: seats running, seats ended, coming successors, people, figures."""
    org = Organisation.objects.get(slug="uddevalla")
    fyrbodal = Subregion.objects.get(short_name="Fyrbodal")
    for i in range(60):
        p = Person.objects.create(first_name=f"Extra{i}", last_name="Växer", organisation=org)
        Membership.objects.create(person=p, body=body, role="substitute", subregion=fyrbodal, start_date=today() - DAY)
        Membership.objects.create(
            person=p, body=body, role="co_opted", start_date=datetime.date(2020, 1, 1), end_date=today() - 30 * DAY
        )
    PopulationFigure.objects.create(organisation=org, year=2031, population=57000)


# --- the number of queries does not grow with the data -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "who", "queries"),
    [
        # the version, and the meetings box (meetings app)
        (BODY, None, 2),
        (BODY + "?sida=2", None, 2),
        # + the session and the account, and the body's case counts (never kept: governance.case_waiting.body_cases)
        (BODY, "admin", 5),
        # + the subregion administrator's subregions and seats, and which subregions the body gives seats
        (BODY, "admin-fyrbodal", 7),
        ("/organisationer/uddevalla/", None, 1),
        ("/organisationer/", None, 1),
        ("/delregioner/fyrbodal/", None, 1),
        # the session, the account, the person (and their account), the version
        ("/personer/{person}/", "admin", 4),
    ],
)
def test_a_visit_to_a_kept_page_costs_the_same_queries_with_more_data(
    client, django_assert_num_queries, url, who, queries
):
    from django.contrib.auth import get_user_model

    if who:
        client.force_login(get_user_model().objects.get(username=who))
    body = Body.objects.get(slug="referensgrupp-shvo")
    url = url.format(person=Membership.objects.filter(body=body).first().person_id)
    for grown in (False, True):
        if grown:
            _grow(body)
        client.get(url)  # builds what the new version shows
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


# --- every change through the services shows on the next visit ---------------------------------------------------


def test_the_body_page_shows_a_new_seat_an_ended_one_and_a_renamed_person(client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    assert "Nyvald Ledamot" not in _page(client, BODY)
    seat = make_membership(body=body, person=make_person(first_name="Nyvald", last_name="Ledamot"))
    assert "Nyvald Ledamot" in _page(client, BODY)
    person = seat.person
    person.first_name = "Omdöpt"
    audit.save(person, actor=superuser(), reason="test")
    page = _page(client, BODY)
    assert "Omdöpt Ledamot" in page and "Nyvald Ledamot" not in page
    services.membership_end(actor=superuser(), membership=seat, end_date=today() - DAY)
    assert "Omdöpt Ledamot" in _past(_page(client, BODY))


def test_the_body_page_shows_a_new_status_charter_rule_finding_and_vacancy(client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    before = _page(client, BODY)
    services.body_change_status(
        actor=superuser(), body=body, status=BodyStatusChange.Status.PAUSED, effective_from=today(), note="Paus i test"
    )
    services.charter_create_version(
        actor=superuser(),
        body=body,
        charter=Charter(valid_from=today(), purpose="Ett helt nytt syfte i testet."),
    )
    services.vacancy_register(
        actor=superuser(),
        body=body,
        vacancy=Vacancy(subregion=Subregion.objects.get(short_name="SAMLA"), since=today()),
    )
    after = _page(client, BODY)
    assert "Pausat" in after and "Paus i test" in after and "Paus i test" not in before
    assert "Ett helt nytt syfte i testet." in after
    assert f"Vakant plats: ledamot för SAMLA sedan {today().isoformat()}." in after


def test_the_body_page_shows_a_renamed_body_and_mandate_giver(client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    giver = body.mandate_giver
    _page(client, BODY)
    giver.name = "Ett omdöpt uppdragsgivande organ"
    services.body_save(actor=superuser(), body=giver)
    assert "Ett omdöpt uppdragsgivande organ" in _page(client, BODY)


def test_a_term_that_ends_today_is_past_tomorrow(client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    make_membership(body=body, person=make_person(first_name="Sista", last_name="Dagen"), end=today())
    assert "Sista Dagen" not in _past(_page(client, BODY))
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert "Sista Dagen" in _past(_page(client, BODY))


def test_each_visitor_gets_their_own_action_links_from_the_same_kept_rows(client, admin_user, admin_fyrbodal):
    fyrbodal = Membership.objects.current().filter(body__slug="referensgrupp-shvo", subregion__short_name="Fyrbodal")
    other = (
        Membership.objects.current().filter(body__slug="referensgrupp-shvo").exclude(subregion__short_name="Fyrbodal")
    )
    own, theirs = f'href="/uppdrag/{fyrbodal.first().pk}/avsluta/"', f'href="/uppdrag/{other.first().pk}/avsluta/"'
    anonymous = _page(client, BODY)
    assert own not in anonymous and "Åtgärder" not in anonymous
    client.force_login(admin_fyrbodal)
    page = _page(client, BODY)
    assert own in page and theirs not in page
    client.force_login(admin_user)
    page = _page(client, BODY)
    assert own in page and theirs in page


def test_the_organisation_page_shows_a_new_seat_a_renamed_person_and_a_new_figure(client):
    url = "/organisationer/uddevalla/"
    org = Organisation.objects.get(slug="uddevalla")
    assert "Ny Uddevallabo" not in _page(client, url)
    seat = make_membership(
        body=Body.objects.get(slug="gits"),
        person=make_person(first_name="Ny", last_name="Uddevallabo", organisation=org),
    )
    assert "Ny Uddevallabo" in _page(client, url)
    seat.person.last_name = "Omdöptsson"
    audit.save(seat.person, actor=superuser(), reason="test")
    audit.create(PopulationFigure, actor=superuser(), reason="test", organisation=org, year=2031, population=123456)
    page = _page(client, url)
    assert "Ny Omdöptsson" in page and "Ny Uddevallabo" not in page
    assert "123\xa0456" in page


def test_the_organisation_page_links_names_for_signed_in_visitors_only(client, reader):
    seat = Membership.objects.current().filter(person__organisation__slug="uddevalla").first()
    link = f'href="/personer/{seat.person_id}/"'
    assert link not in _page(client, "/organisationer/uddevalla/")
    client.force_login(reader)
    assert link in _page(client, "/organisationer/uddevalla/")


def test_the_organisation_list_shows_a_renamed_organisation(client):
    org = Organisation.objects.get(slug="uddevalla")
    assert "Uddevalla kommun i test" not in _page(client, "/organisationer/")
    org.name = "Uddevalla kommun i test"
    audit.save(org, actor=superuser(), reason="test")
    assert "Uddevalla kommun i test" in _page(client, "/organisationer/")


def test_the_subregion_page_shows_a_new_representative_and_vacancy(client):
    url = "/delregioner/fyrbodal/"
    fyrbodal = Subregion.objects.get(short_name="Fyrbodal")
    body = Body.objects.get(slug="referensgrupp-shvo")
    before = _page(client, url)
    make_membership(
        body=body, person=make_person(first_name="Fyrbodals", last_name="Nyaste"), subregion=fyrbodal, role="substitute"
    )
    services.vacancy_register(
        actor=superuser(), body=Body.objects.get(slug="gits"), vacancy=Vacancy(subregion=fyrbodal, since=today())
    )
    after = _page(client, url)
    assert "Fyrbodals Nyaste" in after and "Fyrbodals Nyaste" not in before
    assert f"vakant sedan {today().isoformat()}" in after


def test_the_person_page_shows_a_new_seat_and_the_account_as_it_is_now(client, admin_user):
    person = make_person(first_name="Konto", last_name="Personen")
    url = f"/personer/{person.pk}/"
    client.force_login(admin_user)
    assert "Inga pågående uppdrag." in _page(client, url)
    make_membership(body=Body.objects.get(slug="gits"), person=person)
    page = _page(client, url)
    assert "Inga pågående uppdrag." not in page and "Ledamot i <a" in page
    assert "Inbjuden, har inte valt lösenord ännu" in page
    person.user.last_login = timezone.now()  # the account is read each time, not kept: no governance change
    person.user.save(update_fields=["last_login"])
    assert "Har konto" in _page(client, url)


def test_the_body_page_pages_its_seats_and_keeps_each_page(client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    _grow(body)
    first, second = _page(client, BODY), _page(client, BODY + "?sida=2")
    running = Membership.objects.current().filter(body=body).count()
    assert f"Sida 1 av 2 ({running} totalt)" in first and f"Sida 2 av 2 ({running} totalt)" in second
    assert _page(client, BODY + "?sida=99") == second  # out of range: the last page
    assert _page(client, BODY + "?sida=2") == second


# --- the version ---------------------------------------------------------------------------------------------------


def _version() -> str:
    from governance.fragments import structure_version

    return structure_version(today())


def _structure_models():
    from simple_history.models import HistoricalChanges

    from governance.fragments import structure_models

    return [m for m in structure_models() if hasattr(m, "history") and not issubclass(m, HistoricalChanges)]


@pytest.mark.parametrize("model", _structure_models(), ids=lambda m: m.__name__)
def test_every_change_to_the_structure_gives_a_new_version(model):
    row = model.objects.order_by("pk").first()
    if row is None:
        pytest.skip(f"the demo has no {model.__name__}")
    before = _version()
    audit.save(row, actor=superuser(), reason="test")
    assert _version() != before


def test_a_forum_post_leaves_the_structure_as_it_was(rep_fyrbodal):
    """Cases, backlogs and forums are not the structure: writing in them builds no organisation chart again."""
    from governance import backlog
    from tests.factories import make_forum

    forum = make_forum(bodies=[Body.objects.get(slug="referensgrupp-shvo")])
    before = _version()
    backlog.forum_topic_create(actor=rep_fyrbodal, forum=forum, title="Fråga", text="<p>Hur gör ni?</p>")
    assert _version() == before


def test_a_new_row_and_a_deleted_one_give_new_versions():
    before = _version()
    seat = make_membership(body=Body.objects.get(slug="gits"))
    created = _version()
    audit.delete(seat, actor=superuser(), reason="test")
    assert len({before, created, _version()}) == 3


def test_new_mandate_parties_give_a_new_version():
    body = Body.objects.get(slug="sitiv")
    before = _version()
    services.body_save(actor=superuser(), body=body, mandate_parties=list(Organisation.objects.all()[:2]))
    assert _version() != before


def test_the_version_names_the_day():
    assert _version().startswith(today().isoformat())


# --- a person's Historik -----------------------------------------------------------------------------------------


def test_a_persons_history_shows_a_new_change_and_a_renamed_writer(client, admin_user, coordinator):
    person = make_person(first_name="Historisk", last_name="Person")
    url = f"/personer/{person.pk}/historik/"
    client.force_login(admin_user)
    assert "Nytt efternamn" not in _page(client, url)
    person.last_name = "Nytt efternamn"
    audit.save(person, actor=coordinator, reason="Bytte namn i testet")
    page = _page(client, url)
    assert "Bytte namn i testet" in page and coordinator.get_full_name() in page
    coordinator.first_name = "Omdöpt-skribent"  # an account, outside the structure: the page asks its name each time
    coordinator.save(update_fields=["first_name"])
    assert "Omdöpt-skribent" in _page(client, url)


def test_a_persons_history_costs_the_same_queries_with_more_rows(
    client, admin_user, coordinator, django_assert_num_queries
):
    person = make_person(first_name="Historisk", last_name="Person")
    url = f"/personer/{person.pk}/historik/"
    client.force_login(admin_user)
    for n in range(2):
        for i in range(25 * n):
            make_membership(
                body=Body.objects.get(slug="gits"),
                person=person,
                start=today() - (400 + 400 * i) * DAY,
                end=today() - (300 + 400 * i) * DAY,
                actor=None,
            )
        person.title = f"Titel {n}"
        audit.save(person, actor=coordinator, reason="test")
        client.get(url)
        # the session, the account, the person, the page's history keys, the version, the writers' names
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200


def test_each_page_of_a_long_persons_history_is_its_own(client, admin_user, coordinator):
    person = make_person(first_name="Lång", last_name="Historik")
    for n in range(61):
        person.title = f"Titel {n}"
        audit.save(person, actor=coordinator, reason=f"Ändring nummer {n}")
    client.force_login(admin_user)
    url = f"/personer/{person.pk}/historik/"
    pages = {n: _page(client, f"{url}?sida={n}") for n in (3, 2, 4, 1)}  # the order of visits does not matter
    for n, html in pages.items():
        assert f"Sida {n} av 4" in html
    assert "Ändring nummer 60" in pages[1] and "Ändring nummer 20" in pages[3] and "Ändring nummer 20" not in pages[2]
