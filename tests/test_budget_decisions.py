"""SITIV's decision on a budget (issue 11, item 3), changes that cite a later decision, next year's budget uplifted
from this year's (item 4), the 1 September deadline, and the budget in the review round and the plan's PDF.

Each rule is proven on objects in the states it matters for; the POST matrix (tests/test_action_matrix.py) covers
every role on every route."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents import budget, money, reviews, rules, services
from documents.models import AllocationKey, Budget, BudgetLine, ManagementPlan
from documents.plan_pdf import render_plan_pdf
from governance.models import Body, Membership, Subregion
from meetings.models import Decision
from tests.factories import make_membership, make_plan, plan_with_line, signed_in, sitiv_decision, today

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def kr(figure: str) -> str:
    return figure.replace(" ", NBSP) + NBSP + "kr"


def refusals_of(call) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


@pytest.fixture
def plan_in_force(db):
    return ManagementPlan.objects.get(year=2026)


@pytest.fixture
def draft(db):
    return ManagementPlan.objects.get(year=2027)


# --- the demo: the plan in force decided by SITIV, the draft uplifted ---------------------------------------------


def test_the_demo_budget_in_force_is_decided_by_sitiv_and_each_line_shows_the_decision(client, plan_in_force):
    found = Budget.objects.get(plan=plan_in_force)
    assert found.is_decided and found.decision.body.slug == "sitiv"
    assert set(found.lines.values_list("decision_id", flat=True)) == {found.decision_id}
    page = client.get(plan_in_force.get_absolute_url()).content.decode()
    label = rules.decision_label(found.decision)
    assert label.startswith("SITIV § ") and f"Budgeten är beslutad</strong> ({label})" in page
    assert '<th scope="col">Beslut</th>' in page and page.count(f'<td data-label="Beslut">{label}</td>') == 5


def test_the_demo_draft_is_uplifted_by_2_5_percent_to_the_thousand(client, coordinator, draft):
    found = Budget.objects.get(plan=draft)
    assert found.uplift_percent == Decimal("2.5") and found.uplift_rounding == "thousand"
    assert found.uplifted_from.plan.year == 2026
    amounts = list(found.lines.order_by("position").values_list("amount", flat=True))
    # 7 746 000 × 1,025 = 7 939 650 → 7 940 000; 3 620 000 → 3 710 500 → 3 711 000; 900 000 → 922 500 → 923 000.
    assert amounts[:3] == [Decimal("7940000"), Decimal("3711000"), Decimal("923000")]
    page = signed_in(coordinator).get(draft.get_absolute_url()).content.decode()
    assert f"Uppräknad från budgeten 2026 med 2,5{NBSP}%, avrundad till hela tusental kronor." in page


# --- recording SITIV's decision -----------------------------------------------------------------------------------


def test_the_preparer_records_the_decision_and_the_budget_and_its_lines_cite_it(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    decision = sitiv_decision()
    response = signed_in(preparer).post(
        reverse("documents:budget_decide", kwargs={"pk": plan.pk}), {"decision": decision.pk}
    )
    assert response.status_code == 302
    found = Budget.objects.get(plan=plan)
    assert found.decision == decision and found.decided_by == preparer and found.decided_at is not None
    line.refresh_from_db()
    assert line.decision == decision
    assert found.history.first().history_user == preparer
    assert "Budgeten beslutad: SITIV § " in found.history.first().history_change_reason


def test_a_decided_budget_is_locked_for_the_coordinator(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision())
    found = Budget.objects.select_related("decision__item__meeting", "decision__body").get(plan=plan)
    expected = rules.BUDGET_DECIDED % {"d": rules.decision_label(found.decision), "b": "SITIV"}
    assert rules.budget_edit_check(coordinator, plan) == [expected]
    line.amount = Decimal(5)
    assert refusals_of(lambda: services.budget_line_save(actor=coordinator, plan=plan, line=line)) == [expected]
    assert refusals_of(lambda: services.budget_line_delete(actor=coordinator, line=line)) == [expected]
    page = signed_in(coordinator).get(reverse("documents:budget_line_edit", kwargs={"pk": line.pk}))
    assert expected in page.content.decode()
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal(1000)


def test_the_administrator_may_not_record_sitivs_decision(coordinator, admin_user):
    plan, _ = plan_with_line(coordinator)
    with pytest.raises(PermissionDenied):
        services.budget_decide(actor=admin_user, plan=plan, decision=sitiv_decision())
    assert not Budget.objects.get(plan=plan).is_decided


def test_who_wrote_the_budget_may_not_record_its_decision(coordinator, preparer):
    """A coordinator who is also SITIV's preparer wrote the line: she may not record the decision on it."""
    make_membership(body=Body.objects.get(slug="sitiv"), person=coordinator.person, role=Membership.Role.PREPARER)
    plan, _ = plan_with_line(coordinator)
    decision = sitiv_decision()
    assert rules.budget_decide_check(coordinator, plan) == [str(rules.BUDGET_AUTHOR_MAY_NOT_DECIDE)]
    refused = refusals_of(lambda: services.budget_decide(actor=coordinator, plan=plan, decision=decision))
    assert refused == [str(rules.BUDGET_AUTHOR_MAY_NOT_DECIDE)]
    assert rules.budget_decide_check(preparer, plan) == []  # another preparer may


