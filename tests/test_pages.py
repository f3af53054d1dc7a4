"""Public pages render in Swedish for anyone, with a bounded number of queries."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from governance.models import Body, Membership, Organisation, Person, PopulationFigure

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/organ/",
    "/organ/referensgrupp-shvo/",
    "/delregioner/",
    "/delregioner/fyrbodal/",
    "/organisationer/",
    "/organisationer/uddevalla/",
    "/organ/referensgrupp-shvo/uppdragsbeskrivning/1/",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_page_is_readable_without_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()


def test_start_page_shows_the_governance_chart_in_swedish(client):
    page = client.get("/").content.decode()
    assert "Vem ger vem uppdraget" in page and "Referensgrupp SHVO" in page and "Styrgrupp IT i Väst" in page
    assert '<svg role="img"' in page


def test_person_page_needs_a_login(client):
    person = Person.objects.first()
    response = client.get(person.get_absolute_url())
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_population_is_shown_with_swedish_thousands_separator(client):
    page = client.get("/organisationer/goteborg/").content.decode()
    figure = PopulationFigure.objects.get(organisation__slug="goteborg").population
    assert f"{figure:,}".replace(",", "\xa0") in page


def test_dates_are_shown_as_iso_dates(client):
    assert "2023-03-01" in client.get("/organ/ledningsrad-shvo/").content.decode()


def test_municipalities_sort_the_swedish_way(db):
    from core.collation import swedish

    names = list(
        Organisation.objects.filter(kind="municipality").order_by(swedish("name")).values_list("name", flat=True)
    )
    assert names[-2:] == ["Åmål", "Öckerö"]
    assert names.index("Vårgårda") < names.index("Vänersborg")


def test_seed_demo_twice_changes_nothing(db):
    from django.apps import apps

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    before = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == before


def test_seed_holds_the_real_structure(db):
    assert Organisation.objects.filter(kind="municipality").count() == 49
    assert Body.objects.get(slug="referensgrupp-shvo").mandate_giver.short_name == "VVG"
    assert Body.objects.get(slug="gits").mandate_giver.short_name == "SITIV"
    by_subregion = dict(
        Organisation.objects.filter(kind="municipality").values_list("subregion__short_name").annotate(n=Count("id"))
    )
    assert by_subregion == {
        "Fyrbodal": 15,
        "Göteborgsområdet": 5,
        "SAMLA": 2,
        "SIMBA": 4,
        "Skaraborg": 15,
        "Södra Älvsborg": 8,
    }


def _grow(body):
    """Add data that a page lists, to prove its query count does not grow with it."""
    org = Organisation.objects.get(slug="uddevalla")
    for i in range(15):
        p = Person.objects.create(first_name=f"Extra{i}", last_name="Person", organisation=org)
        Membership.objects.create(person=p, body=body, role="substitute", start_date=datetime.date(2026, 1, 1))
        Membership.objects.create(
            person=p,
            body=body,
            role="co_opted",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2021, 1, 1),
        )
    for i in range(5):
        Body.objects.create(name=f"Arbetsgrupp {i}", slug=f"ag-{i}", kind="working", mandate_giver=body)
    PopulationFigure.objects.create(organisation=org, year=2025, population=57000)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/organ/",
        "/organ/referensgrupp-shvo/",
        "/delregioner/fyrbodal/",
        "/organisationer/",
        "/organisationer/uddevalla/",
    ],
)
def test_page_query_count_does_not_grow_with_the_data(client, django_assert_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    _grow(Body.objects.get(slug="referensgrupp-shvo"))
    with django_assert_num_queries(len(before)):
        assert client.get(url).status_code == 200


def test_english_browser_still_gets_swedish_dates(client):
    page = client.get("/organ/referensgrupp-shvo/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "2026-01-01" in page and "Jan. 1, 2026" not in page


def test_long_member_lists_are_paged(client):
    org = Organisation.objects.get(slug="uddevalla")
    body = Body.objects.get(slug="referensgrupp-shvo")
    for i in range(60):
        p = Person.objects.create(first_name=f"Sidans{i:02d}", last_name="Person", organisation=org)
        Membership.objects.create(person=p, body=body, role="substitute", start_date=datetime.date(2026, 1, 1))
    first = client.get("/organisationer/uddevalla/").content.decode()
    assert "Sida 1 av 2" in first and 'href="?sida=2"' in first
    second = client.get("/organisationer/uddevalla/?sida=2").content.decode()
    assert "Sida 2 av 2" in second
    assert client.get("/organisationer/uddevalla/?sida=99").status_code == 200  # out of range: the last page
