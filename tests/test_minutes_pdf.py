"""Publishing minutes as PDF: rendered once from justerade minutes, stored with its SHA-256, served byte for byte,
never regenerated; drafts are never served; the public list of a body's published minutes."""

import datetime
import hashlib
import subprocess

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import Body
from meetings import services
from meetings.models import Minutes
from meetings.publishing import render_agenda_pdf
from meetings.services import minutes_publish

from . import meeting_builders as built
from .meeting_builders import add_item, full_minutes, planned_meeting

pytestmark = pytest.mark.django_db
BEREDNING = "gemensam-beredning"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_text(path_or_bytes) -> str:
    """pdftotext (poppler) output with whitespace collapsed, so that wrapped lines still match."""
    if isinstance(path_or_bytes, bytes):
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=path_or_bytes, capture_output=True, check=True
        ).stdout
    else:
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path_or_bytes), "-"], capture_output=True, check=True
        ).stdout
    return " ".join(out.decode("utf-8").split())


def served_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def justerat(secretary, chair):
    meeting, decisions, actions, adjuster_user = full_minutes(secretary, chair)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT
    return meeting, decisions, actions, adjuster_user


@pytest.fixture
def published(secretary, justerat):
    meeting = justerat[0]
    minutes = minutes_publish(actor=secretary, meeting=meeting)
    return (minutes, *justerat)


def test_published_pdf_holds_the_whole_minutes_with_swedish_characters_intact(published, chair):
    minutes, meeting, decisions, actions, adjuster_user = published
    text = pdf_text(minutes.pdf.path)
    # Heading: body, date, time, place and mode, secretary.
    for expected in [
        "Samordnad hälsa, vård och omsorg i Västra Götaland",
        "Referensgrupp SHVO",
        "Protokoll",
        "Arbetsmöte om överföringsrutinen",
        "2026-06-17",
        "13:00–16:30",
        "Hybrid",
        "Regionens hus, Vänersborg",
        "Sekreterare Elin Sjöberg",
    ]:
        assert expected in text
    # Attendance grouped by subregion, with statuses.
    for expected in [
        "Vårdsamverkan Fyrbodal",
        "Närvårdssamverkan Södra Älvsborg",
        "Maria Ek",
        "Närvarande",
        "Förhinder",
        "Ersättare för Nils Forsberg",
        "Vakant",
    ]:
        assert expected in text
    # Items with time, purpose, presenters, the sanitised notes (no script), decisions and actions.
    for item in meeting.items.all():
        assert f"{item.position}. {item.title}" in text  # every item, numbered
    assert "Tid 13:15 · Syfte: Beslut · Föredragande: Elin Sjöberg, GITS" in text
    assert "Förslag till reviderad rutin (version 2.1)" in text
    assert "återkopplingen till öppenvården är för långsam" in text
    assert "alert" not in text
    assert "Ställningstagande" in text and "Sammanfattning av ställningstaganden" in text
    for p, kind in zip(decisions, ["Beslut", "Informationen noteras", "Lyfts till annat organ"], strict=True):
        assert f"§ {p.number}/{p.year} {kind}" in text
    for decision_text in (built.DECISION, built.NOTED, built.ESCALATION):
        assert text.count(decision_text) == 2  # under its item and in the closing summary
    assert "Vårdsamverkan Västra Götaland" in text  # the body the question is escalated to
    for action in (built.ACTION_TEXT, built.SECOND_ACTION):
        assert text.count(action) == 2  # under its item and in the list of all actions
    assert f"Ansvarig: {built.ACTION_OWNER} (Fyrbodal), klart senast {built.ACTION_DUE.isoformat()}" in text
    # Signatures: the secretary "Vid anteckningen"; each signatory with role and the date they approved; the
    # approved correction.
    assert "Vid anteckningen Elin Sjöberg" in text
    for response in minutes.responses.filter(approved=True).select_related("person"):
        approved_on = timezone.localtime(response.created_at).date().isoformat()
        role = "Ordförande" if response.person_id == meeting.chair_id else "Justerare"
        assert f"{role}, justerat {approved_on}" in text
    assert "Anders Holm" in text and "Per Åström" in text
    assert "Rättelse: förvaltningsledaren heter Östen Åberg." in text
    # Page footer with the page count.
    assert "Sida 1 av" in text


