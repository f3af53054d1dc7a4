"""The public's ways in: the start page leads to the newest published minutes, the plans in force and coming
meetings; one list holds every body's published minutes, filtered by body and year, paged, in a fixed number of
queries; a plan in force says nothing about a budget table that does not exist."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.kept import forget_personal as forget_panels
from governance.models import Body
from meetings.models import Meeting, Minutes
from tests.factories import today

pytestmark = pytest.mark.django_db

LIST = "/protokoll/"


def _demo_published() -> Minutes:
    return Minutes.objects.published().select_related("meeting__body").get(meeting__body__slug="referensgrupp-shvo")


def _published(body: Body, date: datetime.date, n: int) -> Minutes:
    """Published minutes as rows (the list reads no file): data for counting queries, not a lifecycle."""
    meeting = Meeting.objects.create(
        body=body,
        date=date,
        title=f"Möte {n}",
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        mode=Meeting.Mode.DIGITAL,
        video_link="https://video.example.se/m",
    )
    return Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        pdf_sha256=f"{n:064x}",
        pdf_size=20_000,
        published_at=timezone.now(),
    )


def _grow(count: int, *, year: int | None = None) -> None:
    vvg = Body.objects.get(slug="vvg")
    start = datetime.date(year or today().year - 2, 1, 1)
    for n in range(count):
        _published(vvg, start + datetime.timedelta(days=n * 3), 1000 + n)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the start page -----------------------------------------------------------------------------


def test_the_public_start_page_leads_to_the_newest_minutes_the_plans_in_force_and_coming_meetings(client):
    from documents.models import ManagementPlan

    html = client.get("/").content.decode()
    minutes = _demo_published()
    assert f'href="{minutes.pdf_url}"' in html  # the newest published minutes, as PDF
    assert f'href="{LIST}"' in html and "Alla publicerade protokoll" in html
    plan = ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)
    assert "Förvaltningsplaner som gäller" in html and f'href="{plan.get_absolute_url()}"' in html
    assert "Kommande möten" in html
    # A visitor opens no meeting before its minutes are published, and is told where its minutes will come.
    assert "Protokollet från mötet publiceras här när det är justerat" in _text(html)


def test_the_public_sees_every_bodys_coming_meetings_but_opens_only_the_body(client, demo_planned_meeting):
    meeting = demo_planned_meeting
    meeting.place = "Sal Hemlig, plan 3"
    meeting.video_link = "https://video.example.se/hemligt-mote"
    meeting.save()
    html = client.get("/").content.decode()
    coming = html[html.index("Kommande möten") :]
    assert f"{meeting.date:%Y-%m-%d} {meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}" in coming
    assert f'href="{meeting.body.get_absolute_url()}"' in coming
    assert meeting.get_absolute_url() not in html  # the meeting page is the members'
    assert "Sal Hemlig" not in html and "hemligt-mote" not in html  # neither the place nor the video link


def test_a_meeting_already_held_is_not_among_the_coming(client, demo_planned_meeting):
    meeting = demo_planned_meeting
    meeting.date = today() - datetime.timedelta(days=1)
    meeting.save()
    coming = client.get("/").content.decode().split("Kommande möten", 1)[1]
    assert f"{meeting.date:%Y-%m-%d}" not in coming


def test_with_no_meeting_planned_the_start_page_says_so(client):
    Meeting.objects.filter(date__gte=today()).delete()
    assert "Inga möten är planerade just nu" in _text(client.get("/").content.decode())


def test_a_member_sees_her_bodies_coming_meetings_on_the_start_page(client, rep_fyrbodal, demo_planned_meeting):
    client.force_login(rep_fyrbodal)
    html = client.get("/").content.decode()
    start = html.index("Kommande möten")
    assert f'href="{demo_planned_meeting.get_absolute_url()}"' in html[start:]


def test_the_start_page_says_what_to_expect_when_nothing_is_published(client):
    Minutes.objects.update(status=Minutes.Status.JUSTERAT)
    page = _text(client.get("/").content.decode())
    assert "Inga protokoll är publicerade ännu." in page


def test_the_main_menu_leads_to_the_published_minutes(client):
    menu = re.search(r'<nav aria-label="Huvudmeny".*?</nav>', client.get("/").content.decode(), re.S).group()
    assert f'<a href="{LIST}">Protokoll</a>' in menu


def test_the_anonymous_start_page_query_count_does_not_grow_with_published_minutes(client, django_assert_num_queries):
    client.get("/")  # the chart is rendered once and kept (governance.chart.rendered)
    forget_panels()  # the panels are built afresh both times (core.waiting.rendered keeps them until a write)
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    _grow(12)
    forget_panels()
    with django_assert_num_queries(len(before)):
        assert client.get("/").status_code == 200


# --- the list of all published minutes ----------------------------------------------------------


def test_everyone_reads_the_list_of_all_published_minutes_with_their_pdf(client):
    minutes = _demo_published()
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Publicerade protokoll</h1>" in html
    assert f'href="{minutes.pdf_url}"' in html and f'href="{minutes.meeting.get_absolute_url()}"' in html
    assert 'aria-current="page">Publicerade protokoll' in html  # breadcrumbs


def test_minutes_not_yet_published_are_not_listed_even_for_the_administrator(client, admin_user, demo_planned_meeting):
    _published(Body.objects.get(slug="vvg"), today() - datetime.timedelta(days=3), 7)
    justerat = Minutes.objects.get(meeting__title="Möte 7")
    justerat.status = Minutes.Status.JUSTERAT
    justerat.save()
    client.force_login(admin_user)
    assert "Möte 7" not in client.get(LIST).content.decode()


def test_the_list_is_filtered_by_body_and_by_year(client):
    _grow(3, year=today().year - 2)
    other_year = today().year - 3
    _published(Body.objects.get(slug="vvg"), datetime.date(other_year, 5, 4), 99)
    everything = client.get(LIST).content.decode()
    assert "Möte 99" in everything and "Möte 1000" in everything and "Dialogmöte" in everything

    vvg = client.get(f"{LIST}?organ=vvg").content.decode()
    assert "Möte 99" in vvg and "Möte 1000" in vvg and "Dialogmöte" not in vvg
    assert '<option value="vvg" selected>' in vvg

    that_year = client.get(f"{LIST}?organ=vvg&ar={other_year}").content.decode()
    assert "Möte 99" in that_year and "Möte 1000" not in that_year
    assert f"Protokoll från Vårdsamverkan Västra Götaland {other_year}" in _text(that_year)
    assert f'<option value="{other_year}" selected>' in that_year


def test_the_filters_offer_the_bodies_and_years_that_have_published_minutes(client):
    _published(Body.objects.get(slug="vvg"), datetime.date(today().year - 4, 2, 2), 5)
    html = client.get(LIST).content.decode()
    organ = re.search(r'<select name="organ".*?</select>', html, re.S).group()
    assert re.findall(r'<option value="([^"]*)"', organ) == ["", "referensgrupp-shvo", "vvg"]
    years = re.findall(r'<option value="(\d*)"', re.search(r'<select name="ar".*?</select>', html, re.S).group())
    assert years == ["", *sorted({str(m.meeting.date.year) for m in Minutes.objects.published()}, reverse=True)]


def test_a_body_without_published_minutes_gets_an_empty_list_that_says_what_to_do(client):
    page = _text(client.get(f"{LIST}?organ=sitiv").content.decode())
    assert "Inga publicerade protokoll från Styrgrupp IT i Väst." in page
    assert "Välj ett annat organ eller år, eller visa alla protokoll" in page


def test_a_year_without_minutes_is_told_in_the_error_summary_and_the_list_shows_all(client):
    html = client.get(f"{LIST}?ar=1999").content.decode()
    assert 'class="error-summary"' in html and "1999" in html and 'href="#id_ar"' in html
    assert f'href="{_demo_published().pdf_url}"' in html


def test_the_list_says_what_to_expect_when_nothing_is_published(client):
    Minutes.objects.update(status=Minutes.Status.JUSTERAT)
    page = _text(client.get(LIST).content.decode())
    assert "Inga protokoll är publicerade ännu." in page and "<select" not in page


def test_a_long_list_is_paged_and_the_pages_keep_the_filter(client):
    _grow(60)
    first = client.get(f"{LIST}?organ=vvg").content.decode()
    assert "Sida 1 av 2" in first
    assert 'href="?organ=vvg&amp;sida=2"' in first
    second = client.get(f"{LIST}?organ=vvg&sida=2").content.decode()
    assert "Sida 2 av 2" in second and "Dialogmöte" not in second


@pytest.mark.parametrize("query", ["", "?organ=vvg", "?ar={year}&sida=2"])
def test_the_list_makes_as_many_queries_for_many_minutes_as_for_few(client, django_assert_num_queries, query):
    query = query.format(year=today().year - 2)
    _grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST + query).status_code == 200
    _grow(70)
    _published(Body.objects.get(slug="sitiv"), today() - datetime.timedelta(days=40), 5000)
    with django_assert_num_queries(len(few)):
        assert client.get(LIST + query).status_code == 200


# --- a plan in force says nothing about a budget that does not exist ----------------------------


def test_the_plan_in_force_says_nothing_about_a_budget_table_to_come(client):
    from django.template.loader import render_to_string

    from documents.models import ManagementPlan
    from documents.views import plan_context

    plan = ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)
    page = client.get(plan.get_absolute_url()).content.decode()
    pdf_html = render_to_string("documents/pdf/plan.html", {**plan_context(plan), "issued_at": timezone.now()})
    for text in (page, pdf_html):
        assert "Budget och finansiering" in text  # the section is still there, with its own text
        assert "senare version av portalen" not in text and "Budgettabellen" not in text
