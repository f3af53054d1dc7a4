"""History pages (Historik) read like a change log: rendered text with word-level changes, Swedish field names, local
time, headings that name what changed, who and why, newest first, a page at a time, with as many queries for a long
history as for a short one; the demo's story events are dated as the story goes."""

import datetime
import re
import threading

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import audit, history
from documents import services as plan_services
from documents.models import ManagementPlan, PlanSection
from governance.models import Body, Membership, Person
from meetings import services as meeting_services
from meetings.models import AgendaItem, Attendance, Meeting, Minutes

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def plan2027(db):
    return ManagementPlan.objects.get(year=2027)


@pytest.fixture
def plan2026(db):
    return ManagementPlan.objects.get(year=2026)


def _save(coordinator, section, body):
    section.refresh_from_db()
    return plan_services.section_save(actor=coordinator, section=section, body=body, base_version=section.revision)


def _articles(page: str) -> list[str]:
    return re.findall(r"<article class=\"history-entry\".*?</article>", page, re.S)


def _headings(page: str) -> list[str]:
    return re.findall(r'<h2 class="history-heading"[^>]*>(.*?)</h2>', page)


def _plan_history(client, plan, query=""):
    return client.get(f"/forvaltningsplaner/{plan.pk}/historik/{query}").content.decode()


# --- what an entry shows ------------------------------------------------------------------------------------------


def test_a_changed_section_is_shown_as_text_with_word_level_changes_never_as_html_source(client, coordinator, plan2027):
    section = plan2027.sections.get(key="budget")
    _save(coordinator, section, "<p>Budgeten beslutas av <strong>SITIV</strong> i mars.</p><p>Andra stycket.</p>")
    _save(coordinator, section, "<p>Budgeten beslutas av <strong>SITIV</strong> i april.</p><p>Andra stycket.</p>")
    client.force_login(coordinator)
    page = _plan_history(client, plan2027)
    newest = _articles(page)[0]
    assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page
    diff = re.search(r'<div class="word-diff history-diff">(.*?)</div>', newest, re.S).group(1)
    assert "<del>mars.</del>" in diff and "<ins>april.</ins>" in diff and "Budgeten beslutas av SITIV i" in diff
    assert "Andra stycket" not in diff and "ett oförändrat stycke" in diff  # the unchanged paragraph is counted only
    assert "borttagen text är genomstruken" in page and "tillagd text är understruken" in page  # the legend


def test_a_new_text_is_rendered_and_a_long_one_is_folded(client, coordinator, plan2027):
    goals = plan2027.goals.all()
    long_text = "<p>" + "Ett långt stycke om förvaltningen. " * 20 + "</p>"
    plan_services.goal_save(
        actor=coordinator,
        goal=goals.model(plan=plan2027, category="development", title="Långt mål", description=long_text),
    )
    plan_services.goal_save(
        actor=coordinator,
        goal=goals.model(plan=plan2027, category="development", title="Kort mål", description="<p>Kort</p>"),
    )
    client.force_login(coordinator)
    short, long = _articles(_plan_history(client, plan2027))[:2]  # newest first
    assert '<div class="history-text"><p>Kort</p></div>' in short and "<details" not in short
    assert '<details class="history-fold"><summary>Visa texten</summary>' in long and "<p>Ett långt stycke" in long


def test_fields_have_swedish_names_and_only_changed_fields_are_listed(client, coordinator, plan2027):
    section = plan2027.sections.get(key="purpose")
    _save(coordinator, section, "<p>Nytt syfte</p>")
    client.force_login(coordinator)
    page = _plan_history(client, plan2027)
    newest = _articles(page)[0]
    assert '<h3 class="history-field">Text: ändringar</h3>' in newest
    assert "Ordning" not in newest and "<table" not in newest  # position did not change
    for english in ("Updated at", "Updated by", "History type", "Revision", "Key", "Document", "Plan<"):
        assert english not in page


def test_every_field_a_history_page_can_list_has_a_swedish_name():
    """A field left with Django's default verbose_name (English, from its name) needs a FIELD_LABELS entry or a
    verbose_name; hidden fields are never listed."""
    missing = []
    for model in apps.get_models():
        if not hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        for f in model._meta.concrete_fields:
            default = str(f.verbose_name) == f.name.replace("_", " ")
            if f.name not in history.HIDDEN_FIELDS and default and f.name not in history.FIELD_LABELS:
                missing.append(f"{model._meta.label}.{f.name}")
    assert missing == []


def test_hidden_fields_stay_hidden(client, coordinator, plan2027):
    client.force_login(coordinator)
    page = _plan_history(client, plan2027, "?sida=99")  # the oldest entries: the plan and its sections created
    assert "Skapat Förvaltningsplan SHVO 2027" in page
    assert all(f">{name}<" not in page for name in ("Dokument", "Document", "Slug", "Revision", "Updated at"))