def test_pdf_is_tagged_pdfa_a4_with_embedded_fonts(published):
    minutes = published[0]
    meta = subprocess.run(["pdfinfo", "-meta", minutes.pdf.path], capture_output=True, check=True, text=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="A"' in meta  # PDF/A-3a: tagged (accessible)
    assert 'pdfuaid:part="1"' in meta
    info = subprocess.run(["pdfinfo", minutes.pdf.path], capture_output=True, check=True, text=True).stdout
    assert "(A4)" in info and "PDF version:     1.7" in info
    fonts = subprocess.run(["pdffonts", minutes.pdf.path], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5:-2] == ["yes", "yes", "yes"] for r in rows)  # embedded, subset, with ToUnicode


def test_publishing_stores_bytes_hash_size_and_history(published, secretary):
    minutes = published[0]
    minutes.refresh_from_db()
    data = minutes.pdf.open("rb").read()
    assert data.startswith(b"%PDF-1.7")
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert minutes.pdf_size == len(data)
    assert minutes.pdf.name == f"protokoll/{minutes.pdf_sha256}.pdf"  # stored under its content hash
    assert minutes.published_by == secretary and minutes.published_at is not None
    last = minutes.history.latest()
    assert last.history_change_reason == "Publicerat som PDF" and last.history_user == secretary


def test_the_served_pdf_is_the_stored_file_byte_for_byte(client, published):
    minutes, meeting = published[0], published[1]
    response = client.get(f"/moten/{meeting.pk}/protokoll.pdf")  # anonymous
    assert response.status_code == 200
    body = served_bytes(response)
    assert hashlib.sha256(body).hexdigest() == minutes.pdf_sha256
    assert body == minutes.pdf.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="referensgrupp-shvo-2026-06-17.pdf"'
    assert response["ETag"] == f'"{minutes.pdf_sha256}"'
    assert response["Cache-Control"].startswith("public, max-age=")
    assert int(response["Content-Length"]) == minutes.pdf_size


