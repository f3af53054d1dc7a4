"""A plan's budget (issue 11, item 1): seed 003's table on the plan page, the split and totals, who may change a
line and when, bad input refused on the field, and the page's query count not growing with the lines."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from documents import budget, money, rules, services
from documents.models import AllocationKey, Budget, BudgetLine, ManagementPlan
from tests.factories import today

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"

SEED_003 = [  # Benämning, Budget, Kommun, VGR (seed 003's table)
    ("Drift och licens", "7 746 000", "2 323 800", "5 422 200"),
    ("Processledare/Funktionskoordinatorer (400%)", "3 620 000", "1 810 000", "1 810 000"),
    ("Utveckling inkluderat teknisk resurs", "900 000", "270 000", "630 000"),
    ("Support (ta höjd för ev. ökat behov under året)", "2 698 000", "809 400", "1 888 600"),
    ("Möten, utbildning, kommunikation", "350 000", "105 000", "245 000"),
]
TOTAL = ("Totalt", "15 314 000", "5 318 200", "9 995 800")


def kr(figure: str) -> str:
    return figure.replace(" ", NBSP) + NBSP + "kr"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(page: str) -> list[tuple[str, ...]]:
    """The budget table's rows as (Benämning, Budget, Kommun, VGR), tags stripped."""
    table = re.search(r'<table class="responsive budget">(.*?)</table>', page, re.S)
    assert table, "no budget table on the page"
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>|<tr class=\"budget-total\">(.*?)</tr>", table.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", "".join(row), re.S)
        found.append(tuple(re.sub(r"<[^>]+>", "", c).strip() for c in cells[:4]))
    return [r for r in found if r and r[0] not in ("Benämning",)]


@pytest.fixture
def plan_in_force(db):
    return ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)


@pytest.fixture
def draft(db):
    return ManagementPlan.objects.get(year=2027)


@pytest.fixture
def key70(db):
    return AllocationKey.objects.get(name="IT-tjänsten 70/30")


def form_data(**overrides):
    data = {"heading": "Drift", "name": "Ny rad", "amount": "1 234,50", "key": "", "own_region_percent": "70"}
    data.update(overrides)
    return data


def create_url(plan):
    return reverse("documents:budget_line_create", kwargs={"pk": plan.pk})


# --- seed 003 on the plan page ----------------------------------------------------------------------------------


def test_seed_003_table_on_the_plan_page(client, plan_in_force):
    page = client.get(plan_in_force.get_absolute_url()).content.decode()
    expected = [(name, kr(b), kr(k), kr(v)) for name, b, k, v in [*SEED_003, TOTAL]]
    assert rows(page) == expected
    assert "<caption>" in page and '<th scope="col">Nyckel</th>' in page and 'scope="row"' in page
    assert "Vidmakthållande, nödvändig vidareutveckling och vidareutveckling" in page  # the heading row
    assert "Lönekostnader 50/50" in page and "IT-tjänsten 70/30" in page
    assert "Budgettabellen" not in page and "senare version av portalen" not in page
    assert "Lägg till en budgetrad" not in page  # the public may not edit, nor may anyone a plan in force


def test_totals_are_the_sums_of_the_lines_parts():
    key = AllocationKey(name="k", region_percent=Decimal("33.33"), valid_from=datetime.date(2000, 1, 1))
    lines = [BudgetLine(heading="A", name=f"r{n}", amount=Decimal("0.01"), key=key) for n in range(3)]
    lines.append(BudgetLine(heading="B", name="own", amount=Decimal("100.00"), own_region_percent=Decimal("70")))
    table = budget.table(None, lines)
    assert [g.heading for g in table.groups] == ["A", "B"]
    for row in (r for g in table.groups for r in g.rows):
        assert row.region + row.municipalities == row.amount
    assert table.total.amount == Decimal("100.03")
    assert table.total.region == sum(r.region for g in table.groups for r in g.rows)
    assert table.total.region + table.total.municipalities == table.total.amount
    # A split of the summed amount would differ: 0.03 × 33.33 % rounds to 0.01, the lines' parts give 0.00.
    assert money.split(Decimal("0.03"), Decimal("33.33")).region != table.groups[0].sums.region
    assert table.total.shown["amount"] == "100,03" + NBSP + "kr"


def test_a_plan_without_a_budget_says_nothing_about_a_budget(client, plan_in_force):
    Budget.objects.filter(plan=plan_in_force).delete()
    page = client.get(plan_in_force.get_absolute_url()).content.decode()
    assert 'class="responsive budget"' not in page and "budgetrad" not in page.lower()