def test_an_empty_budget_and_a_decided_one_cannot_be_decided(coordinator, preparer):
    plan = make_plan(actor=coordinator)
    decision = sitiv_decision()
    assert refusals_of(lambda: services.budget_decide(actor=preparer, plan=plan, decision=decision)) == [
        str(rules.BUDGET_EMPTY)
    ]
    plan, _ = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan, decision=decision)
    again = refusals_of(lambda: services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision()))
    assert again == [rules.BUDGET_ALREADY_DECIDED % {"d": rules.decision_label(decision)}]


def test_only_a_decision_of_sitiv_in_justerade_minutes_may_be_cited(coordinator, preparer, secretary):
    plan, _ = plan_with_line(coordinator)
    draft_minutes = sitiv_decision(justerad=False)
    noted = sitiv_decision(kind="noted", text="Informationen noteras.")
    cases = {
        draft_minutes: rules.DECISION_MINUTES_NOT_JUSTERADE % {"d": rules.decision_label(draft_minutes)},
        noted: rules.DECISION_NOT_A_DECISION
        % {"d": rules.decision_label(noted), "k": "Informationen noteras", "b": "SITIV"},
    }
    other_body = Decision.objects.exclude(body__slug="sitiv").select_related("item__meeting", "body").first()
    cases[other_body] = rules.DECISION_WRONG_BODY % {"d": rules.decision_label(other_body), "b": "SITIV"}
    for decision, message in cases.items():
        assert refusals_of(lambda d=decision: services.budget_decide(actor=preparer, plan=plan, decision=d)) == [
            message
        ]
        assert decision not in rules.citable_decisions(plan)
    assert not Budget.objects.get(plan=plan).is_decided


def test_a_decision_that_decided_another_budget_cannot_decide_this_one(coordinator, preparer, plan_in_force):
    plan, _ = plan_with_line(coordinator)
    used = Budget.objects.get(plan=plan_in_force).decision
    refused = refusals_of(lambda: services.budget_decide(actor=preparer, plan=plan, decision=used))
    assert refused == [rules.DECISION_DECIDED_ANOTHER_BUDGET % {"d": rules.decision_label(used), "p": plan_in_force}]
    assert used not in rules.citable_decisions(plan)


def test_the_decision_page_says_what_to_do_when_sitiv_has_no_justerad_decision(coordinator, preparer):
    plan, _ = plan_with_line(coordinator)
    Decision.objects.filter(body__slug="sitiv").update(kind="noted")  # the demo's one decision no longer counts
    page = signed_in(preparer).get(reverse("documents:budget_decide", kwargs={"pk": plan.pk})).content.decode()
    assert str(rules.NO_CITABLE_DECISION % {"b": "SITIV"}) in page


# --- changes to a decided budget cite the later decision that allows them -------------------------------------------


def test_sitivs_preparer_changes_a_decided_line_citing_a_later_decision(client, coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision())
    later = sitiv_decision(text="SITIV medger ökad budget för drift.")  # the same day, a later §
    data = {"heading": "Drift", "name": "Drift och licens", "amount": "1 500", "key": "", "own_region_percent": "70"}
    url = reverse("documents:budget_line_edit", kwargs={"pk": line.pk})
    missing = signed_in(preparer).post(url, data)  # no decision chosen: refused on the field, nothing written
    assert missing.status_code == 200 and 'id="id_decision_error"' in missing.content.decode()
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal(1000)
    response = signed_in(preparer).post(url, {**data, "decision": later.pk})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal(1500) and line.decision == later
    assert "ändrad enligt SITIV § " in line.history.first().history_change_reason
    page = signed_in(coordinator).get(plan.get_absolute_url()).content.decode()
    assert f'<td data-label="Beslut">{rules.decision_label(later)}</td>' in page


