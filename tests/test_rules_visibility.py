"""Public lists and pages in every minutes state, built with factories (the demo has no meeting in justering or
justerad-but-unpublished, so tests/test_visibility.py cannot catch a rule that lets those out):
only published minutes are listed or shown to the public; everything before publishing answers 404."""

import pytest

from meetings import services
from meetings.models import Meeting, Minutes

from .factories import DAY, STATES, add_item, make_body, make_meeting, make_minutes_in_state, make_secretary, today

pytestmark = pytest.mark.django_db
NOT_STARTED = "not-started"  # a meeting whose minutes nobody has begun (no Minutes row)
UNPUBLISHED = [NOT_STARTED, *[s for s in STATES if s != Minutes.Status.PUBLISHED]]
PUBLIC_PAGES = ["", "sammanfattning/", "protokoll.pdf"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def meeting_in(state, body=None, secretary=None, days_ago=10) -> Meeting:
    """A past meeting with a published agenda and its minutes in `state`."""
    body = body or make_body()
    secretary = secretary or make_secretary(body)
    meeting = make_meeting(body, secretary=secretary, date=today() - days_ago * DAY, title=f"Mötet i läge {state}")
    add_item(meeting, "Punkt")
    services.agenda_publish(actor=secretary, meeting=meeting)
    if state != NOT_STARTED:
        make_minutes_in_state(meeting, state)
    return meeting


@pytest.fixture
def every_state():
    """One body with a meeting in every state, and another body's published meeting."""
    body = make_body()
    secretary = make_secretary(body)
    meetings = {
        state: meeting_in(state, body, secretary, days_ago=10 * (n + 1))
        for n, state in enumerate([NOT_STARTED, *STATES])
    }
    elsewhere = meeting_in(Minutes.Status.PUBLISHED)
    return body, meetings, elsewhere


def test_the_public_list_of_a_body_shows_its_published_minutes_only(client, every_state):
    body, meetings, elsewhere = every_state
    page = client.get(f"/organ/{body.slug}/protokoll/").content.decode()
    published = meetings[Minutes.Status.PUBLISHED]
    assert published.title in page and f"/protokoll/{published.minutes.pdf_sha256}/" in page
    for state in UNPUBLISHED:
        assert meetings[state].title not in page, f"{state} minutes are listed publicly"
    assert elsewhere.minutes.pdf_sha256 not in page  # another body's


def test_published_meetings_are_the_published_minutes_only(every_state):
    body, meetings, elsewhere = every_state
    assert list(Meeting.objects.published().filter(body=body)) == [meetings[Minutes.Status.PUBLISHED]]
    everywhere = set(Meeting.objects.published())
    assert {meetings[Minutes.Status.PUBLISHED], elsewhere} <= everywhere
    assert not everywhere & {meetings[s] for s in UNPUBLISHED}


@pytest.mark.parametrize("suffix", PUBLIC_PAGES)
@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_minutes_answer_404_to_the_public(client, state, suffix):
    meeting = meeting_in(state)
    assert client.get(f"/moten/{meeting.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", PUBLIC_PAGES)
def test_published_minutes_are_public(client, suffix):
    meeting = meeting_in(Minutes.Status.PUBLISHED)
    response = client.get(f"/moten/{meeting.pk}/{suffix}")
    assert response.status_code == 200
    if suffix.endswith(".pdf"):
        assert response["Content-Type"] == "application/pdf"
    else:
        assert meeting.title in response.content.decode()


@pytest.mark.parametrize("suffix", [*PUBLIC_PAGES, "dagordning.pdf", "mote.ics"])
@pytest.mark.parametrize("state", UNPUBLISHED)
def test_unpublished_minutes_answer_404_to_a_user_outside_the_body(client, reader, state, suffix):
    meeting = meeting_in(state)
    client.force_login(reader)
    assert client.get(f"/moten/{meeting.pk}/{suffix}").status_code == 404
