"""The governance form pages: a fixed number of queries whatever the data (lists of bodies and organisations come
from kept option lists, core.kept), and every kept list follows the data it shows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import audit
from governance import services
from governance.models import Body, Charter, Membership, Organisation, Person

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _admin():
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def admin_client(client):
    client.force_login(_admin())
    return client


def _seat():
    """A representative's seat in the reference group (the subregion administrator's kind of seat)."""
    return Membership.objects.filter(body__slug="referensgrupp-shvo", subregion__isnull=False).order_by("pk").first()


def _pages():
    seat = _seat()
    person = Person.objects.filter(user__isnull=True).order_by("pk").first()
    return {
        "/organ/nytt/": 5,  # session, user; the bodies' version; subregions; mandate parties
        "/organ/referensgrupp-shvo/andra/": 7,  # … and the body, its mandate parties
        "/organ/referensgrupp-shvo/uppdrag/nytt/": 6,  # session, user, body; people's and organisations' versions; subregions
        f"/uppdrag/{seat.pk}/andra/": 6,  # session, user, the seat; people's and organisations' versions; subregions
        f"/uppdrag/{seat.pk}/ersatt/": 6,  # session, user, the seat; its successor; people's and organisations' versions
        f"/personer/{person.pk}/konto/": 4,  # session, user, the person; the running and coming seats
        "/organ/referensgrupp-shvo/uppdragsbeskrivning/ny/": 4,  # session, user, body; its latest charter
        "/organ/referensgrupp-shvo/vakans/ny/": 4,  # session, user, body; subregions
    }


def _grow():
    """More of everything these forms list: bodies, people, organisations, seats and charters."""
    admin = _admin()
    body = Body.objects.get(slug="referensgrupp-shvo")
    person = Person.objects.filter(user__isnull=True).order_by("pk").first()
    for i in range(5):
        audit.create(Body, actor=admin, reason="test", name=f"Växande grupp {i}", slug=f"vaxande-{i}", kind="working")
        audit.create(Organisation, actor=admin, reason="test", name=f"Förbund {i}", slug=f"forbund-{i}", kind="other")
        extra = audit.create(Person, actor=admin, reason="test", first_name="Extra", last_name=f"Person {i}")
        audit.create(
            Membership, actor=admin, reason="test", person=extra, body=body, start_date=datetime.date(2026, 1, 1)
        )
        audit.create(
            Membership,
            actor=admin,
            reason="test",
            person=person,
            body=body,
            role="co_opted",
            start_date=datetime.date(2026, 1, 1),
        )
    audit.create(
        Charter, actor=admin, reason="test", body=body, version=99, valid_from=datetime.date(2026, 1, 1), purpose="x"
    )


def test_form_pages_ask_as_many_queries_whatever_the_data(admin_client, django_assert_num_queries):
    pages = _pages()
    for url in pages:
        assert admin_client.get(url).status_code == 200  # the lists are kept from here on
    for url, count in pages.items():
        with django_assert_num_queries(count, info=url):
            assert admin_client.get(url).status_code == 200
    _grow()
    for url in pages:
        admin_client.get(url)  # the new versions' lists are built once
    for url, count in pages.items():
        with django_assert_num_queries(count, info=url):
            assert admin_client.get(url).status_code == 200


def test_a_list_is_built_once_per_version(admin_client):
    admin_client.get("/organ/nytt/")
    with CaptureQueriesContext(connection) as first:
        admin_client.get("/organ/nytt/")
    assert not any('"governance_body"."name"' in q["sql"] for q in first.captured_queries)  # no body read for it


# --- the kept lists follow the data ------------------------------------------------------------------------------


def _options(page: str, field: str) -> str:
    start = page.index(f'name="{field}"')
    return page[start : page.index("</select>", start)]


def test_a_renamed_body_shows_with_its_new_name_on_the_next_form(admin_client):
    sitiv = Body.objects.get(slug="sitiv")
    assert f">{sitiv.name}<" in _options(admin_client.get("/organ/nytt/").content.decode(), "mandate_giver")
    sitiv.name = "Styrgruppen med nytt namn"
    services.body_save(actor=_admin(), body=sitiv)
    page = admin_client.get("/organ/nytt/").content.decode()
    for field in ("mandate_giver", "convener"):
        assert ">Styrgruppen med nytt namn<" in _options(page, field)


def test_a_new_body_is_offered_as_mandate_giver_on_the_next_form(admin_client):
    admin_client.get("/organ/referensgrupp-shvo/andra/")
    response = admin_client.post(
        "/organ/nytt/",
        {"name": "Ny arbetsgrupp", "slug": "ny-arbetsgrupp", "kind": "working", "level": "county", "sort_order": 100},
    )
    assert response.status_code == 302
    page = admin_client.get("/organ/referensgrupp-shvo/andra/").content.decode()
    new = Body.objects.get(slug="ny-arbetsgrupp")
    assert f'<option value="{new.pk}">Ny arbetsgrupp</option>' in _options(page, "mandate_giver")


def test_a_body_is_not_offered_as_its_own_mandate_giver(admin_client):
    body = Body.objects.get(slug="referensgrupp-shvo")
    admin_client.get("/organ/nytt/")  # the list of every body is kept, this one included
    page = admin_client.get("/organ/referensgrupp-shvo/andra/").content.decode()
    for field in ("mandate_giver", "convener"):
        assert f'<option value="{body.pk}"' not in _options(page, field)
    assert f'<option value="{body.mandate_giver_id}" selected>' in _options(page, "mandate_giver")
    # A form sent back with an error (and a new name typed in) still leaves the body out.
    page = admin_client.post("/organ/referensgrupp-shvo/andra/", {"name": "Annat namn", "slug": ""}).content.decode()
    assert f'<option value="{body.pk}"' not in _options(page, "mandate_giver")
    assert ">Annat namn<" not in _options(page, "mandate_giver")


def test_an_organisation_renamed_in_the_admin_shows_with_its_new_name_on_the_next_form(admin_client):
    url = "/organ/referensgrupp-shvo/uppdrag/nytt/"
    region = Organisation.objects.get(kind=Organisation.Kind.REGION)
    page = admin_client.get(url).content.decode()
    assert f">{region.name}<" in _options(page, "party") and f">{region.name}<" in _options(page, "new_organisation")
    change = f"/admin/governance/organisation/{region.pk}/change/"
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "name": "Regionen med nytt namn",
            "population_figures-TOTAL_FORMS": "0",
            "population_figures-INITIAL_FORMS": "0",
        }
    )
    assert admin_client.post(change, data).status_code == 302
    page = admin_client.get(url).content.decode()
    for field in ("party", "new_organisation"):
        assert ">Regionen med nytt namn<" in _options(page, field)


def test_a_subregion_administrator_gets_her_subregions_organisations_after_the_admins_list(client, admin_fyrbodal):
    """Lists of other rows of the same table are kept apart (their SQL is part of the key)."""
    url = "/organ/referensgrupp-shvo/uppdrag/nytt/"
    client.force_login(_admin())
    everyone = _options(client.get(url).content.decode(), "new_organisation")
    client.force_login(admin_fyrbodal)
    theirs = _options(client.get(url).content.decode(), "new_organisation")
    assert ">Göteborg<" in everyone and ">Göteborg<" not in theirs
    assert ">Uddevalla<" in theirs and theirs.count("<option") < everyone.count("<option")


# --- the invitation page ---------------------------------------------------------------------------------------------


def test_the_invitation_lists_the_running_and_coming_seats_only(admin_client):
    admin = _admin()
    person = Person.objects.filter(user__isnull=True).order_by("pk").first()
    body = Body.objects.get(slug="gits")
    today = datetime.date.today()
    seats = [
        ("member", today - 400 * DAY, today - DAY),  # ended yesterday: gives nothing
        ("substitute", today - 10 * DAY, None),
        ("co_opted", today + 30 * DAY, today + 400 * DAY),
    ]
    for role, start, end in seats:
        audit.create(
            Membership, actor=admin, reason="test", person=person, body=body, role=role, start_date=start, end_date=end
        )
    page = admin_client.get(f"/personer/{person.pk}/konto/").content.decode()
    assert f"<li>Ersättare i {body.name}, från {seats[1][1].isoformat()}</li>" in page
    assert (
        f"<li>Adjungerad i {body.name}, från {seats[2][1].isoformat()} till och med {seats[2][2].isoformat()}</li>"
        in page
    )
    assert f"från {seats[0][1].isoformat()}" not in page