def test_a_cached_copy_is_revalidated_with_304(client, published):
    minutes, meeting = published[0], published[1]
    url = reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk})
    response = client.get(url, headers={"If-None-Match": f'"{minutes.pdf_sha256}"'})
    assert response.status_code == 304 and response["ETag"] == f'"{minutes.pdf_sha256}"'
    assert client.get(url, headers={"If-None-Match": 'W/"nope", "' + minutes.pdf_sha256 + '"'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_second_publish_is_refused_and_the_file_is_unchanged(client, published, secretary, media):
    minutes, meeting = published[0], published[1]
    before = minutes.pdf.open("rb").read()
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    with pytest.raises(ValidationError, match="redan publicerat"):
        minutes_publish(actor=secretary, meeting=meeting)
    client.force_login(secretary)
    response = client.post(reverse("meetings:publish", kwargs={"pk": meeting.pk}))
    assert response.status_code == 302 and response["Location"] == f"/moten/{meeting.pk}/"
    assert any("redan publicerat" in str(m) for m in get_messages(response.wsgi_request))
    minutes.refresh_from_db()
    assert minutes.pdf.open("rb").read() == before
    assert minutes.pdf_sha256 == hashlib.sha256(before).hexdigest()
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before


@pytest.mark.parametrize("stage", ["draft", "in_justering", "justerat"])
def test_unpublished_minutes_are_not_served_as_pdf_to_anyone(client, secretary, chair, rep_fyrbodal, stage):
    meeting = planned_meeting(secretary, chair)
    add_item(secretary, meeting, "Punkt")
    services.minutes_for(meeting)
    if stage != "draft":
        services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    if stage == "justerat":
        meeting.adjusters.clear()
        services.minutes_respond(actor=chair, meeting=meeting, approve=True)
        assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT
    url = reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 404  # anonymous: same answer as for a meeting that does not exist
    for user in (rep_fyrbodal, secretary):  # members and the secretary: drafts are not served as PDF
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", kwargs={"pk": 999999})).status_code == 404


def test_only_justerade_minutes_are_published_and_only_by_the_secretary(secretary, chair, justerat):
    draft = planned_meeting(secretary, chair, title="Utkast")
    with pytest.raises(ValidationError, match="först när det är justerat"):
        minutes_publish(actor=secretary, meeting=draft)
    services.minutes_for(draft)
    with pytest.raises(ValidationError, match="först när det är justerat"):
        minutes_publish(actor=secretary, meeting=draft)
    with pytest.raises(PermissionDenied):
        minutes_publish(actor=chair, meeting=justerat[0])
    assert Minutes.objects.get(meeting=justerat[0]).status == Minutes.Status.JUSTERAT


def test_publish_button_is_post_only_and_for_the_secretary(client, secretary, chair, reader, justerat):
    meeting = justerat[0]
    url = reverse("meetings:publish", kwargs={"pk": meeting.pk})
    client.force_login(secretary)
    assert client.get(url).status_code == 405
    client.force_login(reader)
    assert client.post(url).status_code == 404  # outsiders do not learn that the meeting exists
    client.force_login(chair)
    assert client.post(url).status_code == 403  # a member who is not the secretary
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT
    client.force_login(secretary)
    asked = client.post(url)  # publishing cannot be undone: the secretary is asked first, nothing is published yet
    assert asked.status_code == 200 and "Ja, publicera protokollet" in asked.content.decode()
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED


def test_publish_button_shows_why_draft_minutes_cannot_be_published(client, secretary, chair):
    meeting = planned_meeting(secretary, chair)
    client.force_login(secretary)
    response = client.post(reverse("meetings:publish", kwargs={"pk": meeting.pk}), follow=False)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Protokollet kan publiceras först när det är justerat."
    ]


def _publish_new(secretary, chair, body, day):
    meeting, *_rest = full_minutes(secretary, chair, body, date=day, title=f"Möte {day.isoformat()}")
    return minutes_publish(actor=secretary, meeting=meeting)


def test_published_list_is_public_newest_first_with_constant_queries(
    client, secretary, chair, django_assert_num_queries
):
    body = Body.objects.get(slug=BEREDNING)
    url = reverse("meetings:published_minutes", kwargs={"slug": body.slug})
    empty = client.get(url)  # anonymous
    assert empty.status_code == 200 and "har inga publicerade protokoll ännu" in empty.content.decode()

    first = _publish_new(secretary, chair, body, datetime.date(2026, 2, 4))
    with django_assert_num_queries(2):  # the body; the published minutes with their meetings
        assert client.get(url).status_code == 200
    _publish_new(secretary, chair, body, datetime.date(2026, 9, 9))
    _publish_new(secretary, chair, body, datetime.date(2026, 5, 6))
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="application/pdf"') == 3
    assert html.index("2026-09-09") < html.index("2026-05-06") < html.index("2026-02-04")  # newest first
    assert f'href="/protokoll/{first.pdf_sha256}/{body.slug}-2026-02-04.pdf"' in html
    assert f"{first.pdf_sha256[:12]}…" in html
    assert ">Publicerade protokoll</span>" in html and f'href="{body.get_absolute_url()}"' in html  # breadcrumbs


def test_published_list_of_unknown_body_is_404(client):
    assert client.get("/organ/finns-inte/protokoll/").status_code == 404


def test_agenda_pdf_for_members_once_published_and_for_the_secretary_before(
    client, secretary, chair, rep_fyrbodal, reader
):
    meeting = planned_meeting(secretary, chair)
    add_item(
        secretary,
        meeting,
        "Rutin för överföring av vårdplaner",
        presenters="Elin Sjöberg",
        purpose="decision",
        documents="Förslag till reviderad rutin",
        start_time=datetime.time(13, 30),
    )
    url = reverse("meetings:agenda_pdf", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 302  # anonymous: sign in first, like every meeting page
    client.force_login(rep_fyrbodal)
    assert client.get(url).status_code == 404  # not published yet
    client.force_login(secretary)
    draft = client.get(url)
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert "Utkast – dagordningen är inte publicerad" in pdf_text(draft.content)
    services.agenda_publish(actor=secretary, meeting=meeting)
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(rep_fyrbodal)
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in [
        "Dagordning",
        "Referensgrupp SHVO",
        "2026-06-17",
        "13:00–16:30",
        "Rutin för överföring av vårdplaner",
        "Tid 13:30–16:30 (3 tim)",  # the item's hours and duration, as on the meeting page
        "Syfte: Beslut",
        "Föredragande: Elin Sjöberg",
        "Förslag till reviderad rutin",
        "Sida 1 av 1",
    ]:
        assert expected in text
    assert pdf_text(render_agenda_pdf(meeting)).startswith(text[:40])