def test_times_are_local_and_in_swedish():
    winter = datetime.datetime(2026, 3, 3, 13, 5, tzinfo=UTC)
    summer = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert history.when_text(winter) == "3 mars 2026 kl. 14.05"
    assert history.when_text(summer) == "1 juni 2026 kl. 14.00"


def test_an_entry_shows_local_time_who_and_the_reason(client, coordinator, plan2027):
    section = plan2027.sections.get(key="purpose")
    _save(coordinator, section, "<p>Ett syfte till</p>")
    row = PlanSection.history.filter(id=section.pk).latest()
    PlanSection.history.filter(history_id=row.history_id).update(
        history_date=timezone.now().replace(hour=13, minute=5, second=0, microsecond=0, tzinfo=UTC)
    )
    client.force_login(coordinator)
    entry = next(a for a in _articles(_plan_history(client, plan2027)) if "Ändrat avsnitt ”Syfte”" in a)
    local = timezone.localtime(PlanSection.history.get(history_id=row.history_id).history_date)
    assert f">{local.day} {history.MONTHS[local.month - 1]} {local.year} kl. {local:%H}.05</time>" in entry
    assert f'datetime="{local.isoformat()}"' in entry
    assert "av <strong>Sara Lind</strong>" in entry and "Skäl:</span> Avsnittet Syfte ändrat" in entry


def test_the_heading_names_the_section_and_the_plan(client, coordinator, plan2027):
    _save(coordinator, plan2027.sections.get(key="budget"), "<p>Ny budgettext</p>")
    client.force_login(coordinator)
    assert _headings(_plan_history(client, plan2027))[0] == (
        "Ändrat avsnitt ”Budget och finansiering” i Förvaltningsplan SHVO 2027"
    )


def test_entries_are_newest_first(client, coordinator, plan2027):
    for key in ("purpose", "budget", "resources"):
        _save(coordinator, plan2027.sections.get(key=key), f"<p>Ny text för {key}</p>")
    client.force_login(coordinator)
    headings = _headings(_plan_history(client, plan2027))
    assert [h.split("”")[1] for h in headings[:3]] == [
        "Resurs- och utbildningsbehov",
        "Budget och finansiering",
        "Syfte",
    ]


def test_a_long_history_is_paged(client, coordinator, plan2027):
    section = plan2027.sections.get(key="budget")
    for n in range(25):
        _save(coordinator, section, f"<p>Version {n} av budgeten</p>")
    total = sum(m.history.filter(**f).count() for m, f in _plan_sources(plan2027))
    client.force_login(coordinator)
    first = _plan_history(client, plan2027)
    assert len(_articles(first)) == history.PER_PAGE
    pages = -(-total // history.PER_PAGE)
    assert f"Sida 1 av {pages} ({total} totalt)" in first and 'href="?sida=2"' in first
    assert "<ins>24</ins>" in _articles(first)[0]
    last = _plan_history(client, plan2027, f"?sida={pages}")
    assert len(_articles(last)) == total - (pages - 1) * history.PER_PAGE
    assert "Skapat Förvaltningsplan SHVO 2027" in _articles(last)[-1]  # the oldest entry ends the last page


def _plan_sources(plan):
    from documents.models import Goal

    return [(ManagementPlan, {"id": plan.pk}), (PlanSection, {"plan_id": plan.pk}), (Goal, {"plan_id": plan.pk})]


# --- queries: as many for a long history as for a short one ------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_plan_history_makes_as_many_queries_for_a_long_history(client, coordinator, plan2027):
    client.force_login(coordinator)
    url = f"/forvaltningsplaner/{plan2027.pk}/historik/"
    before = _queries(client, url)
    for n in range(30):
        _save(coordinator, plan2027.sections.get(key=["budget", "purpose", "goals"][n % 3]), f"<p>Text {n}</p>")
    for n in range(5):
        plan_services.goal_save(
            actor=coordinator, goal=plan2027.goals.model(plan=plan2027, category="development", title=f"Mål {n}")
        )
    assert _queries(client, url) == before
    assert _queries(client, url + "?sida=3") == before


def test_the_meeting_history_makes_as_many_queries_for_a_long_history(client, secretary, chair, ref_group):
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = meeting_services.meeting_create(
        actor=secretary,
        meeting=Meeting(
            body=ref_group,
            date=day,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            mode="physical",
            place="Göteborg",
            secretary=Person.objects.get(user=secretary),
            chair=Person.objects.get(user=chair),
        ),
        adjusters=[Person.objects.get(user__username="fyrbodal")],
    )
    client.force_login(secretary)
    url = f"/moten/{meeting.pk}/historik/"
    before = _queries(client, url)
    for n in range(8):
        item = meeting_services.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title=f"Punkt {n}"))
        meeting_services.decision_add(actor=secretary, item=item, kind="decision", text=f"Beslut {n}")
        meeting_services.action_add(actor=secretary, item=item, text=f"Åtgärd {n}", owner="GITS")
    meeting_services.attendance_fill(actor=secretary, meeting=meeting)
    assert Attendance.objects.filter(meeting=meeting).exists()
    assert _queries(client, url) == before
    assert _queries(client, url + "?sida=2") == before


