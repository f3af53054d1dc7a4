"""Import of today's budget spreadsheet (issue 11, item 2): seed 003's table from .xlsx and CSV shows exactly its
figures with the keys inferred; every bad file is refused with the line and column named and nothing saved; lines
that match no key wait for a decision; the upload and confirm routes for every role; a locked plan and a tampered
payload refused; the command."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from documents import budget_import as importing
from documents import budget_import_views as views
from documents import money, rules, services
from documents.models import AllocationKey, BudgetLine, ManagedObject, ManagementPlan
from tests.test_budget import SEED_003, TOTAL, kr, rows, signed_in

pytestmark = pytest.mark.django_db

HEADING = "Vidmakthållande, nödvändig vidareutveckling och vidareutveckling"
HEADER = ["Benämning", "Budget", "Kommun (VGK)", "VGR"]
KEYS = {  # the key each line of seed 003 is inferred to (first by name, unless a word of the line names one)
    "Drift och licens": "IT-tjänsten 70/30",
    "Processledare/Funktionskoordinatorer (400%)": "Lönekostnader 50/50",
    "Utveckling inkluderat teknisk resurs": "Utveckling och support 70/30",
    "Support (ta höjd för ev. ökat behov under året)": "Utveckling och support 70/30",
    "Möten, utbildning, kommunikation": "IT-tjänsten 70/30",
}
YEAR = 2024  # seed 003's table is of 2024 (a past year, fixed like the seed)


def number(text: str) -> int:
    return int(text.replace(" ", ""))


def xlsx(table: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_table(numbers=True) -> list[list[object]]:
    convert = number if numbers else str
    return [
        HEADER,
        [HEADING, None, None, None],
        *[[name, convert(b), convert(k), convert(v)] for name, b, k, v in SEED_003],
        [TOTAL[0], *(convert(x) for x in TOTAL[1:])],
    ]


def csv_bytes(table, delimiter=";", encoding="utf-8-sig") -> bytes:
    def cell(value):
        text = "" if value is None else str(value)
        return f'"{text}"' if delimiter in text or "," in text else text

    return "\r\n".join(delimiter.join(cell(c) for c in row) for row in table).encode(encoding)


@pytest.fixture
def plan2024(coordinator):
    shvo = ManagedObject.objects.get(slug="shvo")
    return services.plan_create(actor=coordinator, managed_object=shvo, year=YEAR)


@pytest.fixture
def in_force(db):
    return ManagementPlan.objects.get(status=ManagementPlan.Status.IN_FORCE)


@pytest.fixture
def draft(db):
    return ManagementPlan.objects.get(year=2027)


def url(plan) -> str:
    return reverse("documents:budget_import", kwargs={"pk": plan.pk})


def upload(client, plan, data: bytes, name="budget.xlsx"):
    return client.post(url(plan), {"file": SimpleUploadedFile(name, data)})


def signed_value(page: str) -> str:
    found = re.search(rf'name="{views.SIGNED}" value="([^"]+)"', page)
    assert found, "no confirm form on the page"
    return found.group(1)


def expected_rows():
    return [(name, kr(b), kr(k), kr(v)) for name, b, k, v in [*SEED_003, TOTAL]]


def parse(data: bytes, name="budget.csv", year=YEAR):
    return importing.parse(data, year=year, filename=name)


# --- seed 003: the "Done when" case --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (xlsx(seed_table()), "budget.xlsx"),
        (xlsx(seed_table(numbers=False)), "budget.xlsx"),
        (csv_bytes(seed_table(numbers=False)), "budget.csv"),
    ],
    ids=["xlsx-numbers", "xlsx-text", "csv"],
)
def test_seed_003_imported_shows_exactly_its_figures(coordinator, plan2024, data, name):
    client = signed_in(coordinator)
    preview = upload(client, plan2024, data, name)
    assert preview.status_code == 200
    page = preview.content.decode()
    for key in KEYS.values():
        assert key in page
    assert "härledd ur beloppen" in page and "Importera 5 rader" in page
    assert "Planen har inga budgetrader nu" in page
    assert not BudgetLine.objects.filter(budget__plan=plan2024).exists()  # nothing saved before confirm
    done = client.post(url(plan2024), {views.SIGNED: signed_value(page)})
    assert done.status_code == 302
    plan_page = client.get(plan2024.get_absolute_url()).content.decode()
    assert rows(plan_page) == expected_rows()
    assert HEADING in plan_page
    lines = BudgetLine.objects.filter(budget__plan=plan2024).select_related("key").order_by("position")
    assert [(line.name, line.key.name) for line in lines] == list(KEYS.items())
    assert all(line.heading == HEADING and line.history.count() == 1 for line in lines)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8"), (";", "utf-8-sig"), ("\t", "cp1252"), (",", "utf-8-sig")]
)
def test_csv_separators_and_encodings(delimiter, encoding):
    preview = parse(csv_bytes(seed_table(numbers=False), delimiter, encoding))
    assert preview.ok, preview.errors
    assert [line.key_name for line in preview.lines] == list(KEYS.values())
    assert preview.totals == {
        "amount": Decimal("15314000.00"),
        "municipalities": Decimal("5318200.00"),
        "region": Decimal("9995800.00"),
    }


def test_a_key_column_with_names_and_ratios_and_a_rubrik_column():
    table = [
        ["  FÖRDELNINGSNYCKEL ", "rubrik", "benämning", "Budget (kr)"],
        ["lönekostnader 50/50", "Personal", "Löner", "3 620 000"],
        ["70/30", "Drift", "Drift och licens", "7 746 000"],
        ["70 / 30", "Drift", "Support", "2 698 000"],
    ]
    preview = parse(xlsx(table), "b.xlsx")
    assert preview.ok, preview.errors
    assert [(line.heading, line.key_name) for line in preview.lines] == [
        ("Personal", "Lönekostnader 50/50"),
        ("Drift", "IT-tjänsten 70/30"),
        ("Drift", "Utveckling och support 70/30"),  # "Support" names it
    ]
    assert preview.lines[1].municipalities == Decimal("2323800.00")


# --- bad files: refused with line and column named, nothing saved ---------------------------------------------------


def _bad(table_or_bytes, name="budget.xlsx"):
    data = table_or_bytes if isinstance(table_or_bytes, bytes) else xlsx(table_or_bytes)
    preview = parse(data, name)
    assert not preview.ok and preview.errors
    return " ".join(preview.errors)


def test_text_in_a_number_column():
    errors = _bad([HEADER, ["Drift", "mycket", 1, 2]])
    assert f"Rad 2, kolumn Budget: {money.AMOUNT_NOT_A_NUMBER}" in errors


def test_negative_amount():
    errors = _bad([HEADER, ["Drift", 100, -30, 130]])
    assert f"Rad 2, kolumn Kommun (VGK): {money.AMOUNT_NEGATIVE}" in errors


def test_a_key_that_is_not_100_percent():
    errors = _bad([["Benämning", "Budget", "Nyckel"], ["Drift", 100, "50/50"], ["Löner", 100, "60/30"]])
    assert "Rad 3, kolumn Nyckel: ”60/30” blir 90\u00a0% och inte 100 %" in errors
    assert "Rad 2" not in errors


def test_an_unknown_key_name():
    errors = _bad([["Benämning", "Budget", "Nyckel"], ["Drift", 100, "Hemlig nyckel"]])
    assert "Rad 2, kolumn Nyckel: det finns ingen fördelningsnyckel ”Hemlig nyckel”" in errors
    assert "”Lönekostnader 50/50”" in errors  # the known keys are named


def test_a_key_not_valid_for_the_year():
    assert parse(xlsx([["Benämning", "Budget", "Nyckel"], ["Drift", 100, "IT-tjänsten 70/30"]]), "b.xlsx").ok
    preview = importing.parse(xlsx([["Benämning", "Budget", "Nyckel"], ["Drift", 100, "IT-tjänsten 70/30"]]), year=2023)
    assert "Rad 2, kolumn Nyckel: " + rules.KEY_NOT_VALID_FOR_YEAR % {"k": "IT-tjänsten 70/30", "y": 2023} in (
        preview.errors
    )


def test_kommun_and_vgr_must_add_up_to_the_budget():
    errors = _bad([HEADER, ["Drift", 1000, 300, 600]])
    assert (
        "Rad 2, kolumnerna Kommun (VGK) och VGR: tillsammans 900\u00a0kr, men kolumn Budget är 1\u00a0000\u00a0kr"
        in (errors)
    )


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Benämning", "Kommun", "VGR"], "kolumnen Budget"),
        (["Budget", "Nyckel"], "kolumnen Benämning"),
        (["Benämning", "Budget", "Kommun"], "kolumnen VGR"),
        (["Benämning", "Budget"], "kolumnen Nyckel (eller Kommun och VGR)"),
        (["Namn?", "Pengar"], "kolumnerna Benämning, Budget och Nyckel (eller Kommun och VGR)"),
    ],
)
def test_missing_columns_are_named(header, missing):
    errors = _bad([header, ["Drift", 100, 30, 70]])
    assert f"Rubrikraden saknar {missing}." in errors


@pytest.mark.parametrize("data", [b"", b"  \r\n ;;\r\n"])
def test_an_empty_file(data):
    assert _bad(data, "budget.csv") == str(importing.EMPTY)


@pytest.mark.parametrize(
    ("data", "name"), [(b"PK\x03\x04 not a zip at all", "budget.xlsx"), (b"Benamning;Budget\n", "budget.xlsx")]
)
def test_an_xlsx_that_is_not_a_spreadsheet(data, name):
    assert _bad(data, name) == str(importing.NOT_A_SPREADSHEET)


def test_a_zip_that_is_no_workbook():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hej")
    assert _bad(out.getvalue(), "budget.xlsx") == str(importing.NOT_A_SPREADSHEET)


def test_a_wrong_total_names_its_line_and_is_not_imported():
    table = seed_table()
    table[-1][2] = 5_318_201
    errors = _bad(table)
    assert "Rad 8, kolumn Kommun (VGK): summan 5\u00a0318\u00a0201\u00a0kr stämmer inte" in errors
    assert "Budget: summan" not in errors
    good = parse(xlsx(seed_table()), "b.xlsx")
    assert len(good.lines) == 5 and "Totalt" not in [line.name for line in good.lines]


def test_every_error_of_a_file_is_listed_and_nothing_is_saved(coordinator, draft):
    before = list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount"))
    table = [HEADER, ["Drift", "mycket", 1, 2], ["Löner", 100, -1, 101], ["Möten", 100, 30, 60]]
    response = upload(signed_in(coordinator), draft, xlsx(table))
    page = response.content.decode()
    assert response.status_code == 200 and "Filen har 3 fel" in page
    assert "Rad 2, kolumn Budget" in page and "Rad 3, kolumn Kommun (VGK)" in page and "Rad 4, kolumnerna" in page
    assert views.SIGNED not in page  # no confirm form
    assert list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount")) == before


# --- lines that match no key: a decision in the preview -------------------------------------------------------------

UNMATCHED = [HEADER, ["Drift", 1000, 300, 700], ["Konsult", 1000, 667, 333]]  # 33,3 % VGR: no key has it


def test_an_unmatched_line_waits_for_a_decision_and_nothing_is_saved_until_then(coordinator, plan2024):
    client = signed_in(coordinator)
    page = upload(client, plan2024, xlsx(UNMATCHED)).content.decode()
    assert "1 rad stämmer inte med någon fördelningsnyckel" in page
    assert 'name="val-3"' in page and "Egen fördelning 33,3\u00a0% VGR (som i filen)" in page
    signed = signed_value(page)
    undecided = client.post(url(plan2024), {views.SIGNED: signed})
    assert undecided.status_code == 200
    assert "Rad 3 (Konsult): beloppen stämmer inte med någon fördelningsnyckel" in undecided.content.decode()
    assert not BudgetLine.objects.filter(budget__plan=plan2024).exists()
    key = AllocationKey.objects.get(name="Lönekostnader 50/50")
    chose_key = client.post(url(plan2024), {views.SIGNED: signed, "val-3": f"nyckel-{key.pk}x"})
    assert "valet finns inte längre" in chose_key.content.decode()
    done = client.post(url(plan2024), {views.SIGNED: signed, "val-3": "egen"})
    assert done.status_code == 302
    konsult = BudgetLine.objects.get(budget__plan=plan2024, name="Konsult")
    assert konsult.key is None and konsult.own_region_percent == Decimal("33.30")
    assert money.split(konsult.amount, konsult.own_region_percent) == (Decimal("333.00"), Decimal("667.00"))


def test_the_choice_is_kept_when_the_page_comes_back(coordinator, plan2024):
    client = signed_in(coordinator)
    signed = signed_value(upload(client, plan2024, xlsx(UNMATCHED)).content.decode())
    tampered = signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb")
    key = AllocationKey.objects.get(name="Lönekostnader 50/50")
    AllocationKey.objects.filter(pk=key.pk).update(valid_to=f"{YEAR}-06-30")  # the key no longer covers the year
    page = client.post(url(plan2024), {views.SIGNED: signed, "val-3": f"nyckel-{key.pk}"}).content.decode()
    assert "valet finns inte längre" in page and 'value="egen"' in page
    assert not BudgetLine.objects.filter(budget__plan=plan2024).exists()
    assert client.post(url(plan2024), {views.SIGNED: tampered}).status_code == 200


def test_a_chosen_key_sets_the_lines_figures(coordinator, plan2024):
    client = signed_in(coordinator)
    signed = signed_value(upload(client, plan2024, xlsx(UNMATCHED)).content.decode())
    key = AllocationKey.objects.get(name="Lönekostnader 50/50")
    assert client.post(url(plan2024), {views.SIGNED: signed, "val-3": f"nyckel-{key.pk}"}).status_code == 302
    assert BudgetLine.objects.get(budget__plan=plan2024, name="Konsult").key == key


def test_no_own_share_is_offered_when_none_reproduces_the_figures():
    preview = parse(xlsx([HEADER, ["Drift", 100_000_000, "87 654 321,09", "12 345 678,91"]]), "b.xlsx")
    assert preview.lines[0].undecided and preview.lines[0].own_option is None
    assert [value for value, _label in preview.options(preview.lines[0])][0].startswith(importing.KEY_PREFIX)


# --- who may import, and when ---------------------------------------------------------------------------------------

REFUSED = ["rep_fyrbodal", "secretary", "preparer", "admin_fyrbodal", "reader"]


def _confirm_data(plan):
    return {views.SIGNED: views.sign(plan, parse(csv_bytes([HEADER, ["Ny", "100", "30", "70"]])))}


def test_the_coordinator_replaces_the_draft_budget_and_the_history_keeps_the_old_lines(coordinator, draft):
    old = list(BudgetLine.objects.filter(budget__plan=draft))
    client = signed_in(coordinator)
    page = upload(client, draft, xlsx([HEADER, ["Ny", 100, 30, 70]])).content.decode()
    assert f"De {len(old)} budgetrader som finns nu tas bort" in page
    assert client.post(url(draft), {views.SIGNED: signed_value(page)}).status_code == 302
    assert list(BudgetLine.objects.filter(budget__plan=draft).values_list("name", flat=True)) == ["Ny"]
    for line in old:
        assert BudgetLine.history.filter(id=line.pk, history_type="-", history_user=coordinator).exists()


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_neither_upload_nor_confirm(role, request, draft):
    client = signed_in(request.getfixturevalue(role))
    before = list(BudgetLine.objects.values_list("pk", "amount"))
    assert client.get(url(draft)).status_code in (403, 404)
    assert upload(client, draft, xlsx(seed_table())).status_code in (403, 404)
    assert client.post(url(draft), _confirm_data(draft)).status_code in (403, 404)
    assert list(BudgetLine.objects.values_list("pk", "amount")) == before


def test_anonymous_is_sent_to_sign_in(draft):
    client = Client()
    before = BudgetLine.objects.count()
    for response in (upload(client, draft, xlsx(seed_table())), client.post(url(draft), _confirm_data(draft))):
        assert response.status_code == 302 and "/logga-in/" in response["Location"]
    assert BudgetLine.objects.count() == before


def test_a_plan_in_force_is_refused_with_the_locked_message(coordinator, in_force):
    before = list(BudgetLine.objects.filter(budget__plan=in_force).values_list("pk", "amount"))
    client = signed_in(coordinator)
    message = rules.PLAN_LOCKED % {"s": str(in_force.get_status_display()).lower()}
    assert message in client.get(url(in_force)).content.decode()
    for response in (upload(client, in_force, xlsx(seed_table())), client.post(url(in_force), _confirm_data(in_force))):
        assert response.status_code == 200 and message in response.content.decode()
    assert list(BudgetLine.objects.filter(budget__plan=in_force).values_list("pk", "amount")) == before
    with pytest.raises(Exception, match="kan inte ändras"):
        importing.budget_import(
            actor=coordinator, plan=in_force, lines=importing.budget_lines(parse(xlsx(seed_table())))
        )


def test_the_import_link_shows_only_where_the_budget_may_be_edited(client, coordinator, draft, in_force):
    coordinator_client = signed_in(coordinator)
    assert "Importera budget från Excel eller CSV" in coordinator_client.get(draft.get_absolute_url()).content.decode()
    assert "Importera budget" not in coordinator_client.get(in_force.get_absolute_url()).content.decode()
    assert "Importera budget" not in client.get(in_force.get_absolute_url()).content.decode()


def test_a_tampered_or_foreign_payload_is_refused(coordinator, draft, plan2024):
    client = signed_in(coordinator)
    before = list(BudgetLine.objects.values_list("pk", "amount"))
    good = _confirm_data(draft)[views.SIGNED]
    payload = signing.loads(good, salt="documents.budget_import")
    payload["lines"][0]["amount"] = "1.00"
    forged = signing.dumps(payload, salt="wrong salt", compress=True)
    for value in (good[:-2] + "xx", forged, "inte signerat", _confirm_data(plan2024)[views.SIGNED]):
        response = client.post(url(draft), {views.SIGNED: value})
        assert response.status_code == 200 and str(views.TAMPERED) in response.content.decode()
    assert list(BudgetLine.objects.values_list("pk", "amount")) == before


def test_the_service_is_all_or_nothing(coordinator, draft, rep_fyrbodal):
    before = list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount"))
    lines = importing.budget_lines(parse(xlsx(seed_table())))
    lines[-1].own_region_percent, lines[-1].key = Decimal("50"), lines[-1].key  # both a key and an own share
    with pytest.raises(Exception, match="Möten, utbildning, kommunikation"):
        importing.budget_import(actor=coordinator, plan=draft, lines=lines)
    with pytest.raises(Exception):  # noqa: B017 – a representative may not edit the draft (403)
        importing.budget_import(actor=rep_fyrbodal, plan=draft, lines=importing.budget_lines(parse(xlsx(seed_table()))))
    with pytest.raises(Exception, match="inga budgetrader"):
        importing.budget_import(actor=coordinator, plan=draft, lines=[])
    assert list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount")) == before


# --- the command ------------------------------------------------------------------------------------------------------


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(xlsx(seed_table()))
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command("budget_import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_imports_into_the_years_plan(plan2024, seed_file):
    out = run(seed_file, "--plan-year", str(YEAR), "--managed-object", "shvo")
    assert "5 rader. Totalt: Budget 15\u00a0314\u00a0000\u00a0kr, Kommun 5\u00a0318\u00a0200\u00a0kr, VGR " in out
    assert "9\u00a0995\u00a0800\u00a0kr" in out and "IT-tjänsten 70/30 (härledd)" in out
    lines = BudgetLine.objects.filter(budget__plan=plan2024).order_by("position")
    assert [line.key.name for line in lines] == list(KEYS.values())
    assert {line.history.get().history_user.username for line in lines} == {"samordnare"}


def test_command_dry_run_saves_nothing(plan2024, seed_file):
    out = run(seed_file, "--plan-year", str(YEAR), "--dry-run")
    assert "Provkörning: inget sparades." in out
    assert not BudgetLine.objects.filter(budget__plan=plan2024).exists()


def test_command_refuses_a_locked_plan(in_force, seed_file):
    before = list(BudgetLine.objects.filter(budget__plan=in_force).values_list("pk", "amount"))
    message = rules.PLAN_LOCKED % {"s": str(in_force.get_status_display()).lower()}
    with pytest.raises(CommandError, match=message):
        run(seed_file, "--plan-year", str(in_force.year))
    assert list(BudgetLine.objects.filter(budget__plan=in_force).values_list("pk", "amount")) == before


def test_command_creates_the_plan_only_when_asked(seed_file):
    with pytest.raises(CommandError, match="--create-plan"):
        run(seed_file, "--plan-year", str(YEAR))
    assert not ManagementPlan.objects.filter(year=YEAR).exists()
    out = run(seed_file, "--plan-year", str(YEAR), "--create-plan", "--user", "samordnare")
    assert "Skapade förvaltningsplanen" in out
    plan = ManagementPlan.objects.get(year=YEAR)
    assert plan.status == ManagementPlan.Status.DRAFT and plan.budget.lines.count() == 5


def test_command_imports_an_unmatched_line_as_its_own_share_or_refuses_it(plan2024, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(xlsx(UNMATCHED))
    out = run(str(path), "--plan-year", str(YEAR))
    assert "Konsult" in out and "Egen fördelning 33,3\u00a0% VGR" in out
    assert BudgetLine.objects.get(budget__plan=plan2024, name="Konsult").own_region_percent == Decimal("33.30")
    path.write_bytes(xlsx([*UNMATCHED, ["Udda", 100_000_000, "87 654 321,09", "12 345 678,91"]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 fel"):
        call_command("budget_import", str(path), "--plan-year", str(YEAR), stdout=io.StringIO(), stderr=err)
    assert "Rad 4 (Udda)" in err.getvalue()
    assert BudgetLine.objects.filter(budget__plan=plan2024).count() == 2  # the earlier import, untouched


def test_command_refuses_a_bad_file_naming_the_line(plan2024, tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([HEADER, ["Drift", "100", "-1", "101"]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("budget_import", str(path), "--plan-year", str(YEAR), stdout=io.StringIO(), stderr=err)
    assert "Rad 2, kolumn Kommun (VGK)" in err.getvalue()
    assert not BudgetLine.objects.filter(budget__plan=plan2024).exists()


def test_a_subtotal_under_a_heading_is_checked_against_its_lines():
    table = [
        ["Rubrik", "Benämning", "Budget", "Nyckel"],
        ["Drift", "Licens", 100, "70/30"],
        ["Drift", "Support", 200, "70/30"],
        ["", "Summa drift", 300, ""],
        ["Personal", "Löner", 1000, "50/50"],
        ["", "Summa personal", 1000, ""],
        ["", "Totalt", 1300, ""],
    ]
    preview = parse(xlsx(table), "b.xlsx")
    assert preview.ok, preview.errors
    assert [line.name for line in preview.lines] == ["Licens", "Support", "Löner"]
    table[5][2] = 999
    assert "Rad 6, kolumn Budget: summan 999\u00a0kr" in " ".join(parse(xlsx(table), "b.xlsx").errors)


def test_a_decided_budget_is_refused_by_the_page_and_the_command(coordinator, draft, seed_file):
    from tests.factories import sitiv_decision

    decision = sitiv_decision()
    Budget = draft.budget.__class__
    Budget.objects.filter(plan=draft).update(decision=decision)
    refusal = rules.budget_edit_check(coordinator, draft)
    assert refusal and rules.decision_label(decision) in refusal[0]
    before = list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount"))
    response = signed_in(coordinator).post(url(draft), _confirm_data(draft))
    assert response.status_code == 200 and refusal[0] in response.content.decode()
    with pytest.raises(CommandError, match=re.escape(refusal[0])):
        run(seed_file, "--plan-year", str(draft.year))
    assert list(BudgetLine.objects.filter(budget__plan=draft).values_list("pk", "amount")) == before
    page = signed_in(coordinator).get(draft.get_absolute_url()).content.decode()
    assert "Importera budget" not in page


# --- never a 500: any file is read into lines or errors -------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

_CELLS = hs.one_of(
    hs.none(),
    hs.integers(min_value=-(10**15), max_value=10**15),
    hs.floats(allow_nan=True, allow_infinity=True),
    hs.sampled_from(["", "Totalt", "Summa", "70/30", "60/30", "Lönekostnader 50/50", "1 234,50", "-5", "x" * 300]),
    hs.text(alphabet=hs.characters(exclude_categories=("Cc", "Cs")), max_size=12),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=hs.lists(hs.lists(_CELLS, max_size=5), max_size=6),
    header=hs.permutations(["Benämning", "Budget", "Kommun", "VGR", "Nyckel"]),
)
def test_any_table_reads_into_lines_or_errors(db, body, header):
    keys = importing.valid_keys(YEAR)
    for data, name in ((xlsx([header, *body]), "b.xlsx"), (csv_bytes([header, *body]), "b.csv")):
        preview = importing.parse(data, year=YEAR, filename=name, keys=keys)
        assert all(isinstance(e, str) and e for e in preview.errors)
        for line in preview.lines:
            assert line.municipalities + line.region == line.amount


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hs.binary(max_size=300))
def test_any_bytes_read_into_lines_or_errors(db, data):
    for name in ("b.xlsx", "b.csv"):
        preview = importing.parse(data, year=YEAR, filename=name, keys=[])
        assert preview.ok or preview.errors or preview.undecided


def test_the_sample_file_is_seed_003(plan2024):
    """tests/data/budget_seed003_2024.csv: seed 003's table as a coordinator would save it (for the browser test)."""
    import pathlib

    path = pathlib.Path(__file__).parent / "data" / "budget_seed003_2024.csv"
    out = run(str(path), "--plan-year", str(YEAR))
    assert (
        "Totalt: Budget 15\u00a0314\u00a0000\u00a0kr, Kommun 5\u00a0318\u00a0200\u00a0kr, VGR 9\u00a0995\u00a0800\u00a0kr"
        in out
    )
    assert [line.key.name for line in plan2024.budget.lines.order_by("position")] == list(KEYS.values())
