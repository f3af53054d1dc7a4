"""Population per municipality and year: reading SCB's export and the plain kommunkod;år;folkmängd file (every error
named by line and column), the import service's rule and its all-or-nothing write, the command and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from governance import population, services
from governance.models import Organisation, PopulationFigure
from governance.population_views import SIGNED, sign
from governance.rules import POPULATION_IMPORT_REFUSED

pytestmark = pytest.mark.django_db

YEAR = 2031  # a year the demo has no figures for; the page shows the latest years
URL = "/folkmangd/importera/"


def _municipalities():
    return list(Organisation.objects.filter(kind="municipality").exclude(code="").order_by("code"))


def scb_text(years=(YEAR - 1, YEAR), *, skip=(), override=None, sep=";") -> str:
    """A file as SCB's statistical database exports it: a title, a blank line, a quoted header, a county row, one
    quoted "1480 Göteborg" row per municipality, a footnote."""
    override = override or {}
    lines = ['"Folkmängd efter region och år"', "", sep.join(['"region"'] + [f'"{y}"' for y in years])]
    lines.append(sep.join(['"14 Västra Götalands län"'] + ["1744000" for _ in years]))
    for i, org in enumerate(_municipalities()):
        if org.code in skip:
            continue
        values = [override.get((org.code, y), str(10_000 + i + y)) for y in years]
        lines.append(sep.join([f'"{org.code} {org.name}"'] + values))
    lines += ["", '"Källa: SCB, folkmängd 31 december"']
    return "\r\n".join(lines) + "\r\n"


def plain_text(year=YEAR, *, header=True, extra=(), skip=()) -> str:
    lines = ["kommunkod;år;folkmängd"] if header else []
    lines += [f"{o.code};{year};{20_000 + i}" for i, o in enumerate(_municipalities()) if o.code not in skip]
    return "\n".join([*lines, *extra]) + "\n"


# --- reading ---------------------------------------------------------------------------------------------------


def test_scb_export_in_iso_8859_1_with_quoted_region_cells_is_read():
    result = population.preview(scb_text().encode("iso-8859-1"))
    assert result.errors == [] and result.format == "scb"
    assert len(result.rows) == 2 * 49 and result.years == [YEAR - 1, YEAR]
    goteborg = next(r for r in result.rows if r.code == "1480" and r.year == YEAR)
    assert goteborg.name == "Göteborg" and goteborg.state == population.NEW
    assert any("14 Västra Götalands län" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("encoding", "sep"), [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", "\t"), ("utf-8-sig", "\t")]
)
def test_scb_export_in_other_encodings_and_separators_is_read(encoding, sep):
    result = population.preview(scb_text(sep=sep).encode(encoding))
    assert result.errors == [] and len(result.rows) == 98
    assert {r.name for r in result.rows if r.code == "1480"} == {"Göteborg"}


@pytest.mark.parametrize("region", ['"region"', '"Region"', "kommun"])
def test_scb_year_headers_with_text_are_read(region):
    text = scb_text().replace(f'"{YEAR}"', f'"Folkmängd {YEAR}"').replace('"region"', region)
    assert population.preview(text.encode()).years == [YEAR - 1, YEAR]


@pytest.mark.parametrize("header", [True, False])
def test_plain_file_is_read_with_or_without_header(header):
    result = population.preview(plain_text(header=header).encode())
    assert result.errors == [] and result.format == "plain" and len(result.rows) == 49


def test_preview_tells_a_changed_figure_from_an_unchanged_one():
    goteborg = Organisation.objects.get(code="1480")
    alingsas = Organisation.objects.get(code="1489")
    PopulationFigure.objects.create(organisation=goteborg, year=YEAR, population=1)
    index = [o.code for o in _municipalities()].index("1489")
    PopulationFigure.objects.create(organisation=alingsas, year=YEAR, population=20_000 + index)
    rows = {r.code: r for r in population.preview(plain_text().encode()).rows}
    assert rows["1480"].state == population.CHANGED and rows["1480"].previous == 1
    assert rows["1489"].state == population.UNCHANGED
    assert rows["1401"].state == population.NEW


# --- errors, each with its line and column ------------------------------------------------------------------


def _line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_scb_text_and_negative_numbers_name_line_and_column():
    text = scb_text(override={("1480", YEAR): '"många"', ("1490", YEAR - 1): "-5"})
    errors = population.preview(text.encode("latin-1")).errors
    assert errors == [
        f"Rad {_line_of(text, '1480 Göteborg')}, kolumn {YEAR}: ”många” är inte ett tal. Skriv folkmängden som ett "
        "heltal.",
        f"Rad {_line_of(text, '1490 Borås')}, kolumn {YEAR - 1}: -5 är negativt. Skriv folkmängden som ett heltal, "
        "0 eller större.",
    ]


def test_scb_empty_cell_is_a_missing_figure():
    text = scb_text(override={("1480", YEAR): ""})
    assert population.preview(text.encode()).errors == [
        f"Rad {_line_of(text, '1480 Göteborg')}, kolumn {YEAR}: folkmängden saknas. Skriv folkmängden som ett heltal."
    ]


def test_unknown_municipality_code_is_an_error():
    text = plain_text(extra=["9999;2031;12"])
    assert population.preview(text.encode()).errors == [
        "Rad 51, kolumn kommunkod: 9999 är inte någon av länets kommuner. Kontrollera kommunkoden eller ta bort raden."
    ]


def test_scb_unknown_code_names_the_region_column():
    text = scb_text().replace('"1480 Göteborg"', '"0180 Stockholm"')
    errors = population.preview(text.encode()).errors
    line = _line_of(text, "0180 Stockholm")
    assert errors[0] == (
        f"Rad {line}, kolumn region: 0180 är inte någon av länets kommuner. Kontrollera kommunkoden eller ta bort raden."
    )
    assert errors[1].startswith(f"År {YEAR - 1}: folkmängd saknas för Göteborg (1480).")


def test_plain_text_negative_and_bad_year_name_their_columns():
    text = plain_text(extra=["1480;20x1;5", "1490;2031;-3", "1401;2031;tio"])
    errors = population.preview(text.encode()).errors
    assert "Rad 51, kolumn år: ”20x1” är inget år. Skriv året med fyra siffror, t.ex. 2023." in errors
    assert "Rad 52, kolumn folkmängd: -3 är negativt. Skriv folkmängden som ett heltal, 0 eller större." in errors
    assert "Rad 53, kolumn folkmängd: ”tio” är inte ett tal. Skriv folkmängden som ett heltal." in errors


def test_a_huge_number_is_refused():
    errors = population.preview(plain_text(extra=["1480;2032;" + "9" * 25]).encode()).errors
    assert errors[0] == (
        f"Rad 51, kolumn folkmängd: {'9' * 25} är större än en kommuns folkmängd kan vara. Skriv folkmängden som ett "
        "heltal, t.ex. 604616."
    )


def test_duplicate_row_names_both_lines():
    text = plain_text(extra=["1480;2031;5"])
    first = _line_of(text, "1480;")
    assert population.preview(text.encode()).errors == [
        f"Rad 51, kolumn folkmängd: Göteborg (1480) år 2031 finns redan på rad {first}. Ta bort den ena raden."
    ]


def test_a_row_with_the_wrong_number_of_columns_is_an_error():
    errors = population.preview(plain_text(extra=["1480;2031"]).encode()).errors
    assert errors == [
        "Rad 51: raden har 2 kolumner men ska ha tre: kommunkod;år;folkmängd. Rätta raden eller använd SCB:s export "
        "med en kolumn per år."
    ]


def test_a_year_missing_a_municipality_is_refused_naming_it():
    errors = population.preview(plain_text(skip={"1480", "1490"}).encode()).errors
    assert errors == [
        "År 2031: folkmängd saknas för Göteborg (1480), Borås (1490). Alla 49 kommuner måste ha en folkmängd för "
        "året; lägg till raderna eller ta bort året ur filen."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", population.EMPTY),
        (b"  \r\n\r\n", population.EMPTY),
        (b"PK\x03\x04\x14\x00binary", population.UNREADABLE),
        (b"abc\x00def", population.UNREADABLE),
        (b"kommunkod;\xe5r;folkm\xe4ngd\n", population.NO_FIGURES),
        (b"hej hopp\n", population.NO_FIGURES),
    ],
)
def test_unreadable_and_empty_files_are_refused(data, message):
    result = population.preview(data)
    assert result.errors == [str(message)] and not result.ok


def test_a_bad_code_cell_names_the_column():
    text = plain_text(extra=["Göteborg;2031;5"])
    assert population.preview(text.encode()).errors[0] == (
        "Rad 51, kolumn kommunkod: ”Göteborg” börjar inte med en kommunkod. Skriv koden med fyra siffror, t.ex. "
        "”1480 Göteborg” eller 1480."
    )


# --- the service: the rule, all or nothing, history -----------------------------------------------------------


def test_import_writes_every_row_with_the_actor_in_history(coordinator):
    rows = population.preview(plain_text().encode()).rows
    created, changed = services.population_import(actor=coordinator, rows=rows, source="SCB 2031")
    assert (created, changed) == (49, 0)
    figure = PopulationFigure.objects.get(organisation__code="1480", year=YEAR)
    assert figure.source == "SCB 2031"
    last = figure.history.latest()
    assert last.history_user == coordinator and "Folkmängd importerad" in last.history_change_reason


def test_import_changes_only_what_differs(admin_user):
    rows = population.preview(plain_text().encode()).rows
    services.population_import(actor=admin_user, rows=rows, source="SCB")
    changed = [r if r.code != "1480" else population.Row(**{**r.__dict__, "population": 7}) for r in rows]
    assert services.population_import(actor=admin_user, rows=changed, source="SCB") == (0, 1)
    assert PopulationFigure.objects.get(organisation__code="1480", year=YEAR).population == 7


def test_import_is_all_or_nothing(admin_user):
    rows = population.preview(plain_text().encode()).rows
    bad = [*rows, rows[0]]  # a duplicate at the end: nothing before it may stay written
    before = PopulationFigure.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.population_import(actor=admin_user, rows=bad, source="SCB")
    assert "finns redan på rad" in refused.value.messages[0]
    assert PopulationFigure.objects.count() == before


def test_import_refuses_a_year_missing_a_municipality(admin_user):
    rows = [r for r in population.preview(plain_text().encode()).rows if r.code != "1480"]
    with pytest.raises(ValidationError, match="Göteborg"):
        services.population_import(actor=admin_user, rows=rows, source="SCB")
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_import_is_refused_for_a_representative_with_the_rule_message(rep_fyrbodal):
    rows = population.preview(plain_text().encode()).rows
    with pytest.raises(PermissionDenied, match="GITS-samordnarna"):
        services.population_import(actor=rep_fyrbodal, rows=rows, source="SCB")
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


# --- the pages: the rule by POST for every role ----------------------------------------------------------------

ROLES = ["anonymous", "reader", "rep_fyrbodal", "rep_skaraborg", "admin_fyrbodal", "secretary", "chair", "preparer"]
ALLOWED = ["admin_user", "coordinator"]


def _client(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", ALLOWED)
def test_allowed_roles_preview_then_confirm_saves(client, request, role):
    c = _client(client, request, role)
    upload = SimpleUploadedFile("folkmangd.csv", scb_text().encode("iso-8859-1"), content_type="text/csv")
    preview = c.post(URL, {"file": upload, "source": "SCB 2031"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Göteborg" in html and "Spara 98 folkmängder" in html
    assert not PopulationFigure.objects.filter(year=YEAR).exists()  # the preview saves nothing
    signed = preview.context["signed"]
    done = c.post(URL, {SIGNED: signed})
    assert done.status_code == 302 and done.url == "/folkmangd/"
    assert PopulationFigure.objects.filter(year=YEAR).count() == 49
    assert PopulationFigure.objects.get(organisation__code="1480", year=YEAR).source == "SCB 2031"


@pytest.mark.parametrize("role", ROLES)
def test_other_roles_are_refused_and_nothing_is_written(client, request, role):
    c = _client(client, request, role)
    before = PopulationFigure.objects.count()
    for data in ({"file": SimpleUploadedFile("f.csv", plain_text().encode())}, {SIGNED: sign(plain_text(), "SCB")}):
        response = c.post(URL, data)
        if role == "anonymous":
            assert response.status_code == 302 and "/logga-in/" in response.url
        else:
            assert response.status_code == 403
    assert c.get(URL).status_code in (302, 403)
    assert PopulationFigure.objects.count() == before


def test_a_file_with_errors_shows_every_error_and_keeps_the_source(client, coordinator):
    client.force_login(coordinator)
    text = plain_text(skip={"1480"}, extra=["9999;2031;12"])
    response = client.post(URL, {"file": SimpleUploadedFile("f.csv", text.encode()), "source": "Min källa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rad 50, kolumn kommunkod: 9999" in html and "folkmängd saknas för Göteborg (1480)" in html
    assert 'value="Min källa"' in html and "Spara" not in html.split("<h1>")[1].split("Förhandsgranska")[0]
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_no_file_chosen_says_what_to_do(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"source": "SCB"})
    assert response.status_code == 200 and "Välj filen med folkmängderna." in response.content.decode()


def test_an_edited_preview_is_refused_and_nothing_written(client, coordinator):
    client.force_login(coordinator)
    signed = sign(plain_text(), "SCB")
    response = client.post(URL, {SIGNED: signed[:-3] + "abc"})
    assert response.status_code == 200 and "har gått ut eller ändrats" in response.content.decode()
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_confirm_reads_the_file_again_against_what_is_stored_now(client, coordinator):
    client.force_login(coordinator)
    signed = sign(plain_text(), "SCB")
    Organisation.objects.filter(code="1480").update(kind="other")  # the world changed after the preview
    response = client.post(URL, {SIGNED: signed})
    assert response.status_code == 200 and "har ändrats sedan förhandsgranskningen" in response.content.decode()
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_the_organisation_list_links_the_import_for_coordinators_only(client, coordinator, rep_fyrbodal):
    assert "Folkmängd per kommun och år" in client.get("/organisationer/").content.decode()
    assert URL not in client.get("/organisationer/").content.decode()
    client.force_login(rep_fyrbodal)
    assert URL not in client.get("/organisationer/").content.decode()
    client.force_login(coordinator)
    assert URL in client.get("/organisationer/").content.decode()


@pytest.mark.parametrize("years", [1, 6])
def test_the_population_list_has_the_same_queries_at_any_number_of_years(
    client, coordinator, django_assert_num_queries, years
):
    for year in range(YEAR, YEAR + years):
        services.population_import(
            actor=coordinator, rows=population.preview(plain_text(year).encode()).rows, source="SCB"
        )
    client.force_login(coordinator)
    client.get("/folkmangd/")  # the session and the user are read once per request; warm nothing else
    with django_assert_num_queries(5):
        response = client.get("/folkmangd/")
    html = response.content.decode()
    assert response.status_code == 200 and f'<h2 id="ar-{YEAR + years - 1}">' in html
    shown = sorted(set(PopulationFigure.objects.values_list("year", flat=True)))[-3:]
    assert html.count('<tr><td data-label="Kommun">') == PopulationFigure.objects.filter(year__in=shown).count()


# --- the command ---------------------------------------------------------------------------------------------


def test_command_imports_a_good_file(tmp_path, capsys):
    path = tmp_path / "folkmangd.csv"
    path.write_bytes(scb_text().encode("iso-8859-1"))
    call_command("population_import", str(path), "--source", "SCB 31 dec")
    out = capsys.readouterr().out
    assert "98 folkmängder" in out and "Sparade 98 nya och 0 ändrade folkmängder." in out
    assert PopulationFigure.objects.filter(year=YEAR, source="SCB 31 dec").count() == 49


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "folkmangd.csv"
    path.write_text(plain_text(), encoding="utf-8")
    call_command("population_import", str(path), "--dry-run")
    assert "Provkörning: inget sparades." in capsys.readouterr().out
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_command_refuses_a_bad_file_with_each_error_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "folkmangd.csv"
    path.write_text(plain_text(extra=["1480;2031;-1"]), encoding="utf-8")
    with pytest.raises(CommandError, match="Inget sparades: filen har 1 fel"):
        call_command("population_import", str(path))
    assert "Fel: Rad 51, kolumn folkmängd: -1 är negativt." in capsys.readouterr().err
    assert not PopulationFigure.objects.filter(year=YEAR).exists()


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="går inte att öppna"):
        call_command("population_import", str(tmp_path / "saknas.csv"))


def test_the_refusal_message_is_swedish_and_says_what_to_do():
    assert "Skicka filen till en samordnare" in str(POPULATION_IMPORT_REFUSED)


def test_the_organisation_list_shows_an_imported_figure(client, coordinator):
    assert f"({YEAR})" not in client.get("/organisationer/").content.decode()  # kept before the import
    services.population_import(actor=coordinator, rows=population.preview(plain_text().encode()).rows, source="SCB")
    assert client.get("/organisationer/").content.decode().count(f"({YEAR})") == 49


def test_latest_complete_year_skips_a_year_with_a_gap(coordinator):
    for year in (YEAR, YEAR + 1):
        services.population_import(
            actor=coordinator, rows=population.preview(plain_text(year).encode()).rows, source="SCB"
        )
    goteborg = Organisation.objects.get(code="1480")
    PopulationFigure.objects.create(organisation=goteborg, year=YEAR + 2, population=1)  # one of 49
    assert population.latest_complete_year(before=YEAR + 5) == YEAR + 1
    assert population.latest_complete_year(before=YEAR + 1) == YEAR
    assert population.latest_complete_year(before=1900) is None