# --- who may change a line, and when --------------------------------------------------------------------------

ALLOWED = ["coordinator", "admin_user"]
REFUSED = ["rep_fyrbodal", "rep_skaraborg", "admin_fyrbodal", "preparer", "secretary", "chair", "reader"]


@pytest.mark.parametrize("role", ALLOWED)
def test_allowed_roles_add_a_line(role, request, draft):
    user = request.getfixturevalue(role)
    response = signed_in(user).post(create_url(draft), form_data(name=f"Rad av {role}"))
    assert response.status_code == 302
    line = BudgetLine.objects.get(budget__plan=draft, name=f"Rad av {role}")
    assert line.amount == Decimal("1234.50") and line.own_region_percent == Decimal("70")
    assert line.history.count() == 1


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_and_nothing_is_written(role, request, draft):
    user = request.getfixturevalue(role)
    before = BudgetLine.objects.count(), Budget.objects.count()
    response = signed_in(user).post(create_url(draft), form_data())
    assert response.status_code in (403, 404)
    assert (BudgetLine.objects.count(), Budget.objects.count()) == before


@pytest.mark.parametrize("role", [r for r in REFUSED if r != "preparer"])  # SITIV's: tests/test_budget_decisions.py
def test_other_roles_may_not_change_or_remove_a_line(role, request, plan_in_force):
    user = request.getfixturevalue(role)
    line = BudgetLine.objects.filter(budget__plan=plan_in_force).first()
    client = signed_in(user)
    edit = client.post(reverse("documents:budget_line_edit", kwargs={"pk": line.pk}), form_data(amount="1"))
    delete = client.post(reverse("documents:budget_line_delete", kwargs={"pk": line.pk}), {"confirmed": "1"})
    assert edit.status_code in (403, 404) and delete.status_code in (403, 404)
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("7746000.00")


def test_a_locked_plan_refuses_with_the_section_editing_message(coordinator, plan_in_force):
    before = BudgetLine.objects.count()
    client = signed_in(coordinator)
    response = client.post(create_url(plan_in_force), form_data())
    assert response.status_code == 200
    message = rules.PLAN_LOCKED % {"s": str(plan_in_force.get_status_display()).lower()}
    assert message in response.content.decode()
    assert BudgetLine.objects.count() == before
    line = BudgetLine.objects.filter(budget__plan=plan_in_force).first()
    client.post(reverse("documents:budget_line_delete", kwargs={"pk": line.pk}), {"confirmed": "1"})
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert rules.plan_edit_check(coordinator, plan_in_force) == [message]
    with pytest.raises(Exception, match="kan inte ändras"):
        services.budget_line_save(
            actor=coordinator, plan=plan_in_force, line=BudgetLine(name="x", amount=1, own_region_percent=50)
        )


def test_the_coordinator_changes_and_removes_a_line(coordinator, draft):
    client = signed_in(coordinator)
    client.post(create_url(draft), form_data(name="Att ändra"))
    line = BudgetLine.objects.get(name="Att ändra")
    page = client.get(reverse("documents:budget_line_edit", kwargs={"pk": line.pk})).content.decode()
    assert "1" + NBSP + "234,50" in page  # shown the Swedish way, as it was typed
    client.post(reverse("documents:budget_line_edit", kwargs={"pk": line.pk}), form_data(name="Ändrad", amount="2 000"))
    line.refresh_from_db()
    assert line.name == "Ändrad" and line.amount == Decimal("2000.00")
    client.post(reverse("documents:budget_line_delete", kwargs={"pk": line.pk}), {"confirmed": "1"})
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


# --- bad input --------------------------------------------------------------------------------------------------


def _post_bad(coordinator, draft, **data):
    before = BudgetLine.objects.count()
    response = signed_in(coordinator).post(create_url(draft), form_data(**data))
    assert response.status_code == 200
    assert BudgetLine.objects.count() == before
    return response.content.decode()


def test_negative_amount_refused_on_the_field(coordinator, draft):
    page = _post_bad(coordinator, draft, amount="-100", name="Behålls")
    assert str(money.AMOUNT_NEGATIVE) in page and 'value="Behålls"' in page and 'value="-100"' in page