def test_a_change_may_not_cite_the_budget_decision_itself_nor_an_earlier_one(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    earlier = sitiv_decision(day=today() - datetime.timedelta(days=30))
    first = sitiv_decision()
    services.budget_decide(actor=preparer, plan=plan, decision=first)
    line.amount = Decimal(2000)
    same = refusals_of(lambda: services.budget_line_save(actor=preparer, plan=plan, line=line, decision=first))
    assert same == [rules.DECISION_IS_THE_BUDGET_DECISION % {"d": rules.decision_label(first)}]
    before = refusals_of(lambda: services.budget_line_save(actor=preparer, plan=plan, line=line, decision=earlier))
    assert before == [
        rules.DECISION_BEFORE_BUDGET % {"d": rules.decision_label(earlier), "b": rules.decision_label(first)}
    ]
    assert list(rules.citable_decisions(plan, Budget.objects.get(plan=plan))) == []
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal(1000)


def test_an_undecided_budget_takes_no_decision_and_the_preparer_may_not_write_it(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    decision = sitiv_decision()
    line.amount = Decimal(3)
    refused = refusals_of(lambda: services.budget_line_save(actor=coordinator, plan=plan, line=line, decision=decision))
    assert refused == [str(rules.BUDGET_NOT_DECIDED)]
    with pytest.raises(PermissionDenied):
        services.budget_line_save(actor=preparer, plan=plan, line=line)


def test_the_budget_writer_may_not_change_it_by_decision_either(coordinator, preparer):
    make_membership(body=Body.objects.get(slug="sitiv"), person=coordinator.person, role=Membership.Role.PREPARER)
    plan, line = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision())
    later = sitiv_decision()
    line.amount = Decimal(4)
    refused = refusals_of(lambda: services.budget_line_save(actor=coordinator, plan=plan, line=line, decision=later))
    assert refused == [str(rules.BUDGET_AUTHOR_MAY_NOT_DECIDE)]


# --- next year's budget from this year's ---------------------------------------------------------------------------


def test_uplift_preview_writes_nothing_and_replace_uplifts_every_line(coordinator):
    last, _ = plan_with_line(coordinator, amount=Decimal("7746000"))
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=last.year + 1)
    url = reverse("documents:budget_uplift", kwargs={"pk": plan.pk})
    client = signed_in(coordinator)
    preview = client.post(url, {"percent": "2,5", "rounding": "krona"}).content.decode()
    assert kr("7 939 650") in preview and "Spara de uppräknade raderna" in preview
    assert not BudgetLine.objects.filter(budget__plan=plan).exists()
    # "Ersätt" without the preview's signed lines (a bare POST) only previews again.
    bare = client.post(url, {"percent": "2,5", "rounding": "thousand", "replace": "1"}).content.decode()
    assert str(rules.UPLIFT_SOURCE_CHANGED) in bare and not BudgetLine.objects.filter(budget__plan=plan).exists()
    signed = re.search(r'name="underlag" value="([^"]+)"', bare).group(1)
    response = client.post(url, {"percent": "2,5", "rounding": "thousand", "replace": "1", "underlag": signed})
    assert response.status_code == 302
    found = Budget.objects.get(plan=plan)
    assert list(found.lines.values_list("amount", "own_region_percent")) == [(Decimal("7940000"), Decimal(70))]
    assert found.uplifted_from == Budget.objects.get(plan=last) and found.uplift_percent == Decimal("2.5")


