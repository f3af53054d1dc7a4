"""Every PDF the portal makes is tagged and accessible (core.pdf, templates/pdf_base.html, static/css/pdf-base.css):
minutes, agendas, plans and review compilations are tagged PDF/A-3a declaring PDF/UA-1, in Swedish, titled, with
clickable links, bookmarks from their headings and no last page that holds only the running header and footer.
The preview of minutes in justering is marked on every page and never stored; the published PDF carries no marking
(who may open the preview: tests/test_rules_preview.py and tests/test_access_matrix.py)."""

import re
import subprocess
from io import BytesIO

import pikepdf
import pytest
from django.core.cache import cache
from django.urls import reverse

from core import pdf as core_pdf
from core.text import sanitise
from documents import reviews
from documents.compilation import render_compilation_pdf
from documents.models import ManagementPlan, PlanSection, ReviewRound
from documents.plan_pdf import render_plan_pdf
from meetings import services
from meetings.models import Minutes
from meetings.publishing import render_agenda_pdf, render_minutes_pdf

from .meeting_builders import add_item, adjuster_with_user, full_minutes, planned_meeting

pytestmark = pytest.mark.django_db

MARKING = "Förhandsversion – ej justerad"
# A4 in points, less the running header and footer (the @page margins of the print stylesheets).
PAGE_WIDTH, PAGE_HEIGHT, TOP, BOTTOM = 595, 842, 60, 66
# The closing note of each kind of PDF; it ends the document and must not stand alone on the last page.
CLOSING_NOTE = re.compile(
    r"(Utfärdad|Utskriven|Förhandsversion utskriven|Dagordningen publicerades|Utkast – dagordningen) .*", re.S
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_render_cache():
    cache.clear()  # core.pdf keeps rendered PDFs by their input; each test renders its own


# --- reading a PDF --------------------------------------------------------------------------------------------


def facts(data: bytes) -> dict:
    """What a screen reader and a PDF viewer need, read with pikepdf."""
    with pikepdf.open(BytesIO(data)) as doc:
        root = doc.Root
        uris = []
        for page in doc.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and "/A" in annot and "/URI" in annot.A:
                    uris.append(str(annot.A.URI))
        with doc.open_outline() as outline:
            bookmarks = []

            def walk(items):
                for item in items:
                    bookmarks.append(item.title)
                    walk(item.children)

            walk(outline.root)
        meta = doc.open_metadata()
        return {
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
            "struct_tree": "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0,
            "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
            "lang": str(root.get("/Lang", "")),
            "title": str(doc.docinfo.get("/Title", "")),
            "author": str(doc.docinfo.get("/Author", "")),
            "uris": uris,
            "bookmarks": bookmarks,
            "pdfa": (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")),
            "pdfua": meta.get("pdfuaid:part"),
            "pages": len(doc.pages),
        }


def page_count(data: bytes) -> int:
    with pikepdf.open(BytesIO(data)) as doc:
        return len(doc.pages)


def page_text(data: bytes, page: int, *, body_only=False) -> str:
    """pdftotext (poppler) of one page (1-based), whitespace collapsed; body_only leaves out the running header and
    footer (the page's top and bottom margins)."""
    crop = ["-x", "0", "-y", str(TOP), "-W", str(PAGE_WIDTH), "-H", str(PAGE_HEIGHT - TOP - BOTTOM)]
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), *(crop if body_only else []), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    return " ".join(out.decode("utf-8").split())


def last_page_content(data: bytes) -> str:
    """The text of the last page between its running header and footer, without the closing note."""
    return CLOSING_NOTE.sub("", page_text(data, page_count(data), body_only=True)).strip()


def assert_accessible(data: bytes, *, title: str, author: str, uri: str, bookmarks: list[str]) -> dict:
    f = facts(data)
    assert f["marked"] and f["struct_tree"], "tagged: /MarkInfo /Marked true and a structure tree"
    assert f["lang"] == "sv"
    assert f["title"] == title and f["display_title"]
    assert f["author"] == author
    assert f["pdfa"] == ("3", "A") and f["pdfua"] == "1"
    assert uri in f["uris"], f"a link annotation to {uri}: {f['uris']}"
    missing = [b for b in bookmarks if b not in f["bookmarks"]]
    assert missing == [], f"bookmarks {f['bookmarks']}"
    assert last_page_content(data), "the last page holds more than the running header, footer and closing note"
    return f


# --- the four kinds of PDF --------------------------------------------------------------------------------------


def test_published_minutes_are_tagged_swedish_titled_linked_and_bookmarked(secretary, chair):
    meeting, *_rest = full_minutes(secretary, chair)
    minutes = services.minutes_publish(actor=secretary, meeting=meeting)
    data = minutes.pdf.open("rb").read()
    f = assert_accessible(
        data,
        title="Protokoll Referensgrupp SHVO 2026-06-17",
        author="Referensgrupp SHVO",
        uri="https://example.se/rutin.pdf",  # a line of an item's documents
        bookmarks=["Närvaro", "Dagordning och anteckningar", "3. Rutin för överföring av vårdplaner", "Underskrifter"],
    )
    assert "https://video.example.se/referensgrupp" in f["uris"]  # the meeting's video link
    assert all(MARKING not in page_text(data, n) for n in range(1, f["pages"] + 1))


def test_agenda_pdf_is_tagged_with_clickable_document_links(secretary, chair):
    meeting = planned_meeting(secretary, chair)
    add_item(
        secretary,
        meeting,
        "Rutin för överföring av vårdplaner",
        documents="Förslag till reviderad rutin\nhttps://example.se/rutin.pdf",
        description="Bakgrund: https://example.se/bakgrund",
    )
    data = render_agenda_pdf(meeting)
    f = assert_accessible(
        data,
        title="Dagordning Referensgrupp SHVO 2026-06-17",
        author="Referensgrupp SHVO",
        uri="https://example.se/rutin.pdf",
        bookmarks=["Dagordning", "3. Rutin för överföring av vårdplaner"],
    )
    assert "https://example.se/bakgrund" in f["uris"]


def test_plan_pdf_is_tagged_with_links_in_its_text_and_a_bookmark_per_section():
    plan = ManagementPlan.objects.get(year=2026)
    PlanSection.objects.filter(plan=plan, key="purpose").update(
        body=sanitise('<p>Se <a href="https://www.vgregion.se/samsa">SAMSA-förvaltningens sida</a>.</p>')
    )
    data = render_plan_pdf(plan)
    assert_accessible(
        data,
        title="Förvaltningsplan Samordnad hälsa, vård och omsorg 2026",
        author="GITS – Gemensam information- och tjänstesamordning",
        uri="https://www.vgregion.se/samsa",
        bookmarks=[f"{s.position}. {s.title}" for s in plan.sections.all()],
    )
    assert "SAMSA-förvaltningens sida" in " ".join(page_text(data, n) for n in range(1, page_count(data) + 1))


def test_compilation_pdf_is_tagged_with_links_in_the_responses(rep_fyrbodal):
    round_ = ReviewRound.objects.get(document__plan__year=2027)
    response = round_.responses.get(subregion__slug="fyrbodal")
    reviews.response_save(
        actor=rep_fyrbodal,
        response=response,
        base_version=response.version,
        text='<p>Fyrbodal står bakom planen, se <a href="https://example.se/fyrbodal-svar">protokollet</a>.</p>',
        submit=True,
    )
    data = render_compilation_pdf(round_)
    assert_accessible(
        data,
        title=f"Sammanställning av remissen av {round_.plan}",
        author=f"GITS, {round_.plan.managed_object.name}",
        uri="https://example.se/fyrbodal-svar",
        bookmarks=[
            "Delregionernas svar",
            "Kommentarer per avsnitt",
            "Inskickade gemensamma svar",
            "Vårdsamverkan Fyrbodal",
        ],
    )


# --- core.pdf ---------------------------------------------------------------------------------------------------

FILLER = "<p>" + "Referensgruppen går igenom förslaget avsnitt för avsnitt och ställer sig bakom det. " * 6 + "</p>"
# A page of 257 mm for content: a heading, a line and a text block that leave 7 mm at the foot of the first page, too
# little for the closing note (8 mm above it and a line), while the block and the note fit on one page together.
ENDS_AT_THE_FOOT = """<!doctype html><html lang="sv"><head><title>Prov</title><style>
@page { size: A4; margin: 20mm; } body { margin: 0; } h1 { margin: 0; height: 10mm; }
p { margin: 0; line-height: 5mm; } .block { height: 235mm; } .issued { margin: 8mm 0 0; font-size: 10pt; line-height: 5mm; }
</style></head><body><h1>Prov</h1><p>Inledning.</p><p class="block">Sista stycket före anteckningen.</p>
<p class="issued">Utskriven i dag ur SHVO-portalen.</p></body></html>"""


def test_the_closing_note_never_stands_alone_on_a_last_page():
    """The blank last page came from the closing note: when the content before it ended at the foot of a page, the
    note alone made one more page that showed nothing but the running header and footer. pdf-base.css keeps the
    note with the content before it."""
    without_rule = core_pdf.html_to_pdf(ENDS_AT_THE_FOOT, extra_css=".issued { break-before: auto !important; }")
    assert page_count(without_rule) == 2 and not last_page_content(without_rule)  # the case the rule is for
    data = core_pdf.html_to_pdf(ENDS_AT_THE_FOOT)
    assert page_count(data) == 2
    assert page_text(data, 2) == "Sista stycket före anteckningen. Utskriven i dag ur SHVO-portalen."


@pytest.mark.parametrize(
    ("html", "missing"),
    [
        ('<html lang="sv"><body><p>Hej</p></body></html>', "titel"),
        ('<html lang="sv"><head><title> </title></head><body><p>Hej</p></body></html>', "titel"),
        ("<html><head><title>Hej</title></head><body><p>Hej</p></body></html>", "språk"),
    ],
)
def test_a_pdf_without_title_or_language_is_refused(html, missing):
    with pytest.raises(core_pdf.UntitledDocument, match=missing):
        core_pdf.html_to_pdf(html)


def test_links_are_annotations_and_headings_bookmarks_in_any_pdf():
    html = (
        '<html lang="sv"><head><title>Länkar</title><meta name="author" content="VVG"></head><body>'
        '<h1>Rubrik</h1><h2>Avsnitt</h2><p><a href="https://example.se/a">en länk</a></p></body></html>'
    )
    f = facts(core_pdf.html_to_pdf(html))
    assert f["uris"] == ["https://example.se/a"] and f["bookmarks"] == ["Rubrik", "Avsnitt"]
    assert (f["title"], f["author"], f["lang"], f["marked"]) == ("Länkar", "VVG", "sv", True)


# --- the preview of minutes in justering ------------------------------------------------------------------------


@pytest.fixture
def in_justering(secretary, chair):
    """Minutes long enough for several pages, sent for justering to the chair and Per Åström."""
    adjuster, adjuster_user = adjuster_with_user()
    meeting = planned_meeting(secretary, chair, adjusters=[adjuster])
    for n in range(1, 9):
        item = add_item(secretary, meeting, f"Punkt {n}", documents=f"Underlag {n}\nhttps://example.se/{n}.pdf")
        services.item_minutes_save(actor=secretary, item=item, discussion=FILLER * 3)
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    return meeting, adjuster_user


def preview_url(meeting) -> str:
    return reverse("meetings:minutes_preview_pdf", kwargs={"pk": meeting.pk})


def test_a_justerare_opens_the_preview_marked_on_every_page_and_nothing_is_stored(client, in_justering, media):
    meeting, adjuster_user = in_justering
    client.force_login(adjuster_user)
    page = client.get(reverse("meetings:justering", kwargs={"pk": meeting.pk}))
    assert f'href="{preview_url(meeting)}"' in page.content.decode()  # the link on the justering page
    response = client.get(preview_url(meeting))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'inline; filename="forhandsversion-referensgrupp-shvo-2026-06-17.pdf"'
    data = response.content
    pages = page_count(data)
    assert pages >= 3
    for n in range(1, pages + 1):
        assert MARKING in page_text(data, n), f"page {n}"
    assert "Den här filen publiceras inte" in page_text(data, 1)
    assert "Den publicerade PDF-filen är den justerade versionen" not in page_text(data, pages)
    assert facts(data)["marked"] and last_page_content(data)
    assert [p for p in media.rglob("*") if p.is_file()] == []  # not stored
    assert not Minutes.objects.get(meeting=meeting).pdf


def test_the_published_minutes_carry_no_marking(secretary, chair, in_justering):
    meeting, adjuster_user = in_justering
    for user in (chair, adjuster_user):
        services.minutes_respond(actor=user, meeting=meeting, approve=True)
    data = services.minutes_publish(actor=secretary, meeting=meeting).pdf.open("rb").read()
    assert page_count(data) >= 3
    assert all(MARKING not in page_text(data, n) for n in range(1, page_count(data) + 1))
    assert render_minutes_pdf(meeting, preview=True) != data  # the preview is its own rendering, never the file