def test_text_amount_refused_on_the_field(coordinator, draft):
    page = _post_bad(coordinator, draft, amount="mycket")
    assert str(money.AMOUNT_NOT_A_NUMBER) in page and 'value="mycket"' in page


def test_a_key_not_valid_for_the_year_is_refused(coordinator, draft):
    old = AllocationKey.objects.create(
        name="Gammal nyckel",
        region_percent=Decimal("60"),
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(draft.year - 1, 12, 31),
    )
    page = _post_bad(coordinator, draft, key=str(old.pk), own_region_percent="")
    assert str(rules.KEY_NOT_VALID_FOR_YEAR % {"k": "Gammal nyckel", "y": draft.year}) in page


def test_a_key_from_later_in_the_year_is_refused(coordinator, draft):
    later = AllocationKey.objects.create(
        name="Sen nyckel", region_percent=Decimal("60"), valid_from=datetime.date(draft.year, 7, 1)
    )
    page = _post_bad(coordinator, draft, key=str(later.pk), own_region_percent="")
    assert "gäller inte för" in page


def test_neither_key_nor_own_share_is_refused(coordinator, draft):
    page = _post_bad(coordinator, draft, key="", own_region_percent="")
    assert str(rules.KEY_OR_OWN_SHARE_MISSING) in page


def test_both_key_and_own_share_is_refused(coordinator, draft, key70):
    page = _post_bad(coordinator, draft, key=str(key70.pk), own_region_percent="50")
    assert str(rules.KEY_OR_OWN_SHARE) in page


def test_own_share_above_100_is_refused(coordinator, draft):
    page = _post_bad(coordinator, draft, own_region_percent="120")
    assert str(money.PERCENT_OUT_OF_RANGE) in page


def test_a_valid_key_is_accepted(coordinator, draft, key70):
    signed_in(coordinator).post(
        create_url(draft), form_data(name="Med nyckel", key=str(key70.pk), own_region_percent="")
    )
    line = BudgetLine.objects.get(name="Med nyckel")
    assert line.key == key70 and line.own_region_percent is None


def test_key_validity_covers_the_whole_year():
    year = today().year - 3  # a pure check of dates: any two past years will do
    key = AllocationKey(
        name="k",
        region_percent=Decimal(50),
        valid_from=datetime.date(year - 1, 1, 1),
        valid_to=datetime.date(year, 12, 31),
    )
    assert budget.key_valid_for_year(key, year) and budget.key_valid_for_year(key, year - 1)
    assert not budget.key_valid_for_year(key, year - 2) and not budget.key_valid_for_year(key, year + 1)
    key.valid_to = datetime.date(year, 12, 30)
    assert not budget.key_valid_for_year(key, year)


def test_the_database_refuses_a_line_with_both_or_neither_and_a_negative_amount(draft, key70):
    from django.db import IntegrityError, transaction

    plan_budget, _ = Budget.objects.get_or_create(plan=draft)
    for fields in (
        {"amount": 1, "key": key70, "own_region_percent": 50},
        {"amount": 1},
        {"amount": -1, "key": key70},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            BudgetLine.objects.create(budget=plan_budget, name="x", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationKey.objects.create(name="för mycket", region_percent=101, valid_from=today())


# --- the page's cost --------------------------------------------------------------------------------------------


def _lines(plan, n, key):
    plan_budget, _ = Budget.objects.get_or_create(plan=plan)
    BudgetLine.objects.filter(budget=plan_budget).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=plan_budget, heading=f"Rubrik {i % 3}", position=i, name=f"Rad {i}", amount=1000 + i, key=key)
        for i in range(n)
    )


# The plan page's queries, fixed: the budget costs one query (its lines with their keys and decisions) however many
# lines, and for the coordinator one more to find last year's budget to uplift from.
PAGE_QUERIES = {"coordinator": 13, None: 6}


@pytest.mark.parametrize("lines", [1, 20])
@pytest.mark.parametrize("viewer", ["coordinator", None])
def test_plan_page_queries_do_not_grow_with_lines(viewer, lines, request, draft, key70, django_assert_num_queries):
    client = signed_in(request.getfixturevalue(viewer)) if viewer else Client()
    plan = draft if viewer else ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)
    _lines(plan, lines, key70)
    client.get(plan.get_absolute_url())  # warm caches (kept fragments, sessions)
    with django_assert_num_queries(PAGE_QUERIES[viewer]):
        page = client.get(plan.get_absolute_url()).content.decode()
    assert f"Rad {lines - 1}" in page