def test_uplift_keeps_a_key_that_holds_for_the_new_year_and_otherwise_its_share(coordinator):
    year = today().year
    lasting = AllocationKey.objects.create(name="Varar", region_percent=50, valid_from=datetime.date(year - 2, 1, 1))
    ending = AllocationKey.objects.create(
        name="Slutar", region_percent=70, valid_from=datetime.date(year - 2, 1, 1), valid_to=datetime.date(year, 12, 31)
    )
    last = make_plan(actor=coordinator, year=year)
    for name, key in (("A", lasting), ("B", ending)):
        services.budget_line_save(actor=coordinator, plan=last, line=BudgetLine(name=name, amount=100, key=key))
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=year + 1)
    services.budget_uplift(actor=coordinator, plan=plan, percent=Decimal(0), rounding="ore")
    a, b = BudgetLine.objects.filter(budget__plan=plan).order_by("position")
    assert a.key == lasting and a.own_region_percent is None
    assert b.key is None and b.own_region_percent == Decimal(70)


def test_uplift_refuses_bad_input_on_the_field_and_without_a_budget_last_year(coordinator):
    last, _ = plan_with_line(coordinator)
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=last.year + 1)
    url = reverse("documents:budget_uplift", kwargs={"pk": plan.pk})
    for typed, message in (("två", money.UPLIFT_NOT_A_NUMBER), ("2,12345", money.UPLIFT_TOO_MANY_DECIMALS),
                           ("150", money.UPLIFT_OUT_OF_RANGE), ("", money.UPLIFT_EMPTY)):  # fmt: skip
        page = signed_in(coordinator).post(url, {"percent": typed, "rounding": "krona", "replace": "1"})
        assert page.status_code == 200 and str(message) in page.content.decode()
        if typed:
            assert f'value="{typed}"' in page.content.decode()  # what was typed is kept
    assert not BudgetLine.objects.filter(budget__plan=plan).exists()
    lonely = make_plan(actor=coordinator)
    assert rules.budget_uplift_check(coordinator, lonely) == [rules.UPLIFT_NO_SOURCE % {"y": lonely.year - 1}]


def test_parse_uplift_reads_swedish_percentages():
    assert money.parse_uplift("2,5") == Decimal("2.5")
    assert money.parse_uplift("2,5 %") == Decimal("2.5")
    assert money.parse_uplift("−1,25") == Decimal("-1.25")
    assert money.parse_uplift("0") == Decimal(0)


# --- the deadline ---------------------------------------------------------------------------------------------------


def test_the_deadline_is_1_september_the_year_before_on_the_plan_and_the_start_page(coordinator, preparer, draft):
    assert budget.deadline(draft) == datetime.date(draft.year - 1, 9, 1)
    page = signed_in(coordinator).get(draft.get_absolute_url()).content.decode()
    assert f"Budgeten ska vara klar senast 1 september {draft.year - 1}" in page
    start = signed_in(coordinator).get("/").content.decode()
    assert "Budgetar att göra klara" in start and f"ska vara klar senast 1 september {draft.year - 1}" in start
    assert "Budgetar som väntar på beslut" in signed_in(preparer).get("/").content.decode()


def test_a_decided_budget_leaves_the_start_pages(coordinator, preparer, draft):
    services.budget_decide(actor=preparer, plan=draft, decision=sitiv_decision())
    assert "Budgetar att göra klara" not in signed_in(coordinator).get("/").content.decode()
    assert "Budgetar som väntar på beslut" not in signed_in(preparer).get("/").content.decode()
    assert "ska vara klar senast" not in signed_in(coordinator).get(draft.get_absolute_url()).content.decode()


# --- the budget in the review round and in the PDF ---------------------------------------------------------------


def test_the_review_round_shows_the_budget_as_sent_not_as_changed_since(coordinator, rep_fyrbodal):
    plan, line = plan_with_line(coordinator, amount=Decimal("350000"))
    review = reviews.round_open(
        actor=coordinator,
        plan=plan,
        deadline=today() + datetime.timedelta(days=14),
        subregions=list(Subregion.objects.all()),
    )
    line.amount = Decimal("999000")
    services.budget_line_save(actor=coordinator, plan=plan, line=line)
    page = signed_in(rep_fyrbodal).get(review.get_absolute_url()).content.decode()
    table = re.search(r'<table class="responsive budget">.*?</table>', page, re.S).group(0)
    assert kr("350 000") in table and kr("105 000") in table and kr("999 000") not in table
    assert "Budget (rader)" in page  # the draft's change is listed beside the version sent


def test_the_plan_pdf_carries_the_budget_table(plan_in_force, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_plan_pdf(plan_in_force))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "15 314 000 kr" in text and "5 318 200 kr" in text and "9 995 800 kr" in text
    assert "Budgeten är beslutad (SITIV §" in text
