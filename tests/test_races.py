"""Two requests released together: one succeeds, the other gets the rule's Swedish message, never a 500.

The services lock the parent row (the body, the plan, the managed object) before they check and insert, and the
database backs the invariants it can express (one open review round per plan, one open-ended chair or vice chair).
These need real concurrent transactions, so they run on PostgreSQL (CI); SQLite writes one at a time anyway.
"""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from documents.models import ManagedObject, ManagementPlan, ReviewRound
from governance.models import Body, BodyStatusChange, Charter, CompositionRule, Membership, Person, Subregion
from meetings.models import AgendaItem, Decision, Meeting
from tests.action_states import item_minutes_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"),
]

TODAY = timezone.localdate


def _user(username, *, body=None, role="member", subregion=None):
    user = get_user_model().objects.create_user(username)
    person = Person.objects.create(first_name=username.capitalize(), last_name="Test", user=user)
    if body is not None:
        Membership.objects.create(
            person=person, body=body, role=role, subregion=subregion, start_date=TODAY() - datetime.timedelta(days=30)
        )
    return user


def _body(slug, kind="reference"):
    return Body.objects.create(name=f"Organ {slug}", short_name=slug.upper(), slug=slug, kind=kind)


def _managed_object(slug):
    return ManagedObject.objects.create(name=slug, short_name=slug[:20], slug=slug, steering_body=_body(f"vvg-{slug}"))


def _coordinators():
    gits = _body("gits-test", kind="coordination")
    return gits, _user("anna", body=gits), _user("bengt", body=gits)


def _race(*requests):
    """Run each (user, path, data) POST in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)

    def post(n, user, path, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            responses[n] = client.post(path, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n, *r)) for n, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in responses), "a request did not finish"
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
    return responses


def _one_won(responses, message):
    """Exactly one redirected (saved); the other re-rendered its form with the rule's message."""
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302], codes
    loser = next(r for r in responses if r.status_code == 200)
    assert message in loser.content.decode()


def test_two_coordinators_creating_the_same_years_plan_get_one_plan_and_a_message():
    _gits, anna, bengt = _coordinators()
    managed = _managed_object("testtjansten")
    year = TODAY().year + 2
    data = {"managed_object": managed.pk, "year": year}
    responses = _race((anna, "/forvaltningsplaner/ny/", data), (bengt, "/forvaltningsplaner/ny/", data))
    _one_won(responses, f"Det finns redan en förvaltningsplan för {year}")
    assert ManagementPlan.objects.filter(managed_object=managed, year=year).count() == 1


def test_two_first_charter_versions_become_versions_one_and_two():
    _gits, anna, bengt = _coordinators()
    body = _body("nytt-organ")
    data = {"valid_from": TODAY().isoformat(), "purpose": "Syftet", "reason": "Första versionen"}
    path = f"/organ/{body.slug}/uppdragsbeskrivning/ny/"
    _race((anna, path, data), (bengt, path, data))
    assert sorted(Charter.objects.filter(body=body).values_list("version", flat=True)) == [1, 2]


def test_two_status_changes_on_the_same_day_give_one_change_and_a_message():
    _gits, anna, bengt = _coordinators()
    body = _body("pausat-organ")
    data = {"status": "paused", "effective_from": TODAY().isoformat(), "note": ""}
    path = f"/organ/{body.slug}/status/"
    responses = _race((anna, path, data), (bengt, path, data))
    _one_won(responses, "Det finns redan en statusändring detta datum")
    assert BodyStatusChange.objects.filter(body=body).count() == 1


def test_two_vice_chairs_appointed_at_once_give_one_vice_chair_and_a_message():
    _gits, anna, bengt = _coordinators()
    body = _body("styrgrupp-test", kind="steering")
    carl = Person.objects.create(first_name="Carl", last_name="Ek")
    dora = Person.objects.create(first_name="Dora", last_name="Al")
    path = f"/organ/{body.slug}/uppdrag/nytt/"

    def data(person):
        return {"person": person.pk, "role": "vice_chair", "start_date": TODAY().isoformat()}

    responses = _race((anna, path, data(carl)), (bengt, path, data(dora)))
    _one_won(responses, "har redan en vice ordförande")
    assert Membership.objects.filter(body=body, role="vice_chair").count() == 1


