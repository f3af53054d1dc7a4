"""The governing documents' pages (issue 13): the register and a document for the public, a proposal for those who
work with documents, the import from Word with its preview, the proposal form keeping what was typed, the comparison
per section, and the start page's panel."""

import html
import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.templatetags.core_tags import genitive
from documents import governing
from documents.governing_import_views import IMPORT_SALT
from documents.governing_models import GoverningDocument
from governance.models import Subregion
from tests import governing_builders as gb
from tests.docx_builder import docx

pytestmark = pytest.mark.django_db
ROUTINE = "/styrdokument/rutin-for-in-och-utskrivning"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(username=None):
    client = Client()
    if username:
        client.force_login(gb.user(username))
    return client


def test_the_public_reads_the_register_the_version_in_force_and_its_provenance():
    page = _client().get("/styrdokument/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Rutin för in- och utskrivning" in text and "Version 2, från 2026-03-25" in text
    assert "Göteborgsområdet" in text  # its supplement, beside its parent
    detail = _client().get(f"{ROUTINE}/").content.decode()
    assert "Referensgrupp SHVO 2026-03-18, § " in detail and "Maria Ek" in detail
    assert "Gäller från" in detail and "Protokollet justerat" in detail
    assert "Förslag som väntar" not in detail  # proposals are not public


def test_a_proposal_is_for_those_who_work_with_documents():
    assert _client().get(f"{ROUTINE}/version/3/").status_code == 404
    page = _client("skaraborg").get(f"{ROUTINE}/version/3/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Göteborgsområdet" in text and "Hänvisningen bör gå till överenskommelsen" in text  # the objection
    assert "1 invändning stoppar förslaget." in text
    assert "Du har skrivit förslaget" in text  # Karin Öberg proposed it: she does not answer for Skaraborg


def test_the_comparison_marks_exactly_the_changed_words_per_section():
    page = _client().get(f"{ROUTINE}/jamfor/?a=1&b=2")
    text = page.content.decode()
    assert page.status_code == 200
    compared = re.sub(r'<p class="diff-legend[^"]*">.*?</p>', "", text, flags=re.S)  # not the legends' examples
    assert sorted(re.findall(r"<del>(.*?)</del>", compared)) == ["IT-tjänsten."] * 3
    assert sorted(re.findall(r"<ins>(.*?)</ins>", compared)) == ["SAMSA.", "SAMSA.", "SAMSA.", "har", "i SAMSA"]
    inline = _client().get(f"{ROUTINE}/jamfor/?a=1&b=2&visa=inline")
    assert inline.status_code == 200 and 'aria-current="page"' in inline.content.decode()


def test_a_comparison_with_a_version_one_may_not_read_says_so():
    page = _client().get(f"{ROUTINE}/jamfor/?a=2&b=3")
    assert page.status_code == 400
    assert "Dokumentet har ingen version 3 som du kan läsa" in page.content.decode()
    assert _client().get(f"{ROUTINE}/jamfor/?a=x").status_code == 400


def test_the_proposal_form_keeps_what_was_typed_and_points_at_the_missing_rationale():
    doc = gb.make_routine()
    data = gb.propose_form(None) | {"rationale": "", "body_3": "<p>Helt ny text som inte får försvinna.</p>"}
    page = _client("fyrbodal").post(f"/styrdokument/{doc.slug}/andra/", data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Skriv en motivering" in text and 'href="#id_rationale"' in text
    assert "Helt ny text som inte får försvinna." in text
    assert doc.revisions.count() == 1


def test_a_proposal_moves_a_section_by_its_place():
    doc = gb.make_routine()
    data = gb.propose_form(None) | {"position_1": "3", "position_3": "1"}
    response = _client("fyrbodal").post(f"/styrdokument/{doc.slug}/andra/", data)
    assert response.status_code == 302
    revision = doc.revisions.get(version__number=2)
    assert [s.key for s in revision.version.sections] == ["it-stod", "ansvar", "syfte"]
    compare = _client("fyrbodal").get(f"/styrdokument/{doc.slug}/jamfor/?a=1&b=2").content.decode()
    assert "Flyttat från plats" in compare


def test_import_from_word_previews_then_saves_the_sections():
    data = docx([("Title", "Rutin för läkemedel"), ("Heading1", "Syfte"), ("p", "Rutinen gäller **alla**."),
                 ("Heading1", "Ansvar"), ("li", "Kommunen"), ("li", "Regionen")])  # fmt: skip
    client = _client("samordnare")
    form = {"owner": gb.ref().pk, "kind": "routine", "title": "", "in_force_reference": "", "in_force_from": ""}
    preview = client.post("/styrdokument/importera/", form | {"file": SimpleUploadedFile("rutin.docx", data)})
    text = preview.content.decode()
    assert preview.status_code == 200 and "Förhandsvisning av importen" in text and "Inget är sparat än." in text
    assert "<strong>alla</strong>" in text and "<li>Kommunen</li>" in text
    assert not GoverningDocument.objects.filter(document__title="Rutin för läkemedel").exists()
    payload = preview.context["confirm"].initial["payload"]
    saved = client.post("/styrdokument/importera/", {"payload": payload})
    doc = GoverningDocument.objects.get(document__title="Rutin för läkemedel")
    assert saved.status_code == 302 and saved["Location"] == doc.get_absolute_url()
    revision = doc.revisions.get()
    assert [s.title for s in revision.version.sections] == ["Syfte", "Ansvar"]
    assert revision.change_class == "new" and revision.case.owner.slug == "vvg"


def test_import_of_a_bad_file_says_what_to_do_on_the_field_and_keeps_the_choices():
    form = {"owner": gb.ref().pk, "kind": "guideline", "title": "Min titel"}
    page = _client("samordnare").post(
        "/styrdokument/importera/", form | {"file": SimpleUploadedFile("x.docx", b"inte en zip")}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "Word-dokument" in text and 'href="#id_file"' in text
    assert 'value="Min titel"' in text


def test_an_import_preview_signed_for_someone_else_or_changed_is_refused():
    client = _client("sekreterare")
    other = signing.dumps({"user": gb.user("samordnare").pk, "owner": gb.ref().pk}, salt=IMPORT_SALT)
    stolen = client.post("/styrdokument/importera/", {"payload": other})
    assert stolen.status_code == 302 and stolen["Location"] == "/styrdokument/importera/"
    changed = client.post("/styrdokument/importera/", {"payload": other + "x"})
    assert changed.status_code == 302 and changed["Location"] == "/styrdokument/importera/"
    assert not GoverningDocument.objects.filter(document__title="").exists()


def test_the_start_page_shows_a_representative_the_proposals_waiting_for_her_subregion():
    home = _client("fyrbodal").get("/").content.decode()
    assert "Ändringsförslag att ta ställning till" not in home  # Fyrbodal agreed to version 3 in the demo
    home = _client("goteborg").get("/").content.decode()
    assert "Ändringsförslag att ta ställning till" in home and "Göteborgsområdet invänder" in home


def test_the_start_page_shows_the_secretary_a_revision_ready_for_decision():
    revision = gb.propose(gb.make_routine(title="Klar rutin"))
    home = _client("sekreterare").get("/").content.decode()
    assert "Redaktionella ändringar klara för beslut" not in home
    gb.all_agree(revision)
    home = _client("sekreterare").get("/").content.decode()
    ready = home.split("Redaktionella ändringar klara för beslut", 1)[1].split("</ul>", 1)[0]
    assert "Klar rutin, version 2" in ready


def test_the_register_lists_in_a_fixed_number_of_queries(django_assert_num_queries):
    from core.kept import forget_all

    client = _client()
    client.get("/styrdokument/")
    forget_all()
    # How many documents, the version of the rows the table shows, and (building the table) a page of county-wide
    # documents with their versions in force and their supplements.
    with django_assert_num_queries(4) as before:
        client.get("/styrdokument/")
    for n in range(3):
        gb.make_routine(title=f"Fler rutiner {n}")
    forget_all()
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/styrdokument/")


def test_the_registers_table_is_kept_until_a_document_or_version_changes(django_assert_num_queries):
    client = _client()
    client.get("/styrdokument/")
    with django_assert_num_queries(2):  # kept: how many documents, and the rows' version
        page = client.get("/styrdokument/").content.decode()
    assert "Version 2, från 2026-03-25" in page
    doc = gb.make_routine(title="Rutin registrerad nyss")
    assert "Rutin registrerad nyss" in client.get("/styrdokument/").content.decode()
    # A supplement that is only a proposal: those who work with documents see it beside its parent, the public's
    # table (kept apart) does not.
    gb.subregional_body_for("fyrbodal")
    governing.supplement_propose(
        actor=gb.user("fyrbodal"),
        parent=doc,
        subregion=Subregion.objects.get(slug="fyrbodal"),
        sections=[{"key": "", "title": "Tillägg för Fyrbodal", "body": "<p>Så gör vi i Fyrbodal.</p>"}],
        rationale="Vårt arbetssätt.",
    )
    workers = _client("samordnare").get("/styrdokument/").content.decode()
    public = client.get("/styrdokument/").content.decode()
    assert "Fyrbodal</a> (förslag)" in workers and "Fyrbodal</a> (förslag)" not in public


def test_the_register_shows_a_page_of_documents_at_a_time_with_links_to_the_rest(monkeypatch):
    from documents import governing_views
    from documents.governing_models import GoverningDocument

    monkeypatch.setattr(governing_views, "LIST_PAGE", 1)
    titles = list(GoverningDocument.objects.county_wide().values_list("document__title", flat=True))
    pages = len(titles)
    assert pages >= 2  # the demo's county-wide documents, one a page
    seen = []
    for n in range(1, pages + 1):
        page = _client().get(f"/styrdokument/?sida={n}").content.decode()
        assert f"Sida {n} av {pages}" in page
        seen += [t for t in titles if html.escape(t) in page]
    assert sorted(seen) == sorted(titles)  # every document on exactly one page


@pytest.mark.parametrize(
    "name,expected",
    [("Referensgrupp SHVO", "Referensgrupp SHVO:s"), ("Fyrbodal", "Fyrbodals"), ("SAMLA", "SAMLA:s"),
     ("Göteborgsområdet", "Göteborgsområdets"), ("Vårdsamverkan Västra Götaland", "Vårdsamverkan Västra Götalands"),
     ("Södra Älvsborg", "Södra Älvsborgs"), ("VVG", "VVG:s"), ("Skaraborgs kommunalförbund", "Skaraborgs kommunalförbunds"), ("Borås", "Borås")],
)  # fmt: skip
def test_names_take_the_swedish_genitive(name, expected):
    assert genitive(name) == expected


def test_an_earlier_versions_page_says_it_was_superseded_and_when():
    page = _client().get(f"{ROUTINE}/version/1/").content.decode()
    assert "Ersatt 2026-03-25" in page and ">Gäller<" not in page
    current = _client().get(f"{ROUTINE}/version/2/").content.decode()
    assert ">Gäller<" in current


def test_a_documents_historik_shows_its_revisions_and_comments_to_those_who_work_with_documents():
    from documents import governing
    from documents.governing_models import Revision

    revision = Revision.objects.get(document__slug=ROUTINE.rsplit("/", 1)[-1], status="open")
    fyrbodal = gb.user("fyrbodal")
    governing.comment_add(actor=fyrbodal, revision=revision, text="Ett ord för mycket i historiken.")
    client = Client()
    client.force_login(gb.user("samordnare"))
    page = client.get(f"{ROUTINE}/historik/")
    text = page.content.decode()
    assert page.status_code == 200 and "Historik för Rutin för in- och utskrivning" in text
    assert "Ett ord för mycket i historiken." in text and "Kommentar i samråd" in text
    assert "Ändring föreslagen" in text  # the revisions' own history rows
    assert 'href="/styrdokument/rutin-for-in-och-utskrivning/historik/"' in client.get(ROUTINE + "/").content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_documents_historik_is_not_for_the_public_or_a_reader(signed_in, reader):
    client = Client()
    if signed_in:
        client.force_login(reader)
    assert client.get(f"{ROUTINE}/historik/").status_code in (302, 404)
    assert "/historik/" not in client.get(ROUTINE + "/").content.decode()


def test_a_documents_body_is_kept_per_audience_until_its_rows_change(django_assert_num_queries):
    doc = gb.make_routine(title="Rutin att hålla")
    url = doc.get_absolute_url()
    public, workers = _client(), _client("samordnare")
    assert "Förslag som väntar" not in public.get(url).content.decode()
    assert "Förslag som väntar" not in workers.get(url).content.decode()
    with django_assert_num_queries(2):  # kept: the document, and the version of its rows
        public.get(url)
    gb.propose(doc)  # a new proposal: a new key, for everyone
    assert "Förslag som väntar" in workers.get(url).content.decode()
    assert "Förslag som väntar" not in public.get(url).content.decode()  # the public's body never shows proposals
    assert ">Gäller<" in public.get(url).content.decode()


def test_an_escalation_posted_after_another_made_it_principled_says_so_and_shows_what_was_typed():
    """The second of two escalations arrives after the first committed (the page it posted from was editorial): it
    is told the revision is already principled, and what it typed is shown, not dropped."""
    revision = gb.propose(gb.make_routine())
    governing.revision_escalate(actor=gb.user("samordnare"), revision=revision, reason="Nya regler.")
    url = f"{revision.get_absolute_url()}lyft/"
    page = _client("fyrbodal").post(url, {"reason": "Ändrat ansvar för kallelsen."})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Förslaget är redan en principiell ändring." in text and "Ändrat ansvar för kallelsen." in text
