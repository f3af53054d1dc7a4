"""Management-plan pages: who sees what, editing without lost updates, goals, lifecycle buttons, versions, PDF."""

import html
import re
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import reviews, services
from documents.models import Comment, Goal, ManagementPlan, PlanSection

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan2026(db):
    return ManagementPlan.objects.get(year=2026)


@pytest.fixture
def plan2027(db):
    return ManagementPlan.objects.get(year=2027)


def url(name, pk):
    return reverse(f"documents:{name}", kwargs={"pk": pk})


def text(response) -> str:
    return response.content.decode()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_pages(data: bytes) -> list[str]:
    """pdftotext (poppler) output per page, whitespace collapsed so that wrapped lines still match."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.decode().split("\f")]


def dispose_all(actor, plan):
    for c in Comment.objects.filter(round__document__plan=plan, parent__isnull=True):
        reviews.comment_dispose(actor=actor, comment=c, disposition="accepted", reason="")


def submitted(coordinator, plan):
    dispose_all(coordinator, plan)
    return services.plan_submit(actor=coordinator, plan=plan)


# --- who sees what -------------------------------------------------------------------------------


def test_public_reads_the_plan_in_force(client, coordinator, plan2026):
    page = text(client.get(url("plan_detail", plan2026.pk)))
    assert "Förvaltningsplan Samordnad hälsa, vård och omsorg 2026" in page
    assert "Planen gäller och är låst" in page
    assert "VVG 2026-03-24" in page and "§ 7/2026" in page
    for section in plan2026.sections.all():
        assert f'id="avsnitt-{section.key}"' in page and f'href="#avsnitt-{section.key}"' in page
    for label in Goal.Category.labels:
        assert str(label) in page
    for column in ("Forum", "Arbetsuppgifter", "Deltagare", "Mötesfrekvens", "Sammankallande"):
        assert f'<th scope="col">{column}</th>' in page
    assert "Referensgrupp SHVO" in page
    assert "senare version av portalen" not in page  # nothing is said of a budget table before one exists
    assert "Helena Kvist" in page and "VVG tog ställning 2026-03-24" in page  # lifecycle history with who
    assert "Versioner och jämförelse" in page and url("plan_pdf", plan2026.pk) in page
    # Nothing to change for the public, and not for the coordinator either: the plan is locked.
    assert "/andra/" not in page and "Lämna in" not in page
    coordinator_page = text(signed_in(coordinator).get(url("plan_detail", plan2026.pk)))
    assert "avsnitt/" not in coordinator_page and "/andra/" not in coordinator_page


@pytest.mark.parametrize("name", ["plan_detail", "plan_pdf", "plan_versions", "plan_compare"])
def test_public_gets_404_for_the_draft(client, plan2027, name):
    assert client.get(url(name, plan2027.pk) + "?a=1&b=2").status_code == 404


def test_plan_list_shows_the_public_only_what_is_decided(client, plan2026, plan2027):
    page = text(client.get("/forvaltningsplaner/"))
    assert url("plan_detail", plan2026.pk) in page
    assert url("plan_detail", plan2027.pk) not in page
    assert "Ny förvaltningsplan" not in page
    assert 'href="/forvaltningsplaner/"' in page  # main navigation


def test_plan_list_shows_drafts_and_the_new_plan_form_to_coordinators(coordinator, plan2026, plan2027):
    page = text(signed_in(coordinator).get("/forvaltningsplaner/"))
    assert url("plan_detail", plan2026.pk) in page and url("plan_detail", plan2027.pk) in page
    assert "Ny förvaltningsplan" in page and 'action="/forvaltningsplaner/ny/"' in page


def test_round_audience_sees_the_draft_but_cannot_change_it(rep_skaraborg, plan2027):
    client = signed_in(rep_skaraborg)
    page = text(client.get(url("plan_detail", plan2027.pk)))
    assert "Utkast – inte fastställt" in page and "Inledning" in page
    assert "avsnitt/" not in page and "/andra/" not in page and "ta-bort" not in page
    assert "Lämna in till Gemensam beredning" not in page and "Lägg till mål" not in page
    section = plan2027.sections.get(key="purpose")
    assert client.get(url("section_edit", section.pk)).status_code == 403
    before = section.body
    response = client.post(url("section_edit", section.pk), {"body": "<p>Skaraborgs text</p>", "base_version": 1})
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.body == before


# --- editing a section -----------------------------------------------------------------------------


def test_coordinator_edits_a_section(coordinator, plan2027):
    client = signed_in(coordinator)
    section = plan2027.sections.get(key="purpose")
    versions = plan2027.versions.count()
    page = text(client.get(url("plan_detail", plan2027.pk)))
    assert url("section_edit", section.pk) in page
    form = text(client.get(url("section_edit", section.pk)))
    assert f'name="base_version" value="{section.revision}"' in form
    response = client.post(
        url("section_edit", section.pk),
        {"body": "<p>Ny syftestext.</p><script>alert(1)</script>", "base_version": section.revision},
    )
    assert response.status_code == 302 and response["Location"].endswith("#avsnitt-purpose")
    saved = PlanSection.objects.get(pk=section.pk)
    assert saved.body == "<p>Ny syftestext.</p>"  # sanitised by the service
    assert saved.revision == section.revision + 1 and saved.updated_by == coordinator
    assert plan2027.versions.count() == versions + 1


def test_edit_conflict_keeps_both_texts_and_saving_again_succeeds(coordinator, admin_user, plan2027):
    section = plan2027.sections.get(key="purpose")
    path = url("section_edit", section.pk)
    history_before = PlanSection.history.filter(id=section.pk).count()
    first, second = signed_in(coordinator), signed_in(admin_user)
    # Both open the form at the same version.
    for client in (first, second):
        assert f'name="base_version" value="{section.revision}"' in text(client.get(path))

    theirs = "<p>Planen beskriver förvaltningen av SHVO under 2027.</p>"
    assert first.post(path, {"body": theirs, "base_version": section.revision}).status_code == 302

    mine = "<p>Planen beskriver arbetet med SAMSA och SAMVY under 2027.</p>"
    response = second.post(path, {"body": mine, "base_version": section.revision})
    assert response.status_code == 200
    page = text(response)
    assert "Någon annan har sparat avsnittet medan du skrev" in page
    assert "Sara Lind" in page  # who saved first
    current = PlanSection.objects.get(pk=section.pk)
    assert timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M") in page  # and when
    assert theirs in page  # their saved text
    # My typed text, still in the textarea: as the plain text it amounts to (nothing lost), the editor's HTML beside.
    assert re.search(r"<textarea[^>]*>\s*Planen beskriver arbetet med SAMSA och SAMVY under 2027\.</textarea>", page)
    assert f'data-html="{html.escape(mine)}"' in page
    assert "<del>förvaltningen</del><ins>arbetet</ins>" in page and "<del>SHVO</del><ins>SAMSA och SAMVY</ins>" in page
    assert f'name="base_version" value="{current.revision}"' in page  # continue from their version
    assert current.body == theirs  # nothing overwritten

    merged = "<p>Planen beskriver förvaltningen av SHVO och arbetet med SAMSA och SAMVY under 2027.</p>"
    response = second.post(path, {"body": merged, "base_version": current.revision})
    assert response.status_code == 302
    saved = PlanSection.objects.get(pk=section.pk)
    assert saved.body == merged and saved.revision == section.revision + 2 and saved.updated_by == admin_user
    assert PlanSection.history.filter(id=section.pk).count() == history_before + 2


def test_a_locked_plan_refuses_section_edits_in_swedish(coordinator, plan2026):
    client = signed_in(coordinator)
    section = plan2026.sections.get(key="purpose")
    versions = plan2026.versions.count()
    page = text(client.get(url("section_edit", section.pk)))
    assert "Planen gäller och är låst" in page and "<textarea" not in page
    response = client.post(url("section_edit", section.pk), {"body": "<p>Ändrat</p>", "base_version": section.revision})
    assert response.status_code == 200
    assert "kan inte ändras" in text(response)
    after = PlanSection.objects.get(pk=section.pk)
    assert (after.body, after.revision) == (section.body, section.revision)
    assert plan2026.versions.count() == versions


# --- goals -------------------------------------------------------------------------------------------


def test_coordinator_adds_edits_and_deletes_a_goal(coordinator, plan2027):
    client = signed_in(coordinator)
    response = client.post(
        url("goal_create", plan2027.pk),
        {"category": "development", "title": "Förbereda samexistens SAMSA–SAMVY", "description": "Plan för 2027."},
    )
    assert response.status_code == 302
    goal = plan2027.goals.get(title="Förbereda samexistens SAMSA–SAMVY")
    assert goal.category == "development"
    response = client.post(
        url("goal_edit", goal.pk), {"category": "necessary", "title": "Samexistens SAMSA–SAMVY", "description": ""}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.category, goal.title) == ("necessary", "Samexistens SAMSA–SAMVY")
    assert "Ja, ta bort målet" in text(client.get(url("goal_delete", goal.pk)))  # the link leads to the question
    assert client.post(url("goal_delete", goal.pk)).status_code == 200  # without its "Ja": asked, not removed
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert client.post(url("goal_delete", goal.pk), {"confirmed": "1"}).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_goals_of_a_locked_plan_cannot_be_changed(coordinator, plan2026):
    client = signed_in(coordinator)
    goal = plan2026.goals.first()
    response = client.post(url("goal_edit", goal.pk), {"category": goal.category, "title": "Nytt namn"})
    assert response.status_code == 200 and "kan inte ändras" in text(response)
    response = client.post(url("goal_delete", goal.pk), follow=True)
    assert "kan inte ändras" in text(response)
    assert Goal.objects.get(pk=goal.pk).title == goal.title


def test_goal_follow_up_only_while_the_plan_is_in_force(coordinator, plan2026, plan2027):
    client = signed_in(coordinator)
    goal = plan2026.goals.first()
    page = text(client.get(url("plan_detail", plan2026.pk)))
    assert url("goal_follow_up", goal.pk) in page and "Följ upp" in page
    prefix = f"goal{goal.pk}"
    response = client.post(
        url("goal_follow_up", goal.pk),
        {f"{prefix}-status": "ongoing", f"{prefix}-follow_up": "Avtalsuppföljning klar för kvartal 3."},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.follow_up) == ("ongoing", "Avtalsuppföljning klar för kvartal 3.")
    assert "Avtalsuppföljning klar för kvartal 3." in text(client.get(url("plan_detail", plan2026.pk)))

    draft_goal = plan2027.goals.first()
    assert "uppfoljning" not in text(client.get(url("plan_detail", plan2027.pk)))
    prefix = f"goal{draft_goal.pk}"
    response = client.post(
        url("goal_follow_up", draft_goal.pk), {f"{prefix}-status": "done", f"{prefix}-follow_up": "Klart."}
    )
    assert response.status_code == 200 and "Uppföljning görs när planen gäller." in text(response)
    draft_goal.refresh_from_db()
    assert (draft_goal.status, draft_goal.follow_up) == ("planned", "")


def test_a_representative_cannot_follow_up_goals(rep_fyrbodal, plan2026):
    goal = plan2026.goals.first()
    prefix = f"goal{goal.pk}"
    response = signed_in(rep_fyrbodal).post(
        url("goal_follow_up", goal.pk), {f"{prefix}-status": "done", f"{prefix}-follow_up": "x"}
    )
    assert response.status_code == 403
    assert Goal.objects.get(pk=goal.pk).status == "planned"


# --- lifecycle ---------------------------------------------------------------------------------------


def test_submit_is_refused_until_every_comment_has_a_disposition(coordinator, plan2027):
    client = signed_in(coordinator)
    assert "Lämna in till Gemensam beredning" in text(client.get(url("plan_detail", plan2027.pk)))
    response = client.post(url("plan_submit", plan2027.pk), follow=True)
    assert "saknar ställningstagande" in text(response)
    assert ManagementPlan.objects.get(pk=plan2027.pk).status == "in_review"
    dispose_all(coordinator, plan2027)
    asked = text(client.post(url("plan_submit", plan2027.pk)))  # submitting cannot be undone: asked first
    assert "Ja, lämna in planen" in asked and "Den öppna remissrundan stängs" in asked
    assert ManagementPlan.objects.get(pk=plan2027.pk).status == "in_review"
    response = client.post(url("plan_submit", plan2027.pk), {"confirmed": "1"}, follow=True)
    assert ManagementPlan.objects.get(pk=plan2027.pk).status == "submitted"
    assert "Planen är inlämnad till Gemensam beredning" in text(response)


def test_preparer_records_the_position_on_a_submitted_plan(coordinator, preparer, plan2027):
    submitted(coordinator, plan2027)
    client = signed_in(preparer)
    page = text(client.get(url("plan_detail", plan2027.pk)))
    assert "Registrera VVG:s ställningstagande" in page and "Återremittera" in page
    assert "Planen är inlämnad till Gemensam beredning och är låst" in page
    # The coordinator may read the plan but not record VVG's position.
    assert signed_in(coordinator).post(url("plan_record_position", plan2027.pk), {}).status_code == 403
    today = timezone.localdate()
    typed = {"date": today.isoformat(), "reference": "VVG § 7/2026"}
    asked = client.post(url("plan_record_position", plan2027.pk), typed)  # the plan comes into force: asked first
    assert asked.status_code == 200 and "Ja, registrera ställningstagandet" in text(asked)
    assert ManagementPlan.objects.get(pk=plan2027.pk).status == "submitted"
    back = client.post(url("plan_record_position", plan2027.pk), {**typed, "tillbaka": "1"})  # Avbryt: the form
    assert 'value="VVG § 7/2026"' in text(back) and ManagementPlan.objects.get(pk=plan2027.pk).status == "submitted"
    response = client.post(url("plan_record_position", plan2027.pk), {**typed, "confirmed": "1"})
    assert response.status_code == 302
    plan = ManagementPlan.objects.get(pk=plan2027.pk)
    assert (plan.status, plan.position_date, plan.position_reference) == ("in_force", today, "VVG § 7/2026")
    page = text(client.get(url("plan_detail", plan.pk)))
    assert "Planen gäller och är låst" in page and "VVG § 7/2026" in page and "Helena Kvist" in page


def test_position_in_the_future_is_refused_on_the_field(coordinator, preparer, plan2027):
    submitted(coordinator, plan2027)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = signed_in(preparer).post(url("plan_record_position", plan2027.pk), {"date": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "kan inte ligga i framtiden" in text(response) and 'href="#id_date"' in text(response)
    assert ManagementPlan.objects.get(pk=plan2027.pk).status == "submitted"


def test_preparer_refers_the_plan_back_with_a_note(coordinator, preparer, plan2027):
    submitted(coordinator, plan2027)
    client = signed_in(preparer)
    response = client.post(url("plan_refer_back", plan2027.pk), {"note": ""})
    assert response.status_code == 200 and "Skriv vad som behöver göras" in text(response)
    response = client.post(url("plan_refer_back", plan2027.pk), {"note": "Förtydliga målen för SAMVY."})
    assert response.status_code == 302
    plan = ManagementPlan.objects.get(pk=plan2027.pk)
    assert plan.status == "draft"
    assert "Återremiss: Förtydliga målen för SAMVY." in text(signed_in(coordinator).get(url("plan_detail", plan.pk)))


def test_record_position_page_explains_when_the_plan_is_not_submitted(preparer, plan2027):
    page = text(signed_in(preparer).get(url("plan_record_position", plan2027.pk)))
    assert "först när planen är inlämnad" in page and "<form" not in page.split("<main")[1]


def test_coordinator_creates_a_plan_for_a_year_without_one(coordinator, rep_fyrbodal, plan2027):
    client = signed_in(coordinator)
    managed = plan2027.managed_object.pk
    response = client.post("/forvaltningsplaner/ny/", {"managed_object": managed, "year": 2027})
    assert response.status_code == 200 and "Det finns redan en förvaltningsplan för 2027." in text(response)
    response = client.post("/forvaltningsplaner/ny/", {"managed_object": managed, "year": 2031})
    plan = ManagementPlan.objects.get(year=2031)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.status == "draft" and plan.sections.count() == len(PlanSection.ORDER)
    assert signed_in(rep_fyrbodal).get("/forvaltningsplaner/ny/").status_code == 403


def test_start_next_year_opens_the_new_draft(coordinator, preparer, plan2026, plan2027):
    client = signed_in(coordinator)
    # 2027 exists already: the button is replaced by a link, and a forged POST gets the rule's message.
    page = text(client.get(url("plan_detail", plan2026.pk)))
    assert "Starta nästa års plan" not in page and url("plan_detail", plan2027.pk) in page
    response = client.post(url("plan_start_next", plan2026.pk), follow=True)
    assert "Planen för 2027 finns redan." in text(response)
    # A plan in force whose next year is free.
    plan = services.plan_create(actor=coordinator, managed_object=plan2026.managed_object, year=2029)
    services.plan_submit(actor=coordinator, plan=plan)
    services.plan_record_position(actor=preparer, plan=plan, date=timezone.localdate())
    assert "Starta nästa års plan" in text(client.get(url("plan_detail", plan.pk)))
    response = client.post(url("plan_start_next", plan.pk))
    new = ManagementPlan.objects.get(year=2030)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert (new.status, new.based_on) == ("draft", plan)


def test_archive_button_gives_the_rule_not_an_error(coordinator, plan2026):
    response = signed_in(coordinator).post(url("plan_archive", plan2026.pk), {"confirmed": "1"}, follow=True)
    assert response.status_code == 200
    plan = ManagementPlan.objects.get(pk=plan2026.pk)
    if plan2026.year >= timezone.localdate().year:
        assert "kan arkiveras först efter året" in text(response) and plan.status == "in_force"
    else:
        assert plan.status == "archived"


# --- versions ----------------------------------------------------------------------------------------


def test_versions_list_and_compare_show_deletions_and_insertions(coordinator, plan2027):
    section = plan2027.sections.get(key="purpose")
    services.section_save(
        actor=coordinator,
        section=section,
        body=section.body.replace("strategisk styrning", "tydlig styrning"),
        base_version=section.revision,
    )
    latest = plan2027.versions.order_by("-number").first()
    client = signed_in(coordinator)
    page = text(client.get(url("plan_versions", plan2027.pk)))
    assert f"?a={latest.number - 1}&amp;b={latest.number}" in page and "Sara Lind" in page
    assert "Avsnittet Syfte ändrat" in page
    response = client.get(url("plan_compare", plan2027.pk), {"a": latest.number - 1, "b": latest.number})
    assert response.status_code == 200
    page = text(response)
    assert "<del>strategisk</del>" in page and "<ins>tydlig</ins>" in page
    assert "Ändrat" in page and "Oförändrat" in page
    assert "genomstruken" in page and "understruken" in page  # told apart without colour


@pytest.mark.parametrize("query", [{}, {"a": "x", "b": "2"}, {"a": "1"}, {"a": "1", "b": "999"}])
def test_compare_with_bad_versions_explains_in_swedish(coordinator, plan2027, query):
    response = signed_in(coordinator).get(url("plan_compare", plan2027.pk), query)
    assert response.status_code == 400
    assert "Jämförelsen kan inte visas" in text(response)


# --- PDF ---------------------------------------------------------------------------------------------


def test_plan_pdf_has_the_sections_in_the_page_order(client, plan2026):
    response = client.get(url("plan_pdf", plan2026.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"].startswith("public")
    pages = pdf_pages(response.content)
    assert "Förvaltningsplan" in pages[0] and "Giltighetstid" in pages[0] and "2026-03-24" in pages[0]
    toc = next(i for i, p in enumerate(pages) if "Innehållsförteckning" in p)
    assert re.search(r"1\. Inledning[ .]*\d+", pages[toc])  # page numbers from target-counter
    body = " ".join(pages[toc + 1 :])
    page_headings = re.findall(
        r'<h2 id="rubrik-[a-z_]+">([^<]+)</h2>', text(client.get(url("plan_detail", plan2026.pk)))
    )
    assert len(page_headings) == len(PlanSection.ORDER)
    positions = [body.find(html.unescape(h)) for h in page_headings]
    assert -1 not in positions and positions == sorted(positions)
    for expected in ("Vidmakthållande", "Nödvändig vidareutveckling för vidmakthållande", "Mötesfrekvens"):
        assert expected in body
    assert f"Sida 1 av {len([p for p in pages if p])}" in pages[0]


def test_draft_pdf_is_private_and_marked_as_draft(coordinator, plan2027):
    response = signed_in(coordinator).get(url("plan_pdf", plan2027.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    assert "UTKAST" in pdf_pages(response.content)[0]


# --- queries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "rep"])
def test_plan_list_query_count_does_not_grow_with_the_plans(
    client, coordinator, rep_skaraborg, plan2026, who, django_assert_num_queries
):
    if who != "anonymous":
        client.force_login(coordinator if who == "coordinator" else rep_skaraborg)
    client.get("/forvaltningsplaner/")  # warm up (session, content types)
    with CaptureQueriesContext(connection) as before:
        assert client.get("/forvaltningsplaner/").status_code == 200
    for year in (2028, 2029, 2030):
        services.plan_create(actor=coordinator, managed_object=plan2026.managed_object, year=year)
    plan = ManagementPlan.objects.get(year=2028)
    services.plan_submit(actor=coordinator, plan=plan)
    with django_assert_num_queries(len(before)):
        response = client.get("/forvaltningsplaner/")
    assert (url("plan_detail", plan.pk) in text(response)) == (who == "coordinator")