def test_two_administrators_filling_the_last_seat_do_not_exceed_the_cap():
    from guardian.shortcuts import assign_perm

    body = _body("referens-test")
    fyrbodal = Subregion.objects.create(name="Fyrbodal test", short_name="Fyrbodal T", slug="fyrbodal-test")
    CompositionRule.objects.create(body=body, kind="per_subregion", subregion=None, min_count=1, max_count=1)
    admins = [_user("admin-a"), _user("admin-b")]
    for admin in admins:
        assign_perm("governance.manage_seats", admin, fyrbodal)
    people = [Person.objects.create(first_name=n, last_name="Rep") for n in ("Eva", "Frej")]
    path = f"/organ/{body.slug}/uppdrag/nytt/"

    def data(person):
        return {"person": person.pk, "role": "member", "subregion": fyrbodal.pk, "start_date": TODAY().isoformat()}

    responses = _race((admins[0], path, data(people[0])), (admins[1], path, data(people[1])))
    _one_won(responses, "högst 1 är tillåtet")
    assert Membership.objects.filter(body=body, subregion=fyrbodal).count() == 1


def test_two_review_rounds_opened_at_once_leave_one_open_round():
    _gits, anna, bengt = _coordinators()
    managed = _managed_object("remisstjansten")
    from documents import services as plan_services

    plan = plan_services.plan_create(actor=anna, managed_object=managed, year=TODAY().year + 1)
    subregion = Subregion.objects.create(name="SIMBA test", short_name="SIMBA T", slug="simba-test")
    data = {
        "deadline": (TODAY() + datetime.timedelta(days=14)).isoformat(),
        "subregions": [subregion.pk],
        "confirmed": "1",
    }
    path = f"/forvaltningsplaner/{plan.pk}/remiss/ny/"
    responses = _race((anna, path, data), (bengt, path, data))
    _one_won(responses, "Det finns redan en öppen remissrunda för planen")
    assert ReviewRound.objects.filter(document__plan=plan, closed_at__isnull=True).count() == 1


