"""Attacks on a budget's decisions and uplift (issue 11), from a red-team pass: each test states a rule and failed
while the defect it names was in the code (all fixed); the "holds" tests at the end record what was tried and held.

The rules (brief): SITIV's decision on a budget is recorded only by a preparer of the budget body, never by someone who
wrote the budget and never by the administrator; a decided budget is locked except for that preparer's changes that
cite a LATER decision of SITIV in justerade minutes (not noted, not another body's, not the budget decision itself,
not one that decided another budget); the coordinator edits only undecided budgets of editable plans; every bad input
gets a Swedish message and never a 500; concurrent requests never break an invariant."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents import rules, services
from documents.models import Budget, BudgetLine
from governance import permissions
from governance.models import Body
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.signatories import minutes_record_paper_justering
from tests.factories import plan_with_line, signed_in, sitiv_decision, superuser, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sitiv_meeting_with(*texts, day):
    """One SITIV meeting on `day` with one decision (§) per text, in that order (§ n, § n+1, …), its minutes justerade
    on paper the next day: the shape of a real meeting that takes several budget items."""
    sitiv = Body.objects.get(slug="sitiv")
    chair = sitiv.memberships.filter(role="chair").select_related("person").first()
    admin = superuser()
    meeting = Meeting(
        body=sitiv,
        title="SITIV (röd granskning)",
        date=day,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(15, 0),
        mode="digital",
        chair=chair.person if chair else None,
    )
    meeting_services.meeting_create(actor=admin, meeting=meeting)
    decisions = []
    for text in texts:
        item = meeting.items.model(meeting=meeting, title=text[:60], purpose="decision")
        meeting_services.agenda_item_save(actor=admin, item=item)
        decisions.append(meeting_services.decision_add(actor=admin, item=item, kind="decision", text=text))
    minutes_record_paper_justering(
        actor=admin, meeting=meeting, date=min(day + DAY, today()), signers=[chair.person] if chair else []
    )
    return decisions


def budget_of(plan) -> Budget:
    return Budget.objects.select_related("decision__item__meeting", "decision__body").get(plan=plan)


# --- D1: "a LATER decision": an earlier § of the budget decision's own meeting passes as later ----------------------


def test_a_change_may_not_cite_an_earlier_paragraph_of_the_meeting_that_decided_the_budget(coordinator, preparer):
    """SITIV's meeting takes § n "budgeten för X minskas" and then § n+1 "budgeten fastställs". § n is not a later
    decision than the budget decision, yet decision_cite_errors compares meeting dates only (`<`), and
    citable_decisions offers it (`__gte`)."""
    plan, line = plan_with_line(coordinator)
    earlier, budget_decision = sitiv_meeting_with(
        "SITIV minskar driftbudgeten med 500 kr.", "SITIV fastställer budgeten.", day=today()
    )
    assert earlier.number < budget_decision.number
    services.budget_decide(actor=preparer, plan=plan, decision=budget_decision)
    line.amount = Decimal(500)
    with pytest.raises(ValidationError):
        services.budget_line_save(actor=preparer, plan=plan, line=line, decision=earlier)
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal(1000)
    assert earlier not in rules.citable_decisions(plan, budget_of(plan)), "an earlier § is offered as the later one"


# --- D2: a decision that set another budget's figures becomes this budget's decision ----------------------------


def test_a_decision_cited_by_another_budgets_lines_cannot_then_decide_this_budget(coordinator, preparer):
    """The § that allowed a change to plan A's decided budget (A's lines now cite it) is recorded as the decision on
    plan B's budget: decision_cite_errors only looks at Budget.decision, never at BudgetLine.decision, so one § ends up
    as both "the change to A" and "the decision on B" (and A's lines then cite a decision that decided another
    budget)."""
    plan_a, line_a = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan_a, decision=sitiv_decision())
    change = sitiv_decision(text="SITIV medger ökad budget för drift i A.")
    line_a.amount = Decimal(1500)
    services.budget_line_save(actor=preparer, plan=plan_a, line=line_a, decision=change)
    assert BudgetLine.objects.get(pk=line_a.pk).decision == change

    plan_b, _ = plan_with_line(coordinator)
    with pytest.raises(ValidationError):
        services.budget_decide(actor=preparer, plan=plan_b, decision=change)
    assert not budget_of(plan_b).is_decided
    assert change not in rules.citable_decisions(plan_b), "A's change decision is offered as B's budget decision"


# --- D3: the decision recorded predates the figures it is said to have set --------------------------------------


def test_a_decision_older_than_the_budgets_figures_cannot_be_recorded_as_deciding_them(coordinator, preparer):
    """SITIV met a week ago; today the coordinator raises a line (nothing stops her: the budget is not decided yet);
    then the preparer records last week's § and every line, the raised one included, shows "set by SITIV § n". An
    insider coordinator can thus get figures SITIV never saw marked as decided. Nothing compares the decision's
    meeting date with the budget lines' last change (or with the version sent to SITIV)."""
    plan, line = plan_with_line(coordinator)
    decision = sitiv_decision(day=today() - 7 * DAY)
    line.amount = Decimal(9_000_000)  # after the meeting
    services.budget_line_save(actor=coordinator, plan=plan, line=line)
    with pytest.raises(ValidationError):
        services.budget_decide(actor=preparer, plan=plan, decision=decision)
    assert not budget_of(plan).is_decided


