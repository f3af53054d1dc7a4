"""Meetings: agenda, attendance, decisions numbered per body and year, actions, justering and the lock."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import Body, Membership, Person
from meetings import rules, services
from meetings.models import Action, AgendaItem, Attendance, Decision, Meeting, Minutes
from tests.action_states import item_minutes_data

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def meeting(secretary, chair, ref_group):
    adjuster = Person.objects.get(user__username="fyrbodal")
    m = Meeting(
        body=ref_group,
        date=datetime.date(2026, 11, 26),
        start_time=T(9),
        end_time=T(12),
        mode="digital",
        video_link="https://video.example.se/m",
        secretary=Person.objects.get(user=secretary),
        chair=Person.objects.get(user=chair),
    )
    return services.meeting_create(actor=secretary, meeting=m, adjusters=[adjuster])


def add_item(secretary, meeting, title, **kw):
    return services.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title=title, **kw))


def test_new_meeting_offers_previous_minutes_and_open_actions_for_follow_up(meeting):
    titles = list(meeting.items.values_list("title", flat=True))
    assert titles == ["Föregående protokoll", "Uppföljning av åtgärder"]
    follow_up = meeting.items.get(title="Uppföljning av åtgärder").description
    assert "Utse representant till den vakanta platsen – SIMBA" in follow_up  # open action from 2026-03-05


def test_agenda_items_can_be_reordered(secretary, meeting):
    a = add_item(secretary, meeting, "A")
    b = add_item(secretary, meeting, "B")
    services.agenda_item_move(actor=secretary, item=b, direction=-1)
    assert list(meeting.items.order_by("position").values_list("title", flat=True))[-2:] == ["B", "A"]
    assert list(meeting.items.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
    a.refresh_from_db()
    assert a.position == 4


def test_only_the_bodys_secretary_may_build_the_agenda(rep_fyrbodal, meeting):
    with pytest.raises(PermissionDenied):
        add_item(rep_fyrbodal, meeting, "Smygpunkt")


def test_secretary_of_one_body_has_no_right_in_another(secretary):
    sitiv = Body.objects.get(slug="sitiv")
    m = Meeting(body=sitiv, date=datetime.date(2026, 12, 1), start_time=T(9), end_time=T(10), place="X")
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=secretary, meeting=m)


def test_attendance_is_filled_from_memberships_on_the_meeting_date_with_vacancy(secretary, meeting):
    services.attendance_fill(actor=secretary, meeting=meeting)
    rows = list(meeting.attendance.select_related("person", "subregion"))
    people = {str(a.person) for a in rows if a.person}
    assert "Maria Ek" in people and "Anders Holm" in people and "Gustav Ahl" not in people  # ended 2025
    vacant = [a for a in rows if a.status == Attendance.Status.VACANT]
    assert len(vacant) == 1 and vacant[0].subregion.short_name == "SIMBA"
    assert services.attendance_fill(actor=secretary, meeting=meeting) == 0  # idempotent


def test_substitute_must_name_whom_they_replace(secretary, meeting):
    services.attendance_fill(actor=secretary, meeting=meeting)
    row = meeting.attendance.get(person__last_name="Ek")
    row.status = Attendance.Status.SUBSTITUTE
    with pytest.raises(ValidationError) as error:
        services.attendance_save(actor=secretary, attendance=row)
    assert "Ange vem ersättaren går in för" in str(error.value)


def test_decisions_are_numbered_per_body_and_year(secretary, meeting):
    item = add_item(secretary, meeting, "Beslutspunkt", purpose="decision")
    before = Decision.objects.filter(body=meeting.body, year=2026).count()
    p1 = services.decision_add(actor=secretary, item=item, kind="decision", text="Första")
    p2 = services.decision_add(actor=secretary, item=item, kind="noted", text="Andra")
    assert (p1.number, p2.number) == (before + 1, before + 2)
    other = Meeting(
        body=meeting.body,
        date=datetime.date(2025, 1, 20),
        start_time=T(9),
        end_time=T(10),
        mode="digital",
        video_link="https://v.example.se",
    )
    services.meeting_create(actor=secretary, meeting=other)
    p3 = services.decision_add(actor=secretary, item=add_item(secretary, other, "Annat år"), kind="decision", text="X")
    assert (p3.year, p3.number) == (2025, 1)


def test_escalation_needs_a_receiving_body(secretary, meeting):
    item = add_item(secretary, meeting, "Fråga")
    with pytest.raises(ValidationError) as error:
        services.decision_add(actor=secretary, item=item, kind="escalation", text="Lyfts")
    assert "Välj vilket organ" in str(error.value)


def test_discussion_html_is_sanitised(secretary, meeting):
    item = add_item(secretary, meeting, "Text")
    services.item_minutes_save(
        actor=secretary, item=item, discussion='<p onclick="x()">Hej <script>alert(1)</script><strong>å</strong></p>'
    )
    item.refresh_from_db()
    assert item.discussion == "<p>Hej <strong>å</strong></p>"


def _justera(secretary, chair, meeting):
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    services.minutes_respond(actor=Person.objects.get(user__username="fyrbodal").user, meeting=meeting, approve=True)
    return Minutes.objects.get(meeting=meeting)


def test_minutes_are_justerade_only_when_chair_and_every_justerare_approved(secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.IN_JUSTERING
    services.minutes_respond(actor=Person.objects.get(user__username="fyrbodal").user, meeting=meeting, approve=True)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.JUSTERAT and minutes.justerat_at is not None
    names = [(str(p), role, when is not None) for p, role, when in services.justering_block(meeting)]
    assert names == [("Anders Holm", "Ordförande", True), ("Maria Ek", "Justerare", True)]


def test_someone_else_cannot_justera(secretary, rep_skaraborg, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.minutes_respond(actor=rep_skaraborg, meeting=meeting, approve=True)


def test_comment_without_text_is_refused(secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        services.minutes_respond(actor=chair, meeting=meeting, approve=False, comment=" ")


def test_editing_justerade_minutes_is_refused_and_nothing_changes(client, secretary, chair, meeting):
    item = add_item(secretary, meeting, "Punkt")
    services.item_minutes_save(actor=secretary, item=item, discussion="<p>Original</p>")
    _justera(secretary, chair, meeting)
    for call in (
        lambda: services.item_minutes_save(actor=secretary, item=item, discussion="<p>Ändrat</p>"),
        lambda: services.decision_add(actor=secretary, item=item, kind="decision", text="Nytt"),
        lambda: add_item(secretary, meeting, "Ny punkt"),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert "justerat och låst" in str(error.value)
    client.force_login(secretary)
    response = client.post(f"/punkter/{item.pk}/anteckningar/", item_minutes_data(item, discussion="<p>Ändrat</p>"))
    assert "justerat och låst" in response.content.decode()
    item.refresh_from_db()
    assert item.discussion == "<p>Original</p>" and not meeting.items.filter(title="Ny punkt").exists()


def test_withdrawing_from_justering_voids_earlier_approvals(secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    services.minutes_withdraw(actor=secretary, meeting=meeting)
    assert not Minutes.objects.get(meeting=meeting).responses.filter(approved=True).exists()


def test_correction_after_justering_is_linked_and_approved_by_the_chair(secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    minutes = _justera(secretary, chair, meeting)
    correction = services.correction_add(actor=secretary, meeting=meeting, text="Rätt datum är 2026-12-01.")
    services.correction_approve(actor=chair, correction=correction)
    correction.refresh_from_db()
    assert correction.minutes == minutes and correction.approved_by.user == chair


# Seed 004: the LGS Göteborgsområdet minutes of 2023-11-30 – 15 numbered items, decisions, owners and deadlines.
SEED_004 = [
    (
        "Inledning",
        "noted",
        "Dagordningen fastställs med övrig fråga; föregående anteckningar läggs till handlingarna.",
        [],
    ),
    (
        "Länsgemensam uppföljning God och nära vård",
        "decision",
        "Synpunkter på det gemensamma enkätsvaret lämnas till processledaren, som skickar in svaret.",
        [("Lämna synpunkter på gemensamt enkätsvar", "Processledaren LGS", datetime.date(2023, 12, 10))],
    ),
    (
        "Primärvårdens förmåga i krig (PFIK)",
        "decision",
        "Vi bör vara med i arbetet; förslag på personer från kommunal hälso- och sjukvård prioriteras.",
        [("Skicka förslag på namn", "Ledamöterna", datetime.date(2023, 12, 4))],
    ),
    ("Temagrupperna", "decision", "Temagruppernas handlingsplaner tas fram för en tvåårsperiod.", []),
    (
        "Uppföljning Utvecklingsgrupp SAMSA",
        "decision",
        "UG SAMSA:s ordförande lämnar förslag till reviderad uppdragshandling; uppdraget tidsbegränsas.",
        [("Ta fram uppdaterad offert på tjänstedesign", "UG SAMSA", None)],
    ),
    (
        "Delregional rutin för in- och utskrivningsprocessen",
        "decision",
        "UG SAMSA får i uppdrag att ta fram en delregional rutin.",
        [],
    ),
    (
        "Förändrat arbetssätt för LGS",
        "decision",
        "Information skickas ut löpande för att frigöra mötestid för dialog.",
        [],
    ),
    ("Förbättringsarbete", "decision", "En analysgrupp tar fram underlag om förbättringsarbete.", []),
    ("Rapport från temagrupp Äldre", "noted", "Informationen noteras.", []),
    ("Rapport från temagrupp Barn och unga", "noted", "Informationen noteras.", []),
    ("Rapport från temagrupp Psykisk hälsa", "noted", "Informationen noteras.", []),
    ("Ekonomi", "noted", "Informationen noteras.", []),
    ("Kommande möten", "decision", "Mötesplanen för våren fastställs.", []),
    (
        "Övriga frågor",
        "noted",
        "Reservrutinen utan fax och läkemedelsautomater diskuterades.",
        [("Utse ny person till uppdraget", "Ordföranden", datetime.date(2023, 12, 15))],
    ),
    ("Sammanfattning", "noted", "Mötets ställningstaganden sammanfattas.", []),
]


def test_seed_004_minutes_can_be_entered_completely_and_the_summary_is_generated(admin_user):
    lgs = Body.objects.get(slug="lgs-goteborgsomradet")
    meeting = Meeting(
        body=lgs,
        date=datetime.date(2023, 11, 30),
        start_time=T(9),
        end_time=T(12),
        mode="digital",
        video_link="https://video.example.se/lgs",
        chair=Membership.objects.get(body=lgs, role="chair").person,
    )
    services.meeting_create(actor=admin_user, meeting=meeting)
    for title, kind, text, actions in SEED_004:
        item = add_item(admin_user, meeting, title, purpose="decision" if kind == "decision" else "information")
        services.decision_add(actor=admin_user, item=item, kind=kind, text=text)
        for action_text, owner, due in actions:
            services.action_add(actor=admin_user, item=item, text=action_text, owner=owner, due_date=due)
    summary = services.summary(meeting)
    assert len(summary["items"]) == 15
    assert [p.number for p in summary["decisions"]] == list(range(1, 16))  # § 1–15 of LGS 2023
    assert [p.text for p in summary["decisions"]] == [text for _t, _k, text, _a in SEED_004]
    assert [(a.owner, a.due_date) for a in summary["actions"]] == [
        (owner, due) for *_x, actions in SEED_004 for _t, owner, due in actions
    ]
    assert Action.objects.filter(item__meeting=meeting).count() == 4


def test_a_justerare_cannot_approve_twice(secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    with pytest.raises(ValidationError) as error:
        services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    assert "redan godkänt" in str(error.value)


def test_optional_choices_say_valj_in_swedish(client, secretary, meeting):
    client.force_login(secretary)
    item = add_item(secretary, meeting, "Punkt")
    page = client.get(f"/punkter/{item.pk}/anteckningar/").content.decode()
    assert "– Välj –" in page and "Select an option" not in page


def test_meeting_page_stops_offering_justering_to_who_already_approved(client, secretary, chair, meeting):
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    client.force_login(chair)
    assert f"/moten/{meeting.pk}/justering/" in client.get(meeting.get_absolute_url()).content.decode()
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    page = client.get(meeting.get_absolute_url()).content.decode()
    # The page says why, in the rule's own words (meetings.rules.approve_check).
    assert str(rules.ALREADY_APPROVED) in page and f"/moten/{meeting.pk}/justering/" not in page


def test_secretary_follows_up_an_action_from_the_summary_and_is_never_sent_off_site(client, secretary):
    action = Action.objects.filter(item__meeting__date=datetime.date(2026, 3, 5)).first()
    meeting = action.item.meeting
    client.force_login(secretary)
    page = client.get(f"/moten/{meeting.pk}/sammanfattning/").content.decode()
    assert f'action="/atgarder/{action.pk}/status/"' in page
    response = client.post(f"/atgarder/{action.pk}/status/", {"status": "done", "next": "https://evil.example/"})
    assert response["Location"] == meeting.get_absolute_url()
    action.refresh_from_db()
    assert action.status == "done"


def test_members_see_action_status_but_cannot_change_it(client, rep_skaraborg):
    action = Action.objects.filter(item__meeting__date=datetime.date(2026, 3, 5)).first()
    client.force_login(rep_skaraborg)
    page = client.get(f"/moten/{action.item.meeting_id}/sammanfattning/").content.decode()
    assert "/status/" not in page and "Pågår" in page
    assert client.post(f"/atgarder/{action.pk}/status/", {"status": "done"}).status_code == 403


def test_meeting_history_shows_who_changed_the_minutes(client, secretary, chair, meeting):
    item = add_item(secretary, meeting, "Punkt om åtgärder")
    services.decision_add(actor=secretary, item=item, kind="decision", text="Beslut om rutinen")
    client.force_login(chair)
    page = client.get(f"/moten/{meeting.pk}/historik/").content.decode()
    assert "Elin Sjöberg" in page and "Ställningstagande registrerat" in page and "Beslut om rutinen" in page


def test_attendance_page_query_count_does_not_grow_with_the_list(client, secretary, meeting, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.attendance_fill(actor=secretary, meeting=meeting)
    meeting.attendance.filter(person__last_name="Forsberg").update(status=Attendance.Status.ABSENT)
    client.force_login(secretary)
    url = f"/moten/{meeting.pk}/narvaro/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    count = len(before)  # now: the next request clears the connection's query log
    for i in range(12):
        guest = Person.objects.create(first_name=f"Gäst{i}", last_name="Test")
        Attendance.objects.create(meeting=meeting, person=guest, status=Attendance.Status.ABSENT)
    client.get(url)  # new people: the kept list of people is built once more (core.widgets.FastSelect.options_key)
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
