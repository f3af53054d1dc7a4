"""Seed 004 held without loss: entered through the services (tests/seed004.py), justerat on paper on 2023-12-05 by
the chair and the vice chair, published; the published PDF, the meeting page and the history carry every name with
its title, the two invited guests typed on the spot, each item's ställningstagande, the actions with owners and
deadlines, the signature blocks and the paper justering's date."""

import pytest
from django.urls import reverse

from meetings.models import JusteringResponse, Minutes

from . import seed004
from .test_minutes_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return seed004.build()


def _attendees():
    for first, last, title, _role, label in seed004.PRESENT + seed004.ABSENT:
        yield f"{first} {last}", title, label
    for name, title, organisation in seed004.GUESTS:
        yield name, f"{title}, {organisation}", ""


def test_seed_004_is_entered_as_held_and_published(published):
    meeting, minutes = published.meeting, published.minutes
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.justerat_on_paper == seed004.JUSTERAT_ON_PAPER
    assert meeting.items.count() == 15
    assert meeting.video_link == "" and meeting.mode == "digital"
    rows = list(meeting.attendance.all())
    assert sum(r.status == "present" for r in rows) == 12 and sum(r.status == "co_opted" for r in rows) == 1
    assert sum(r.status == "absent" for r in rows) == 8
    guests = [r for r in rows if r.status == "guest"]
    assert [(g.person_id, g.guest_name) for g in guests] == [(None, n) for n, *_ in sorted(seed004.GUESTS)]
    approvals = JusteringResponse.objects.filter(minutes=minutes, approved=True)
    assert {str(r.person) for r in approvals} == {seed004.CHAIR, seed004.VICE_CHAIR}
    assert all(r.on_paper for r in approvals)


def test_seed_004_published_pdf_carries_the_whole_minutes(published):
    text = pdf_text(published.minutes.pdf.path)
    # Heading: the group, the day, digital without a link, the secretary.
    for expected in ["Ledningsgrupp för samverkan Göteborgsområdet", "2023-11-30", "09:00–12:00", "Digitalt"]:
        assert expected in text
    assert f"Sekreterare {seed004.SECRETARY}" in text
    # Every name with its title as typed (compound titles and roles not re-cased); the guests with organisation.
    for name, title, label in _attendees():
        assert f"{name}, {title}" in text, name
        if label:
            assert f"({label})" in text
    assert "Cecilia Lundgren, Processledare TG Äldre och Rehab/Habilitering, Samverkanskontoret" in text
    assert text.count("– Inbjuden") == 2 and text.count("– Förhinder") == 8 and text.count("– Adjungerad") == 1
    # The 15 items, each ställningstagande under its item and in the closing summary.
    for n, (title, *_rest) in enumerate(seed004.ITEMS, start=1):
        assert f"{n}. {title}" in text
    assert len(published.decisions) == 12
    for decision in published.decisions:
        assert text.count(" ".join(decision.text.split())) == 2, decision.text
        assert f"§ {decision.number}/2023" in text
    # The actions with their owners and deadlines.
    for action in published.actions:
        assert action.text in text
        owner = f"Ansvarig: {action.owner}"
        assert owner + (f", klart senast {action.due_date.isoformat()}" if action.due_date else "") in text
    for deadline in ("2023-12-04", "2023-12-10", "2023-12-15"):
        assert deadline in text
    # The signature blocks: "Vid anteckningen" the secretary, then the paper justering by chair and vice chair.
    assert (
        f"Vid anteckningen {seed004.SECRETARY} Samordningsansvarig processledare Pol. Samråd, LGS Sekreterare" in text
    )
    assert f"Justerat på papper 2023-12-05 {seed004.CHAIR} Förvaltningsdirektör, ÄVO, Göteborg Ordförande" in text
    assert f"{seed004.VICE_CHAIR} Primärvårdschef, Område 5 Närhälsan Justerare, justerat på papper 2023-12-05" in text
    assert "Protokollet justerades på papper 2023-12-05" in text


def test_seed_004_meeting_page_shows_titles_guests_justerare_and_the_paper_justering(client, published):
    page = client.get(published.meeting.get_absolute_url()).content.decode()  # public: the minutes are published
    for name, title, _label in _attendees():
        assert f"{name}, {title}" in page
    assert "Sofia Lund, Förvaltningsdirektör, ÄVO, Göteborg, Mölndal (LGS ordf.): närvarande" in page
    assert "Annika Lindahl, Primärvårdschef, Område 5 Närhälsan (LGS vice ordf.): förhinder" in page
    assert "<dt>Justerare</dt><dd>Annika Lindahl</dd>" in page
    assert "Justerat på papper 2023-12-05" in page
    assert f"Vid anteckningen: {seed004.SECRETARY}" in page


def test_seed_004_history_says_the_justering_was_on_paper(client, published):
    client.force_login(published.secretary)
    history = client.get(reverse("meetings:meeting_history", args=[published.meeting.pk])).content.decode()
    assert "Justerat på papper 2023-12-05" in history
    assert "justerat på papper" in history.lower()  # the field that changed, named