# --- D4: a stale line outside the lock is written back after it was removed (or replaced by the uplift) -----------


def test_a_line_removed_while_another_coordinator_edits_it_is_not_brought_back(coordinator):
    """The edit view loads the line before services take the plan's lock; the service re-checks the budget but not that
    the line still exists, and Model.save() on a removed pk INSERTs it again: the line comes back from the dead."""
    plan, line = plan_with_line(coordinator)
    stale = BudgetLine.objects.get(pk=line.pk)  # coordinator 2's edit request has loaded the line
    services.budget_line_delete(actor=coordinator, line=line)  # coordinator 1 removes it and commits
    stale.amount = Decimal(5)
    with pytest.raises(ValidationError):
        services.budget_line_save(actor=coordinator, plan=plan, line=stale)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_an_edit_racing_the_uplift_does_not_add_an_old_line_to_the_uplifted_budget(coordinator):
    """Same cause, worse effect: the uplift replaced every line of next year's draft; a concurrent edit of one of the
    replaced lines re-inserts it, so the uplifted budget has the uplifted lines plus a stale one and its total is no
    longer last year's × the index."""
    last, _ = plan_with_line(coordinator, amount=Decimal(1000))
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=last.year + 1)
    own = services.budget_line_save(
        actor=coordinator, plan=plan, line=BudgetLine(name="Egen rad", amount=Decimal(400), own_region_percent=50)
    )
    stale = BudgetLine.objects.get(pk=own.pk)
    services.budget_uplift(actor=coordinator, plan=plan, percent=Decimal("2.5"), rounding="krona")
    stale.amount = Decimal(450)
    try:
        services.budget_line_save(actor=coordinator, plan=plan, line=stale)
    except ValidationError:
        pass
    amounts = sorted(BudgetLine.objects.filter(budget__plan=plan).values_list("amount", flat=True))
    assert amounts == [Decimal(1025)], f"the uplifted budget is {amounts}"


# --- D5: "Ersätt" writes what no preview showed --------------------------------------------------------------


