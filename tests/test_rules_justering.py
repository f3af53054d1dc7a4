"""Justering and corrections: the chair and every justerare must approve; minutes go for justering only with a chair
and at least one item; corrections only on justerade (or published) minutes, approved only by a signatory."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import services
from meetings.models import Correction, Minutes

from .factories import (
    add_item,
    make_body,
    make_justerare,
    make_meeting,
    make_membership,
    make_minutes_in_state,
    secretary_of,
    superuser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sent():
    """Minutes in justering with a chair and two justerare."""
    body = make_body()
    meeting = make_meeting(body, adjusters=[make_justerare(body), make_justerare(body)])
    make_minutes_in_state(meeting, Minutes.Status.IN_JUSTERING)
    return meeting


def approve(person, meeting):
    services.minutes_respond(actor=person.user, meeting=meeting, approve=True)


def status(meeting):
    return Minutes.objects.get(meeting=meeting).status


# --- who must approve ---------------------------------------------------------------------------


def test_every_justerare_approving_without_the_chair_leaves_the_minutes_in_justering(sent):
    for adjuster in sent.adjusters.all():
        approve(adjuster, sent)
    minutes = Minutes.objects.get(meeting=sent)
    assert minutes.status == Minutes.Status.IN_JUSTERING and minutes.justerat_at is None
    approve(sent.chair, sent)
    assert status(sent) == Minutes.Status.JUSTERAT


@pytest.mark.parametrize("left_out", [0, 1], ids=["first-justerare", "second-justerare"])
def test_the_chair_and_all_but_one_justerare_approving_leaves_the_minutes_in_justering(sent, left_out):
    adjusters = list(sent.adjusters.order_by("pk"))
    missing = adjusters.pop(left_out)
    approve(sent.chair, sent)
    for adjuster in adjusters:
        approve(adjuster, sent)
    assert status(sent) == Minutes.Status.IN_JUSTERING
    approve(missing, sent)
    assert status(sent) == Minutes.Status.JUSTERAT


def test_a_comment_from_the_chair_is_not_an_approval(sent):
    services.minutes_respond(actor=sent.chair.user, meeting=sent, approve=False, comment="Punkt 1 behöver förtydligas.")
    for adjuster in sent.adjusters.all():
        approve(adjuster, sent)
    assert status(sent) == Minutes.Status.IN_JUSTERING


# --- sending for justering ----------------------------------------------------------------------


def test_minutes_without_a_chair_cannot_be_sent_for_justering():
    meeting = make_meeting(chair=None)
    add_item(meeting, "Beslutspunkt")
    with pytest.raises(ValidationError) as error:
        services.minutes_send_for_justering(actor=secretary_of(meeting), meeting=meeting)
    assert "ordförande" in " ".join(error.value.messages).lower()
    assert not Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.DRAFT).exists()


def test_minutes_without_items_cannot_be_sent_for_justering():
    meeting = make_meeting()
    assert not meeting.items.exists()  # the body's first meeting: no standing items either
    with pytest.raises(ValidationError) as error:
        services.minutes_send_for_justering(actor=secretary_of(meeting), meeting=meeting)
    assert "punkt" in " ".join(error.value.messages).lower()
    assert not Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.DRAFT).exists()


# --- corrections --------------------------------------------------------------------------------


def test_a_correction_is_refused_before_the_minutes_are_started():
    meeting = make_meeting()
    with pytest.raises(ValidationError):
        services.correction_add(actor=secretary_of(meeting), meeting=meeting, text="Rättelse.")
    assert not Correction.objects.filter(minutes__meeting=meeting).exists()


@pytest.mark.parametrize("state", [Minutes.Status.DRAFT, Minutes.Status.IN_JUSTERING])
def test_a_correction_is_refused_on_minutes_not_yet_justerade(state):
    meeting = make_meeting()
    make_minutes_in_state(meeting, state)
    with pytest.raises(ValidationError):
        services.correction_add(actor=secretary_of(meeting), meeting=meeting, text="Rättelse: fel namn i punkt 1.")
    assert not Correction.objects.filter(minutes__meeting=meeting).exists()


@pytest.mark.parametrize("state", [Minutes.Status.JUSTERAT, Minutes.Status.PUBLISHED])
def test_a_correction_is_accepted_on_justerade_and_published_minutes(state):
    meeting = make_meeting()
    make_minutes_in_state(meeting, state)
    correction = services.correction_add(
        actor=secretary_of(meeting), meeting=meeting, text="Rättelse: fel namn i punkt 1."
    )
    assert Correction.objects.get(minutes__meeting=meeting) == correction and correction.approved_at is None


@pytest.fixture
def correction():
    meeting = make_meeting()
    make_minutes_in_state(meeting, Minutes.Status.JUSTERAT)
    return services.correction_add(actor=secretary_of(meeting), meeting=meeting, text="Rättelse: fel datum.")


@pytest.mark.parametrize("signatory", ["chair", "justerare"])
def test_a_signatory_approves_a_correction(correction, signatory):
    meeting = correction.minutes.meeting
    person = meeting.chair if signatory == "chair" else meeting.adjusters.get()
    services.correction_approve(actor=person.user, correction=correction)
    correction.refresh_from_db()
    assert correction.approved_by == person and correction.approved_at is not None


@pytest.mark.parametrize("who", ["secretary", "member", "administrator"])
def test_only_a_signatory_approves_a_correction(correction, who):
    meeting = correction.minutes.meeting
    actor = {
        "secretary": lambda: secretary_of(meeting),
        "member": lambda: make_membership(body=meeting.body).person.user,  # in the body, but not a signatory
        "administrator": superuser,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.correction_approve(actor=actor, correction=correction)
    correction.refresh_from_db()
    assert correction.approved_at is None and correction.approved_by is None
