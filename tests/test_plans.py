"""Management plans: lifecycle per role, next year's copy, versions, and no lost updates."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from documents import reviews, services
from documents.models import Comment, Goal, ManagementPlan, PlanSection, PlanTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan2026(db):
    return ManagementPlan.objects.get(year=2026)


@pytest.fixture
def plan2027(db):
    return ManagementPlan.objects.get(year=2027)


def dispose_all(actor, plan):
    for c in Comment.objects.filter(round__document__plan=plan, parent__isnull=True):
        reviews.comment_dispose(actor=actor, comment=c, disposition="accepted", reason="")


def test_plan_in_force_is_locked(coordinator, plan2026):
    section = plan2026.sections.first()
    with pytest.raises(ValidationError) as error:
        services.section_save(actor=coordinator, section=section, body="<p>Ny text</p>", base_version=section.revision)
    assert "gäller och kan inte ändras" in str(error.value)
    with pytest.raises(ValidationError):
        services.goal_save(actor=coordinator, goal=Goal(plan=plan2026, category="maintenance", title="Nytt"))


def test_start_next_year_copies_sections_and_goals_as_a_new_draft(coordinator, plan2026, plan2027):
    plan2027.delete()
    new = services.plan_start_next_year(actor=coordinator, plan=plan2026)
    assert (new.year, new.status, new.based_on) == (2027, "draft", plan2026)
    assert list(new.sections.values_list("key", flat=True)) == PlanSection.ORDER
    assert new.sections.get(key="period").body == "<p>Planen gäller för perioden 2027-01-01 – 2027-12-31.</p>"
    assert [g.title for g in new.goals.all()] == [g.title for g in plan2026.goals.all()]
    assert all(g.status == "planned" and g.follow_up == "" for g in new.goals.all())


def test_next_year_cannot_be_started_twice(coordinator, plan2026):
    with pytest.raises(ValidationError):
        services.plan_start_next_year(actor=coordinator, plan=plan2026)


def test_representative_cannot_write_the_plan(rep_fyrbodal, plan2027):
    section = plan2027.sections.first()
    with pytest.raises(PermissionDenied):
        services.section_save(actor=rep_fyrbodal, section=section, body="x", base_version=section.revision)


def test_submit_needs_a_disposition_on_every_comment(coordinator, plan2027):
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=coordinator, plan=plan2027)
    assert "saknar ställningstagande" in str(error.value)
    dispose_all(coordinator, plan2027)
    services.plan_submit(actor=coordinator, plan=plan2027)
    plan2027.refresh_from_db()
    assert plan2027.status == "submitted" and not plan2027.rounds.filter(closed_at__isnull=True).exists()


def test_only_a_preparer_records_vvgs_position_and_the_plan_comes_into_force(coordinator, preparer, plan2027):
    dispose_all(coordinator, plan2027)
    services.plan_submit(actor=coordinator, plan=plan2027)
    with pytest.raises(PermissionDenied):
        services.plan_record_position(actor=coordinator, plan=plan2027, date=datetime.date(2026, 11, 20))
    services.plan_record_position(actor=preparer, plan=plan2027, date=datetime.date(2026, 11, 20), reference="§ 5/2026")
    plan2027.refresh_from_db()
    assert plan2027.status == "in_force" and plan2027.is_locked and plan2027.position_reference == "§ 5/2026"
    steps = list(PlanTransition.objects.filter(plan=plan2027).values_list("to_status", "by__username"))
    assert steps[-2:] == [("submitted", "samordnare"), ("in_force", "beredning")]


def test_position_cannot_be_recorded_before_submission(preparer, plan2027):
    with pytest.raises(ValidationError):
        services.plan_record_position(actor=preparer, plan=plan2027, date=datetime.date(2026, 11, 20))


def test_referral_back_returns_the_plan_to_draft(coordinator, preparer, plan2027):
    dispose_all(coordinator, plan2027)
    services.plan_submit(actor=coordinator, plan=plan2027)
    services.plan_refer_back(actor=preparer, plan=plan2027, note="Förtydliga huvuduppgiften.")
    plan2027.refresh_from_db()
    assert plan2027.status == "draft"


def test_goal_follow_up_only_while_in_force(coordinator, plan2026, plan2027):
    goal = plan2026.goals.first()
    services.goal_follow_up(actor=coordinator, goal=goal, status="ongoing", follow_up="Avtalsuppföljning klar Q1.")
    with pytest.raises(ValidationError):
        services.goal_follow_up(actor=coordinator, goal=plan2027.goals.first(), status="done", follow_up="")


def test_every_saved_change_is_a_version_and_any_two_compare_word_by_word(coordinator, plan2027):
    section = plan2027.sections.get(key="operations")
    before = plan2027.versions.count()
    services.section_save(
        actor=coordinator,
        section=section,
        base_version=section.revision,
        body=section.body.replace("99,9 %", "99,95 %"),
    )
    assert plan2027.versions.count() == before + 1
    first, last = plan2027.versions.order_by("number").first(), plan2027.versions.order_by("number").last()
    rows = {r["title"]: r for r in services.versions_compare(first, last)}
    assert "<del>99,9</del><ins>99,95</ins>" in rows["Drift och utveckling av systemstöd"]["diff"]
    assert rows["Syfte"]["changed"] is False


def test_second_save_from_the_same_version_is_refused_not_lost(coordinator, plan2027):
    section = plan2027.sections.get(key="resources")
    base = section.revision
    services.section_save(actor=coordinator, section=section, body="<p>Först</p>", base_version=base)
    with pytest.raises(services.EditConflict) as conflict:
        services.section_save(actor=coordinator, section=section, body="<p>Sedan</p>", base_version=base)
    assert conflict.value.current.body == "<p>Först</p>"
    section.refresh_from_db()
    assert section.body == "<p>Först</p>" and section.revision == base + 1


def test_section_history_records_who_and_why(coordinator, plan2027):
    section = plan2027.sections.get(key="purpose")
    services.section_save(actor=coordinator, section=section, body="<p>Nytt syfte</p>", base_version=section.revision)
    record = section.history.order_by("-history_date").first()
    assert record.history_user == coordinator and "Syfte" in record.history_change_reason


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
def test_two_concurrent_saves_on_postgresql_one_wins_the_other_gets_a_conflict():
    from django.contrib.auth import get_user_model
    from django.db import connections

    if not ManagementPlan.objects.filter(year=2027).exists():
        call_command("seed_demo", verbosity=0)
    coordinator = get_user_model().objects.get(username="samordnare")
    section = ManagementPlan.objects.get(year=2027).sections.get(key="introduction")
    base = section.revision
    barrier = threading.Barrier(2)
    results = {}

    def save(name):
        try:
            barrier.wait(timeout=10)
            services.section_save(actor=coordinator, section=section, body=f"<p>{name}</p>", base_version=base)
            results[name] = "saved"
        except services.EditConflict:
            results[name] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Anna", "Bengt")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["conflict", "saved"]
    section.refresh_from_db()
    winner = next(n for n, r in results.items() if r == "saved")
    assert section.body == f"<p>{winner}</p>" and section.revision == base + 1


def test_plan_history_shows_section_changes_to_the_coordinator_only(client, coordinator, rep_fyrbodal, plan2027):
    section = plan2027.sections.get(key="purpose")
    services.section_save(
        actor=coordinator, section=section, body="<p>Tydligare syfte</p>", base_version=section.revision
    )
    client.force_login(coordinator)
    page = client.get(f"/forvaltningsplaner/{plan2027.pk}/historik/").content.decode()
    assert "<ins>Tydligare</ins>" in page and "Sara Lind" in page and "Avsnittet Syfte ändrat" in page
    assert f"/forvaltningsplaner/{plan2027.pk}/historik/" in client.get(plan2027.get_absolute_url()).content.decode()
    client.force_login(rep_fyrbodal)
    assert client.get(f"/forvaltningsplaner/{plan2027.pk}/historik/").status_code == 404


def test_preparer_start_page_lists_submitted_plans(client, coordinator, preparer, plan2027):
    dispose_all(coordinator, plan2027)
    services.plan_submit(actor=coordinator, plan=plan2027)
    client.force_login(preparer)
    page = client.get("/").content.decode()
    assert "Planer som väntar på VVG:s ställningstagande" in page and plan2027.get_absolute_url() in page


def test_sections_follow_seed_003s_order(plan2026):
    # Seed 003: 1 Inledning (1.1 Syfte, 1.2 Förvaltningsperiod), 2 Uppdrag, 3 Mål, 4 Budget och finansiering,
    # 5 Drift och utveckling (with närliggande system), 6 Resurs och utbildningsbehov, 7 Förvaltningsorganisation.
    titles = [s.title for s in plan2026.sections.order_by("position")]
    assert titles == [
        "Inledning",
        "Syfte",
        "Förvaltningsperiod",
        "Uppdrag",
        "Mål",
        "Budget och finansiering",
        "Drift och utveckling av systemstöd",
        "Närliggande system och beroenden",
        "Resurs- och utbildningsbehov",
        "Förvaltningsorganisation",
    ]
    assert all(s.body for s in plan2026.sections.all())  # every section of the demo plan is written
    assert "99,9 %" in plan2026.sections.get(key="operations").body


def test_a_stale_section_save_shows_the_saved_version_and_keeps_the_typed_text(client):
    from tests.action_states import plan_in, user

    ctx = plan_in("draft")
    section = ctx["plan"].sections.get(key="purpose")
    stale = section.revision - 1  # the version before the one saved by plan_in
    writer = user("samordnare")
    client.force_login(writer)
    response = client.post(
        f"/forvaltningsplaner/avsnitt/{section.pk}/andra/", {"body": "<p>Min egen text.</p>", "base_version": stale}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Den sparade texten (version {section.revision})" in html
    assert "Syftet med planen." in html and "Min egen text." in html