def test_replace_writes_the_lines_the_preview_showed_not_lines_computed_later(coordinator, preparer):
    """The preview is not carried to "Ersätt" (only percent and rounding are): the service recomputes from the source
    budget as it is at replace time. Last year's decided budget changed by a later decision between the preview and
    the click, so the draft is replaced with lines nobody previewed. (The same hole lets a bare POST with
    replace=1 and any rounding replace the draft without any preview: test_budget_decisions even does so.)"""
    last, source_line = plan_with_line(coordinator, amount=Decimal(1000))
    services.budget_decide(actor=preparer, plan=last, decision=sitiv_decision())
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=last.year + 1)
    url = reverse("documents:budget_uplift", kwargs={"pk": plan.pk})
    client = signed_in(coordinator)
    preview = client.post(url, {"percent": "2,5", "rounding": "krona"}).content.decode()
    assert "1\u00a0025,00\u00a0kr" in preview

    source_line.refresh_from_db()
    source_line.amount = Decimal(100_000)
    services.budget_line_save(actor=preparer, plan=last, line=source_line, decision=sitiv_decision())

    signed = re.search(r'name="underlag" value="([^"]+)"', preview).group(1)
    client.post(url, {"percent": "2,5", "rounding": "krona", "replace": "1", "underlag": signed})
    written = list(BudgetLine.objects.filter(budget__plan=plan).values_list("amount", flat=True))
    assert written in ([], [Decimal(1025)]), f"replaced with {written}, the preview showed 1 025 kr"


# --- D6: the administrator is not excluded by the rule, only by holding no seat -----------------------------------


def test_an_administrator_account_never_records_sitivs_decision_even_with_a_preparer_seat(coordinator, preparer):
    """_decide_budget asks only for a preparer seat in the budget body. The brief: "never by the administrator". A
    superuser who holds a SITIV preparer seat (the administrator appoints herself freely: seat_refusals returns {} for
    her, and Django's admin can make any account a superuser) records the decision."""
    plan, _ = plan_with_line(coordinator)
    preparer.is_superuser = True
    preparer.save(update_fields=["is_superuser"])
    assert permissions.is_admin(preparer)
    assert not permissions.can(preparer, rules.DECIDE_BUDGET, plan)
    assert rules.budget_decide_check(preparer, plan) != []


# --- what was tried and held ---------------------------------------------------------------------------------------


def test_holds_tampered_decision_ids_get_a_swedish_field_error_not_a_500(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    url = reverse("documents:budget_decide", kwargs={"pk": plan.pk})
    from meetings.models import Decision

    other_body = Decision.objects.exclude(body__slug="sitiv").first()
    noted = sitiv_decision(kind="noted", text="Informationen noteras.")
    for value in ("abc", "-1", "0", "99999999", str(10**30), "1.5", "", str(other_body.pk), str(noted.pk)):
        page = signed_in(preparer).post(url, {"decision": value})
        assert page.status_code == 200, value
        assert 'id="id_decision_error"' in page.content.decode(), value
    assert not budget_of(plan).is_decided
    services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision())
    edit = reverse("documents:budget_line_edit", kwargs={"pk": line.pk})
    data = {"heading": "Drift", "name": "Drift och licens", "amount": "1 500", "key": "", "own_region_percent": "70"}
    for value in ("abc", str(10**30), str(budget_of(plan).decision_id)):
        page = signed_in(preparer).post(edit, {**data, "decision": value})
        assert page.status_code == 200 and 'id="id_decision_error"' in page.content.decode(), value
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal(1000)


def test_holds_the_coordinator_cannot_smuggle_a_decision_into_an_undecided_budget(coordinator):
    plan, line = plan_with_line(coordinator)
    decision = sitiv_decision()
    edit = reverse("documents:budget_line_edit", kwargs={"pk": line.pk})
    data = {"heading": "Drift", "name": "Drift", "amount": "1 000", "key": "", "own_region_percent": "70"}
    assert signed_in(coordinator).post(edit, {**data, "decision": decision.pk}).status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).decision_id is None
    assert rules.budget_author_ids(budget_of(plan)) == {coordinator.pk}


def test_holds_the_preparer_does_not_become_an_author_by_deciding_and_changing(coordinator, preparer):
    plan, line = plan_with_line(coordinator)
    services.budget_decide(actor=preparer, plan=plan, decision=sitiv_decision())
    for n in range(2):
        line.amount = Decimal(2000 + n)
        services.budget_line_save(actor=preparer, plan=plan, line=line, decision=sitiv_decision())
    services.budget_line_save(
        actor=preparer,
        plan=plan,
        line=BudgetLine(name="Ny rad", amount=Decimal(10), own_region_percent=0),
        decision=sitiv_decision(),
    )
    assert preparer.pk not in rules.budget_author_ids(budget_of(plan))
    assert rules.budget_change_check(preparer, plan) == []