def test_the_body_and_person_histories_make_as_many_queries_for_a_long_history(client, admin_user, ref_group):
    client.force_login(admin_user)
    person = Person.objects.filter(memberships__body=ref_group).first()
    urls = [f"/organ/{ref_group.slug}/historik/", f"/personer/{person.pk}/historik/"]
    before = [_queries(client, url) for url in urls]
    gits = Body.objects.get(slug="gits")
    for n in range(25):
        other = audit.create(Person, actor=admin_user, reason="Test", first_name=f"Test{n}", last_name="Person")
        audit.create(
            Membership,
            actor=admin_user,
            reason="Test",
            person=other,
            body=ref_group,
            role="member",
            start_date=timezone.localdate(),
        )
        audit.create(
            Membership,
            actor=admin_user,
            reason="Test",
            person=person,
            body=gits,
            role="co_opted",
            start_date=timezone.localdate(),
        )
    assert [_queries(client, url) for url in urls] == before


# --- the demo's story dates ---------------------------------------------------------------------------------------


def _local_day(value):
    return timezone.localtime(value).date()


def test_the_demo_plan_history_is_dated_as_the_story_goes(client, coordinator, plan2026):
    rows = ManagementPlan.history.filter(id=plan2026.pk)
    assert _local_day(rows.latest().history_date) == datetime.date(2026, 3, 24)  # VVG's position
    sections = PlanSection.history.filter(plan_id=plan2026.pk)
    assert {_local_day(r.history_date).month for r in sections} == {1}  # written in January
    client.force_login(coordinator)
    newest = _articles(_plan_history(client, plan2026))[0]
    assert "Ändrat Förvaltningsplan SHVO 2026" in newest and ">24 mars 2026 kl. 15.00</time>" in newest


def test_the_demo_minutes_are_justerade_in_march_and_their_history_says_so(client, secretary):
    meeting = Meeting.objects.get(date=datetime.date(2026, 3, 5), body__slug="referensgrupp-shvo")
    minutes = Minutes.objects.get(meeting=meeting)
    assert _local_day(minutes.sent_at) == datetime.date(2026, 3, 9)
    assert _local_day(minutes.justerat_at) == datetime.date(2026, 3, 11)
    assert _local_day(minutes.published_at) == datetime.date(2026, 3, 12)
    assert _local_day(Meeting.history.filter(id=meeting.pk).earliest().history_date) < meeting.date
    client.force_login(secretary)
    page = client.get(f"/moten/{meeting.pk}/historik/").content.decode()
    today = timezone.localdate()
    assert f"{today.day} {history.MONTHS[today.month - 1]} {today.year} kl." not in page
    justerat = next(a for a in _articles(page) if "Skäl:</span> Justerat" in a)
    assert ">11 mars 2026 kl. 14.00</time>" in justerat


# --- the story clock ----------------------------------------------------------------------------------------------


def test_the_story_clock_dates_this_threads_writes_in_order_and_no_other_thread(db):
    moment = audit.story_moment(datetime.date(2026, 3, 5), 13)
    seen = {}
    with audit.story_clock(moment):
        first, second = timezone.now(), timezone.now()
        other = threading.Thread(target=lambda: seen.setdefault("now", timezone.now()))
        other.start()
        other.join()
        audit.story_time(audit.story_moment(datetime.date(2026, 3, 9), 10))
        later = timezone.now()
    assert moment < first < second < moment + datetime.timedelta(seconds=1)
    assert timezone.localtime(later).date() == datetime.date(2026, 3, 9)
    assert seen["now"] > moment + datetime.timedelta(days=30)  # the other thread kept the real clock
    assert timezone.now() > later  # and so does this one, afterwards


def test_the_story_clock_never_runs_ahead_of_the_real_clock():
    ahead = timezone.now() + datetime.timedelta(days=3)
    with audit.story_clock(ahead):
        assert timezone.now() <= ahead - datetime.timedelta(days=2)
    with pytest.raises(RuntimeError):
        audit.story_time(ahead)


def test_a_text_diff_shows_only_the_changed_paragraphs_or_says_only_the_formatting_changed():
    old = "".join(f"<p>Stycke {n} om förvaltningen.</p>" for n in range(30))
    new = old.replace("Stycke 12 om", "Stycke 12 handlar om")
    shown = str(history._text_diff("Text", old, new).html)
    gap_before, changed, gap_after = re.findall(r"<p[^>]*>.*?</p>", shown)
    assert gap_before == '<p class="history-gap">[… 12 oförändrade stycken …]</p>'
    assert re.fullmatch(r"<p>Stycke 12 ?<ins> ?handlar ?</ins> ?om förvaltningen\.</p>", changed)
    assert gap_after == '<p class="history-gap">[… 17 oförändrade stycken …]</p>'
    bold = old.replace("Stycke 3 om", "<strong>Stycke 3</strong> om")
    assert str(history._text_diff("Text", old, bold).html) == '<p class="history-gap">Bara formateringen ändrades.</p>'