def test_the_first_paragraphs_of_a_year_written_at_once_get_numbers_one_and_two():
    body = _body("paragraf-organ")
    secretaries = [_user("sekr-a", body=body, role="secretary"), _user("sekr-b", body=body, role="secretary")]
    meeting = Meeting.objects.create(
        body=body, date=TODAY(), start_time=datetime.time(9), end_time=datetime.time(10), place="Vänersborg"
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Beslutspunkt", purpose="decision")
    path = f"/punkter/{item.pk}/anteckningar/"
    data = item_minutes_data(item, new_decision={"text": "Beslutet"})
    _race((secretaries[0], path, data), (secretaries[1], path, data))
    numbers = sorted(Decision.objects.filter(body=body, year=meeting.date.year).values_list("number", flat=True))
    assert numbers == [1, 2]


def test_two_secretaries_saving_notes_from_the_same_page_keep_one_and_show_it_to_the_other():
    from meetings.rules import NOTES_CHANGED

    body = _body("anteckning-organ")
    secretaries = [_user("skriv-a", body=body, role="secretary"), _user("skriv-b", body=body, role="secretary")]
    meeting = Meeting.objects.create(
        body=body, date=TODAY(), start_time=datetime.time(9), end_time=datetime.time(10), place="Vänersborg"
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Punkt", purpose="information")
    path = f"/punkter/{item.pk}/anteckningar/"
    first = item_minutes_data(item, discussion="<p>Anteckningar A.</p>")
    second = item_minutes_data(item, discussion="<p>Anteckningar B.</p>")
    responses = _race((secretaries[0], path, first), (secretaries[1], path, second))
    _one_won(responses, str(NOTES_CHANGED))
    item.refresh_from_db()
    assert item.discussion in {"<p>Anteckningar A.</p>", "<p>Anteckningar B.</p>"}


def test_two_first_budget_lines_added_at_once_make_one_budget_with_both_lines():
    from documents import services as plan_services
    from documents.models import AllocationKey, Budget

    gits, anna, bengt = _coordinators()
    plan = plan_services.plan_create(actor=anna, managed_object=_managed_object("budget-race"), year=TODAY().year + 1)
    key = AllocationKey.objects.create(
        name="Lönekostnader 50/50", region_percent=50, valid_from=datetime.date(TODAY().year - 1, 1, 1)
    )
    path = f"/forvaltningsplaner/{plan.pk}/budget/ny-rad/"
    data = {"heading": "", "name": "Rad", "amount": "1000", "key": key.pk, "own_region_percent": "", "note": ""}
    responses = _race((anna, path, data | {"name": "Rad A"}), (bengt, path, data | {"name": "Rad B"}))
    assert [r.status_code for r in responses] == [302, 302]
    budget = Budget.objects.get(plan=plan)
    assert sorted(budget.lines.values_list("position", flat=True)) == [1, 2]


def test_two_preparers_recording_the_budget_decision_at_once_record_it_once():
    """Two of SITIV's preparers record the decision on one budget at once: the plan row is locked, so the second
    sees the first's decision and is told so; the budget cites one decision."""
    from documents import services as plan_services
    from documents.models import Budget, BudgetLine
    from meetings.models import Minutes

    gits, anna, _ = _coordinators()
    sitiv = _body("sitiv-race", kind="steering")
    managed = _managed_object("budget-decide-race")
    managed.budget_body = sitiv
    managed.save()
    plan = plan_services.plan_create(actor=anna, managed_object=managed, year=TODAY().year + 1)
    plan_services.budget_line_save(
        actor=anna, plan=plan, line=BudgetLine(name="Drift", amount=1000, own_region_percent=70)
    )
    decisions = []
    for n in (1, 2):
        meeting = Meeting.objects.create(
            body=sitiv,
            title=f"SITIV {n}",
            date=TODAY(),
            start_time="13:00",
            end_time="15:00",
        )
        Minutes.objects.create(meeting=meeting, status=Minutes.Status.JUSTERAT)
        item = AgendaItem.objects.create(meeting=meeting, title="Budget", position=1)
        decisions.append(
            Decision.objects.create(item=item, body=sitiv, year=TODAY().year, number=n, text="Budgeten fastställs.")
        )
    cilla = _user("cilla", body=sitiv, role="preparer")
    david = _user("david", body=sitiv, role="preparer")
    path = f"/forvaltningsplaner/{plan.pk}/budget/beslut/"
    responses = _race((cilla, path, {"decision": decisions[0].pk}), (david, path, {"decision": decisions[1].pk}))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302], codes
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "Beslutet om budgeten är redan registrerat" in refused
    found = Budget.objects.get(plan=plan)
    assert found.decision_id in {d.pk for d in decisions}
    assert set(found.lines.values_list("decision_id", flat=True)) == {found.decision_id}


def test_two_coordinators_issuing_the_quarterly_report_at_once_issue_it_once(settings, tmp_path):
    """Both click "Ja, utfärda" at once: the plan row is locked and the report read again inside, so one PDF is
    rendered and stored; the other is told the report is already issued. Never a 500."""
    from documents import followup
    from documents import services as plan_services
    from documents.models import BudgetLine, QuarterlyReport

    settings.MEDIA_ROOT = tmp_path
    gits, anna, bengt = _coordinators()
    plan = plan_services.plan_create(actor=anna, managed_object=_managed_object("report-race"), year=TODAY().year)
    plan_services.budget_line_save(
        actor=anna, plan=plan, line=BudgetLine(name="Drift", amount=1000, own_region_percent=70)
    )
    ManagementPlan.objects.filter(pk=plan.pk).update(status=ManagementPlan.Status.IN_FORCE)
    plan.refresh_from_db()
    followup.report_save(actor=anna, plan=plan, quarter=1, fields={"economy": "Ekonomin följer budget."})
    path = f"/forvaltningsplaner/{plan.pk}/budget/kvartalsrapport/1/utfarda/"
    responses = _race((anna, path, {"confirmed": "1"}), (bengt, path, {"confirmed": "1"}))
    assert [r.status_code for r in responses] == [302, 302]  # both back on the report page, one told why
    report = QuarterlyReport.objects.get(budget__plan=plan, quarter=1)
    assert report.is_issued and report.pdf_sha256
    assert len(list(tmp_path.rglob("*.pdf"))) == 1
    assert report.history.filter(issued_at__isnull=False).count() == 1


# --- issue 13: governing documents ---------------------------------------------------------------------------------


def _routine_with_two_reps():
    """A reference group (mandated by a steering body with a preparation body), a routine of it in force, a
    subregion with a subregional body and two of its representatives in the group."""
    from documents import governing

    steering = _body("styr-test", kind="steering")
    group = Body.objects.create(name="Referens test", short_name="RT", slug="ref-test", kind="reference",
                                mandate_giver=steering)  # fmt: skip
    Body.objects.create(name="Beredning test", slug="bered-test", kind="preparation", mandate_giver=steering)
    subregion = Subregion.objects.create(name="Testregionen", short_name="Testreg", slug="testreg")
    Body.objects.create(name="LG Testreg", slug="lg-testreg", kind="subregional", level="subregional",
                        subregion=subregion)  # fmt: skip
    reps = [_user(name, body=group, subregion=subregion) for name in ("ceci", "dora")]
    _gits, anna, _bengt = _coordinators()
    doc = governing.document_register(
        actor=anna, owner=group, kind="routine", title="Testrutinen",
        sections=[{"key": "a", "title": "A", "body": "<p>Text.</p>"}],
        in_force_reference="Styr 2020-01-01, § 1", in_force_from=TODAY() - datetime.timedelta(days=10),
    )  # fmt: skip
    return doc, subregion, reps, anna


def _supplement_form(text):
    return {"key_1": "", "position_1": "1", "title_1": "Tillägg", "body_1": f"<p>{text}</p>", "key_2": "",
            "position_2": "2", "title_2": "", "body_2": "", "rationale": "Lokalt.", "base_number": ""}  # fmt: skip


def test_two_representatives_writing_the_first_supplement_at_once_make_one_supplement():
    from documents.governing_models import GoverningDocument, Revision

    doc, subregion, (ceci, dora), _anna = _routine_with_two_reps()
    path = f"/styrdokument/{doc.slug}/tillagg/{subregion.slug}/"
    responses = _race((ceci, path, _supplement_form("Ceci")), (dora, path, _supplement_form("Dora")))
    supplements = GoverningDocument.objects.filter(parent=doc, subregion=subregion)
    assert supplements.count() == 1
    saved = [r.status_code for r in responses].count(302)
    assert Revision.objects.filter(document=supplements.get()).count() == saved >= 1


def test_two_escalations_at_once_make_it_principled_once_and_tell_the_other():
    from documents import governing
    from documents.governing_models import Revision

    doc, subregion, (ceci, dora), anna = _routine_with_two_reps()
    revision = governing.revision_propose(
        actor=anna, governing=doc, sections=[{"key": "a", "title": "A", "body": "<p>Ny text.</p>"}],
        change_class="editorial", rationale="Språk.", base_number=1,
    )  # fmt: skip
    path = f"/styrdokument/{doc.slug}/version/{revision.version.number}/lyft/"
    responses = _race((ceci, path, {"reason": "Nya regler."}), (dora, path, {"reason": "Ändrat ansvar."}))
    _one_won(responses, "Förslaget är redan en principiell ändring.")
    revision = Revision.objects.get(pk=revision.pk)
    assert revision.change_class == "principled" and revision.case.status == "preparing"


def test_an_answer_and_the_proposals_withdrawal_at_once_never_answer_a_withdrawn_proposal():
    """The answer locks the revision first, as the withdrawal does: either the answer comes first and stands, or the
    withdrawal does and the answer is refused with the rule's message; never a 500."""
    from documents import governing
    from documents.governing_models import Revision, RevisionComment

    doc, _subregion, (ceci, _dora), anna = _routine_with_two_reps()
    revision = governing.revision_propose(
        actor=anna, governing=doc, sections=[{"key": "a", "title": "A", "body": "<p>Ny text.</p>"}],
        change_class="editorial", rationale="Språk.", base_number=1,
    )  # fmt: skip
    comment = governing.comment_add(actor=ceci, revision=revision, text="Tydligare, tack.", section_key="a")
    base = f"/styrdokument/{doc.slug}/version/{revision.version.number}"
    answer, withdrawal = _race(
        (anna, f"{base}/kommentar/{comment.pk}/svar/", {f"svar-{comment.pk}-disposition": "accepted"}),
        (anna, f"{base}/aterta/", {"reason": "Behövs inte längre.", "confirmed": "1"}),
    )
    assert withdrawal.status_code == 302 and Revision.objects.get(pk=revision.pk).status == "withdrawn"
    assert answer.status_code in (200, 302)
    answered = RevisionComment.objects.get(pk=comment.pk).is_answered
    assert answered == (answer.status_code == 302)
    if not answered:
        assert "Samrådet är slut" in answer.content.decode()