def test_holds_odd_uplift_input_and_huge_amounts_get_swedish_messages(coordinator):
    last, _ = plan_with_line(coordinator, amount=Decimal("999999999999.99"))
    plan = services.plan_create(actor=coordinator, managed_object=last.managed_object, year=last.year + 1)
    url = reverse("documents:budget_uplift", kwargs={"pk": plan.pk})
    client = signed_in(coordinator)
    for data in (
        {"percent": "100", "rounding": "krona"},
        {"percent": "100", "rounding": "krona", "replace": "1"},
        {"percent": "0", "rounding": "thousand", "replace": "1"},  # rounds up past the largest amount
        {"percent": "2,5", "rounding": "biljon", "replace": "1"},
        {"percent": "1e3", "rounding": "ore"},
        {"percent": "9" * 20, "rounding": "ore"},
        {"percent": "-100", "rounding": "ore"},
        {"percent": "٢", "rounding": "ore"},
    ):
        page = client.post(url, data)
        assert page.status_code == 200, data
    assert not BudgetLine.objects.filter(budget__plan=plan).exists()


def test_holds_start_page_panel_shows_nothing_to_people_without_a_budget_task(rep_fyrbodal, admin_fyrbodal, reader):
    for user in (rep_fyrbodal, admin_fyrbodal, reader):
        page = signed_in(user).get("/").content.decode()
        assert "Budgetar att göra klara" not in page and "Budgetar som väntar på beslut" not in page


def test_holds_huge_and_foreign_ids_in_the_budget_urls_are_404_or_403_not_500(
    coordinator, preparer, admin_user, rep_fyrbodal
):
    plan, line = plan_with_line(coordinator)
    huge = 10**20
    for name, pk in (("budget_decide", huge), ("budget_uplift", huge), ("budget_line_create", huge)):
        assert signed_in(preparer).post(reverse(f"documents:{name}", kwargs={"pk": pk}), {}).status_code == 404
    for name in ("budget_line_edit", "budget_line_delete"):
        assert signed_in(coordinator).post(reverse(f"documents:{name}", kwargs={"pk": huge}), {}).status_code == 404
    decision = sitiv_decision()
    url = reverse("documents:budget_decide", kwargs={"pk": plan.pk})
    for user, status in ((coordinator, 403), (admin_user, 403), (rep_fyrbodal, 404)):  # a draft: not hers to see
        assert signed_in(user).post(url, {"decision": decision.pk}).status_code == status
    assert (
        signed_in(preparer).post(reverse("documents:budget_line_edit", kwargs={"pk": line.pk}), {}).status_code == 403
    )
    assert not budget_of(plan).is_decided


def test_a_preparer_appointed_by_the_budgets_writer_may_not_decide_it(coordinator, preparer):
    """The coordinator fills seats that represent no subregion, preparers' included: whom she appoints to SITIV may
    not record the decision on (or change) the budget she wrote; a preparer appointed by someone else may."""
    from governance.models import Membership
    from tests.factories import make_membership, make_person

    plan, _ = plan_with_line(coordinator)
    chosen = make_person()
    sitiv = Body.objects.get(slug="sitiv")
    make_membership(body=sitiv, person=chosen, role=Membership.Role.PREPARER, actor=coordinator)
    decision = sitiv_decision()
    assert rules.budget_decide_check(chosen.user, plan) == [str(rules.PREPARER_APPOINTED_BY_AUTHOR)]
    with pytest.raises(ValidationError):
        services.budget_decide(actor=chosen.user, plan=plan, decision=decision)
    assert rules.budget_decide_check(preparer, plan) == []  # appointed by the demo's administrator
