"""The meeting pages cost a fixed number of queries whatever the data (more people, seats, bodies, items, decisions,
actions, attendance and history), and every part they keep (core.kept) shows a change the next time: a renamed
person, body or account, a new seat, a new decision or attendance row, the next state of the minutes."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from core import audit
from governance import services as governance_services
from governance.models import Body, Membership
from meetings import services
from meetings.forms import choices_of
from meetings.models import Attendance, Meeting

from .factories import add_item, make_body, make_membership, make_person, superuser, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    return Meeting.objects.get(body__slug="referensgrupp-shvo", date=datetime.date(2026, 3, 5))


def _grow(meeting):
    """More of everything around the planned meeting: people and seats in its body, bodies, items with decisions and
    actions, the attendance, and the history all of that writes."""
    secretary = meeting.secretary.user
    for _ in range(6):
        make_membership(body=meeting.body, person=make_person(user=False))
        make_person(user=False)
    for _ in range(3):
        make_body()
    for n in range(4):
        item = add_item(meeting, f"Tillväxtpunkt {n}")
        services.decision_add(actor=secretary, item=item, kind="decision", text=f"Beslut {n}")
        services.action_add(actor=secretary, item=item, text=f"Åtgärd {n}", owner="GITS")
    services.attendance_fill(actor=secretary, meeting=meeting)


# (page, expected queries as the administrator: the session, the user, then the page's own)
PAGES = {
    # the meeting, its justerare and co-secretaries, and the version of the member list (the form's lists are kept)
    "meeting_edit": (lambda m, p: f"/moten/{m.pk}/andra/", 7),
    # the body; the planner's person; the version of the member list
    "meeting_create": (lambda m, p: f"/organ/{m.body.slug}/moten/nytt/", 5),
    # the meeting; the keys of its history; the versions of what the entries name; the accounts who wrote them
    "meeting_history": (lambda m, p: f"/moten/{m.pk}/historik/", 6),
    # the item with its meeting, body and minutes, the formsets' rows and the kept options' versions
    "item_minutes": (lambda m, p: f"/punkter/{m.items.order_by('position').first().pk}/anteckningar/", 8),
    # the meeting, its attendance, the people's version, the people on the list, the subregions and the form's rows
    "attendance": (lambda m, p: f"/moten/{m.pk}/narvaro/", 8),
    # the meeting; the user's person (justerare?); the justering responses; the corrections; the versions of the
    # meeting's rows (its facts, agenda, attendance and justering are kept)
    "meeting_detail": (lambda m, p: f"/moten/{p.pk}/", 7),
    # the meeting with its minutes and its agenda items
    "correction_create": (lambda m, p: f"/moten/{p.pk}/rattelse/ny/", 5),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_meeting_page_makes_the_same_queries_with_more_data(
    name, client, admin_user, demo_planned_meeting, published, django_assert_num_queries
):
    url_of, expected = PAGES[name]
    client.force_login(admin_user)
    url = url_of(demo_planned_meeting, published)
    assert client.get(url).status_code == 200  # builds what the page keeps
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _grow(demo_planned_meeting)
    url = url_of(demo_planned_meeting, published)
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_public_meeting_page_costs_three_queries_once_kept(client, published, django_assert_num_queries):
    url = f"/moten/{published.pk}/"
    client.get(url)
    with django_assert_num_queries(3):  # the meeting; its approved corrections; the versions of its rows
        assert client.get(url).status_code == 200


# --- what is kept shows every change -------------------------------------------------------------------------------


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_meeting_form_lists_a_renamed_member_and_a_new_one_as_justerare(client, admin_user, demo_planned_meeting):
    client.force_login(admin_user)
    url = f"/moten/{demo_planned_meeting.pk}/andra/"
    member = Membership.objects.current().filter(body=demo_planned_meeting.body).select_related("person").first()
    assert f"> {member.person}</label>" in _page(client, url)  # the justerare's checkbox
    member.person.first_name = "Omdöpt"
    audit.save(member.person, actor=admin_user, reason="test")
    assert f"> Omdöpt {member.person.last_name}</label>" in _page(client, url)
    newcomer = make_person(user=False, first_name="Nytillsatt", last_name="Ledamot")
    assert "Nytillsatt Ledamot" not in _page(client, url)
    governance_services.membership_appoint(
        actor=superuser(),
        body=demo_planned_meeting.body,
        membership=Membership(role=Membership.Role.MEMBER, start_date=datetime.date(2020, 1, 1)),
        person=newcomer,
    )
    page = _page(client, url)
    assert page.count("> Nytillsatt Ledamot</label>") == 2  # justerare and co-secretary
    assert ">Nytillsatt Ledamot</option>" in page  # secretary and chair


def test_the_minutes_page_offers_a_renamed_body_and_a_new_one(client, admin_user, demo_planned_meeting):
    client.force_login(admin_user)
    item = add_item(demo_planned_meeting, "Eskalering")
    services.decision_add(actor=demo_planned_meeting.secretary.user, item=item, kind="decision", text="Lyfts")
    url = f"/punkter/{item.pk}/anteckningar/"
    body = Body.objects.get(slug="sitiv")
    assert f">{body.name}</option>" in _page(client, url)
    body.name = "Styrgruppen med nytt namn"
    governance_services.body_save(actor=superuser(), body=body)
    page = _page(client, url)
    assert ">Styrgruppen med nytt namn</option>" in page and page.count(">Styrgruppen med nytt namn</option>") == 2
    make_body("Helt nytt organ")
    assert ">Helt nytt organ</option>" in _page(client, url)


def test_the_minutes_form_shows_new_notes_decisions_actions_the_rows_asked_for_and_the_lock(
    client, demo_planned_meeting
):
    meeting, secretary = demo_planned_meeting, demo_planned_meeting.secretary.user
    client.force_login(secretary)
    item = add_item(meeting, "Punkt med anteckningar")
    url = f"/punkter/{item.pk}/anteckningar/"
    assert 'name="decisions-TOTAL_FORMS" value="1"' in _page(client, url)
    services.item_minutes_save(actor=secretary, item=item, discussion="<p>Nya anteckningar om punkten.</p>")
    assert "Nya anteckningar om punkten." in _page(client, url)
    decision = services.decision_add(actor=secretary, item=item, kind="decision", text="Ett ställningstagande")
    page = _page(client, url)
    assert "Ett ställningstagande" in page and 'name="decisions-TOTAL_FORMS" value="2"' in page
    services.decision_update(actor=secretary, decision=decision, kind="decision", text="Ett ändrat ställningstagande")
    assert "Ett ändrat ställningstagande" in _page(client, url)
    services.action_add(actor=secretary, item=item, text="Skicka ut underlaget", owner="GITS")
    assert "Skicka ut underlaget" in _page(client, url)
    assert 'name="decisions-TOTAL_FORMS" value="4"' in _page(client, url + "?beslut=3")
    meeting.date = today() - datetime.timedelta(days=1)
    services.meeting_update(actor=secretary, meeting=meeting)
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    page = _page(client, url)
    assert "Protokollet kan inte ändras nu" in page and "<strong>§ " in page and "Ett ändrat ställningstagande" in page
    assert 'name="decisions-TOTAL_FORMS"' not in page


def test_the_body_options_are_labelled_as_bodies_name_themselves():
    bodies = Body.objects.order_by("sort_order", "name")
    assert choices_of(bodies, "name") == [(b.pk, str(b)) for b in bodies]


def test_the_history_shows_a_new_change_a_renamed_person_and_a_renamed_account(
    client, admin_user, demo_planned_meeting
):
    client.force_login(admin_user)
    meeting, secretary = demo_planned_meeting, demo_planned_meeting.secretary.user
    url = f"/moten/{meeting.pk}/historik/"
    _page(client, url)
    services.attendance_fill(actor=secretary, meeting=meeting)
    page = _page(client, url)
    row = Attendance.objects.filter(meeting=meeting, person__isnull=False).select_related("person").first()
    assert str(row.person) in page
    row.person.last_name = "Bytt-Efternamn"
    audit.save(row.person, actor=admin_user, reason="test")
    assert f"{row.person.first_name} Bytt-Efternamn" in _page(client, url)
    secretary.first_name, secretary.last_name = "Kontot", "Omdöpt"
    secretary.save()  # an account keeps no history: its name is written in at each request
    assert "<strong>Kontot Omdöpt</strong>" in _page(client, url)
    get_user_model().objects.filter(pk=secretary.pk).delete()
    page = _page(client, url)
    assert "Kontot Omdöpt" not in page and "<strong>Systemet</strong>" in page


def test_the_meeting_page_shows_a_new_item_decision_attendance_and_renamed_member(
    client, demo_planned_meeting, admin_user
):
    meeting, secretary = demo_planned_meeting, demo_planned_meeting.secretary.user
    services.agenda_publish(actor=secretary, meeting=meeting)
    client.force_login(get_user_model().objects.get(username="fyrbodal"))  # a member: sees the published agenda
    url = f"/moten/{meeting.pk}/"
    _page(client, url)
    item = add_item(meeting, "Ny punkt på dagordningen")
    assert "Ny punkt på dagordningen" in _page(client, url)
    services.decision_add(actor=secretary, item=item, kind="decision", text="Ett nytt ställningstagande")
    assert "Ett nytt ställningstagande" in _page(client, url)
    services.attendance_fill(actor=secretary, meeting=meeting)
    row = Attendance.objects.filter(meeting=meeting, person__isnull=False).select_related("person").first()
    assert str(row.person) in _page(client, url)
    row.person.first_name = "Närvarande"
    audit.save(row.person, actor=admin_user, reason="test")
    assert f"Närvarande {row.person.last_name}" in _page(client, url)
    adjuster = make_membership(body=meeting.body, person=make_person(first_name="Ny", last_name="Justerare")).person
    services.meeting_update(actor=secretary, meeting=meeting, adjusters=[adjuster])
    assert "<dt>Justerare</dt><dd>Ny Justerare</dd>" in _page(client, url)


def test_the_public_meeting_page_shows_a_renamed_attendee_and_chair(client, published, admin_user):
    url = f"/moten/{published.pk}/"
    row = Attendance.objects.filter(meeting=published, person__isnull=False).select_related("person").first()
    assert str(row.person) in _page(client, url)
    row.person.first_name = "Omdöpt"
    audit.save(row.person, actor=admin_user, reason="test")
    assert f"Omdöpt {row.person.last_name}" in _page(client, url)
    chair = published.chair
    chair.last_name = "Ordförandesson"
    audit.save(chair, actor=admin_user, reason="test")
    assert f"<dt>Ordförande</dt><dd>{chair.first_name} Ordförandesson</dd>" in _page(client, url)


def test_a_meeting_page_keeps_nothing_for_the_secretary_who_may_still_change_it(client, demo_planned_meeting):
    from core import kept

    client.force_login(demo_planned_meeting.secretary.user)
    kept.forget_all()
    page = _page(client, f"/moten/{demo_planned_meeting.pk}/")
    assert "Skriv anteckningar" in page and 'name="csrfmiddlewaretoken"' in page  # the item tools, with their forms
    assert not any(key.startswith("meeting-page:") for key in kept._KEPT)


def test_postgres_reads_choice_lists_without_a_server_side_cursor():
    from shvo.settings import database_settings

    db = database_settings("postgres://u@h/db", conn_max_age=0, connect_timeout=5, statement_timeout_ms=0)
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_a_kept_history_page_is_the_page_rendered_anew(client, admin_user, published):
    import re

    from core import kept

    client.force_login(admin_user)
    url = f"/moten/{published.pk}/historik/"

    def page() -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", _page(client, url))

    fresh = page()
    assert any(key.startswith("history:") for key in kept._KEPT)
    assert page() == fresh and "<strong>Elin Sjöberg</strong>" in fresh  # who wrote it, written in at each request
