"""The insider's attacks of issue 8, each refused: escalation through seats, self-justering, self-decision, and the
public meeting page showing what was never approved. Each test failed on the code before the rule existed."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents import reviews as plan_reviews
from documents import rules as plan_rules
from documents import services as plan_services
from documents.models import Comment, ManagementPlan
from governance import permissions
from governance import services as seat_services
from governance.models import Body, Membership, Person
from meetings import rules as meeting_rules
from meetings import services as meeting_services
from meetings.models import Correction, JusteringResponse, Meeting, Minutes
from tests.meeting_builders import add_item, adjuster_with_user, planned_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _ulla():
    return Person.objects.get(user__username="admin-fyrbodal")


def _seat_post(client, body_slug, **data):
    payload = {"start_date": TODAY().isoformat(), "role": "member", **data}
    return client.post(f"/organ/{body_slug}/uppdrag/nytt/", payload)


# --- 1. Who may grant what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body_slug", "role", "message"),
    [
        ("gits", "member", "har inga delregionsplatser"),  # a Fyrbodal seat in GITS would make her a coordinator
        ("gits-team-shvo", "member", "har inga delregionsplatser"),
        ("referensgrupp-shvo", "secretary", "inte sekreterare"),  # would let her publish minutes
        ("referensgrupp-shvo", "preparer", "inte beredningsansvarig"),
        ("referensgrupp-shvo", "chair", "inte ordförande"),
        ("vvg", "preparer", "inte beredningsansvarig"),  # would let her put a plan in force
    ],
)
def test_subregion_administrator_cannot_create_a_seat_that_grants_a_staff_right(
    client, admin_fyrbodal, subregion, body_slug, role, message
):
    other = Person.objects.create(first_name="Olle", last_name="Ny")
    client.force_login(admin_fyrbodal)
    before = Membership.objects.count()
    response = _seat_post(client, body_slug, person=other.pk, role=role, subregion=subregion["Fyrbodal"].pk)
    assert response.status_code in (200, 403)
    if response.status_code == 200:  # the form offers no such role; a forged one is an invalid choice or the rule
        page = response.content.decode()
        assert message in page or "Välj ett giltigt alternativ" in page
    assert Membership.objects.count() == before
    # The rule itself, as any caller (an import, a command) meets it:
    seat = Membership(
        person=other,
        body=Body.objects.get(slug=body_slug),
        role=role,
        subregion=subregion["Fyrbodal"],
        start_date=TODAY(),
    )
    with pytest.raises(ValidationError) as refused:
        seat_services.membership_save(actor=admin_fyrbodal, membership=seat)
    assert message in str(refused.value)
    assert Membership.objects.count() == before


def test_subregion_administrator_cannot_appoint_herself(client, admin_fyrbodal, subregion):
    client.force_login(admin_fyrbodal)
    response = _seat_post(client, "referensgrupp-shvo", person=_ulla().pk, subregion=subregion["Fyrbodal"].pk)
    assert response.status_code == 200
    assert "Du kan inte tillsätta eller ändra ditt eget uppdrag" in response.content.decode()
    assert not Membership.objects.filter(person=_ulla()).exists()


def test_subregion_administrator_still_fills_her_subregions_representative_seat(client, admin_fyrbodal, subregion):
    new = Person.objects.create(first_name="Vera", last_name="Ny")
    client.force_login(admin_fyrbodal)
    response = _seat_post(
        client, "referensgrupp-shvo", person=new.pk, role="substitute", subregion=subregion["Fyrbodal"].pk
    )
    assert response.status_code == 302
    assert Membership.objects.filter(person=new, role="substitute", subregion=subregion["Fyrbodal"]).exists()


@pytest.mark.parametrize(
    ("body_slug", "role", "right"),
    [
        ("gits", "member", lambda u, body: permissions.is_coordinator(u)),
        ("referensgrupp-shvo", "secretary", lambda u, body: permissions.can(u, meeting_rules.MANAGE_MEETINGS, body)),
        ("vvg", "preparer", lambda u, body: permissions.is_preparer(u)),
    ],
)
def test_a_subregion_seat_never_carries_a_staff_right(admin_fyrbodal, subregion, body_slug, role, right):
    # Even a seat that slipped in (an import, the admin's mistake) gives no coordinator, secretary or preparer right.
    body = Body.objects.get(slug=body_slug)
    Membership.objects.create(person=_ulla(), body=body, role=role, subregion=subregion["Fyrbodal"], start_date=TODAY())
    user = get_user_model().objects.get(pk=admin_fyrbodal.pk)  # fresh: rights are cached per request
    assert not right(user, body)


def test_coordinator_cannot_appoint_herself_preparer(coordinator):
    vvg = Body.objects.get(slug="vvg")
    me = Person.objects.get(user=coordinator)
    with pytest.raises(ValidationError) as refused:
        seat_services.membership_save(
            actor=coordinator, membership=Membership(person=me, body=vvg, role="preparer", start_date=TODAY())
        )
    assert "ditt eget uppdrag" in str(refused.value)
    assert not Membership.objects.filter(person=me, body=vvg).exists()


def test_coordinator_cannot_fill_a_subregions_seat(coordinator, subregion, ref_group):
    other = Person.objects.create(first_name="Olle", last_name="Ny")
    seat = Membership(person=other, body=ref_group, role="member", subregion=subregion["Fyrbodal"], start_date=TODAY())
    with pytest.raises(ValidationError) as refused:
        seat_services.membership_save(actor=coordinator, membership=seat)
    assert "din egen delregion" in str(refused.value)


def test_coordinator_fills_a_seat_without_a_subregion_for_somebody_else(coordinator):
    other = Person.objects.create(first_name="Olle", last_name="Ny")
    seat = Membership(person=other, body=Body.objects.get(slug="vvg"), role="preparer", start_date=TODAY())
    seat_services.membership_save(actor=coordinator, membership=seat)
    assert seat.pk


# --- 2. Separation of duties: minutes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("named_secretary", "message"),
    [(True, "kan inte vara dess ordförande"), (False, "Du skriver mötets anteckningar")],
)
def test_secretary_cannot_name_herself_chair_of_her_meeting(client, secretary, ref_group, named_secretary, message):
    client.force_login(secretary)
    me = Person.objects.get(user=secretary)
    response = client.post(
        f"/organ/{ref_group.slug}/moten/nytt/",
        {
            "title": "Eget möte",
            "date": (TODAY() + datetime.timedelta(days=20)).isoformat(),
            "start_time": "13:00",
            "end_time": "15:00",
            "mode": "physical",
            "place": "Vänersborg",
            "chair": me.pk,
            "secretary": me.pk if named_secretary else "",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(title="Eget möte").exists()


def test_secretary_cannot_be_a_justerare_of_her_meeting(secretary, chair, ref_group):
    me = Person.objects.get(user=secretary)
    with pytest.raises(ValidationError) as refused:
        planned_meeting(secretary, chair, date=TODAY() + datetime.timedelta(days=20), adjusters=[me])
    assert "kan inte justera" in str(refused.value)


def test_minutes_written_by_their_only_signatory_cannot_be_sent_for_justering(secretary, chair):
    meeting = planned_meeting(secretary, chair, date=TODAY() - datetime.timedelta(days=1))
    item = add_item(secretary, meeting, "Punkt")
    # The chair also holds the pen: she wrote the notes, so no signatory is independent of the text.
    Membership.objects.create(
        person=Person.objects.get(user=chair), body=meeting.body, role="secretary", start_date=TODAY()
    )
    chair_user = get_user_model().objects.get(pk=chair.pk)
    meeting_services.item_minutes_save(actor=chair_user, item=item, discussion="<p>Mina anteckningar</p>")
    with pytest.raises(ValidationError) as refused:
        meeting_services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    assert "får inte vara några som har skrivit anteckningarna" in str(refused.value)


def test_justering_needs_the_chair_as_well_as_every_justerare(secretary, chair):
    adjuster, adjuster_user = adjuster_with_user()
    meeting = planned_meeting(secretary, chair, date=TODAY() - datetime.timedelta(days=1), adjusters=[adjuster])
    add_item(secretary, meeting, "Punkt")
    meeting_services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    meeting_services.minutes_respond(actor=adjuster_user, meeting=meeting, approve=True)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.IN_JUSTERING
    meeting_services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT


def test_the_administrator_cannot_approve_minutes_on_a_signatorys_behalf(client, secretary, chair, admin_user):
    meeting = planned_meeting(secretary, chair, date=TODAY() - datetime.timedelta(days=1))
    add_item(secretary, meeting, "Punkt")
    meeting_services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    client.force_login(admin_user)
    response = client.post(f"/moten/{meeting.pk}/justering/", {"approve": "1", "comment": ""})
    assert response.status_code == 403
    assert not JusteringResponse.objects.filter(minutes__meeting=meeting).exists()


def test_whoever_wrote_a_correction_does_not_approve_it(secretary, chair):
    meeting = planned_meeting(secretary, chair, date=TODAY() - datetime.timedelta(days=1))
    add_item(secretary, meeting, "Punkt")
    meeting_services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    meeting_services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    correction = Correction.objects.create(
        minutes=meeting.minutes, text="Rätt datum är 5 mars.", created_by=Person.objects.get(user=chair)
    )
    with pytest.raises(ValidationError) as refused:
        meeting_services.correction_approve(actor=chair, correction=correction)
    assert "kan inte själv godkänna" in str(refused.value)
    correction.refresh_from_db()
    assert correction.approved_at is None


# --- 2. Separation of duties: plans ------------------------------------------------------------


def _submitted_2027(coordinator):
    plan = ManagementPlan.objects.get(year=2027)
    for comment in Comment.objects.filter(round__document__plan=plan, parent__isnull=True, disposition=""):
        plan_reviews.comment_dispose(actor=coordinator, comment=comment, disposition="accepted", reason="")
    section = plan.sections.get(key="purpose")
    plan_services.section_save(actor=coordinator, section=section, body="<p>Syftet</p>", base_version=section.revision)
    plan_services.plan_submit(actor=coordinator, plan=plan)
    return plan


def test_a_coordinator_who_wrote_the_plan_cannot_record_the_decision_on_it(coordinator, admin_user):
    plan = _submitted_2027(coordinator)
    # A colleague appoints her preparer: she now holds the right, but not over her own plan.
    Membership.objects.create(
        person=Person.objects.get(user=coordinator),
        body=Body.objects.get(slug="vvg"),
        role="preparer",
        start_date=TODAY(),
    )
    writer = get_user_model().objects.get(pk=coordinator.pk)
    assert permissions.is_preparer(writer)
    for decide in (
        lambda: plan_services.plan_record_position(actor=writer, plan=plan, date=TODAY()),
        lambda: plan_services.plan_refer_back(actor=writer, plan=plan, note="Gör om"),
    ):
        with pytest.raises(ValidationError) as refused:
            decide()
        assert "Du har skrivit i planen" in str(refused.value)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED


def test_a_preparer_who_did_not_write_the_plan_records_the_decision(coordinator, preparer):
    plan = _submitted_2027(coordinator)
    plan_services.plan_record_position(actor=preparer, plan=plan, date=TODAY())
    assert plan.status == ManagementPlan.Status.IN_FORCE


# --- 2. The public meeting page shows only what was published ----------------------------------


def test_public_meeting_page_hides_justering_comments_and_pending_corrections(client, chair):
    meeting = Meeting.objects.get(minutes__status=Minutes.Status.PUBLISHED, body__slug="referensgrupp-shvo")
    chair_person = Person.objects.get(user=chair)
    JusteringResponse.objects.create(minutes=meeting.minutes, person=chair_person, comment="INTERN-KOMMENTAR")
    Correction.objects.create(minutes=meeting.minutes, text="EJ-GODKÄND-RÄTTELSE", created_by=chair_person)
    Correction.objects.create(
        minutes=meeting.minutes,
        text="GODKÄND-RÄTTELSE",
        created_by=chair_person,
        approved_by=chair_person,
        approved_at=timezone.now(),
    )
    page = client.get(f"/moten/{meeting.pk}/").content.decode()
    assert "GODKÄND-RÄTTELSE" in page
    assert "EJ-GODKÄND-RÄTTELSE" not in page and "INTERN-KOMMENTAR" not in page
    client.force_login(chair)
    member_page = client.get(f"/moten/{meeting.pk}/").content.decode()
    assert "EJ-GODKÄND-RÄTTELSE" in member_page and "INTERN-KOMMENTAR" in member_page


def test_seat_form_offers_a_subregion_administrator_only_representative_roles(client, admin_fyrbodal):
    client.force_login(admin_fyrbodal)
    page = client.get("/organ/referensgrupp-shvo/uppdrag/nytt/").content.decode()
    for offered in ('value="member"', 'value="substitute"', 'value="vice_chair"'):
        assert offered in page
    for withheld in ('value="secretary"', 'value="preparer"', 'value="chair"', 'value="co_opted"'):
        assert withheld not in page


def test_a_second_secretary_cannot_make_the_writer_of_the_minutes_chair(client, secretary, chair, ref_group):
    # Red team: Elin planned and wrote; a colleague names herself secretary and Elin chair, then Elin approves.
    meeting = planned_meeting(secretary, chair, date=TODAY() - datetime.timedelta(days=1))
    item = add_item(secretary, meeting, "Punkt")
    meeting_services.item_minutes_save(actor=secretary, item=item, discussion="<p>Elins anteckningar</p>")
    colleague = Person.objects.create(
        first_name="Kollega", last_name="Sekreterare", user=get_user_model().objects.create_user("kollega")
    )
    Membership.objects.create(person=colleague, body=ref_group, role="secretary", start_date=TODAY())
    meeting.secretary, meeting.chair = colleague, Person.objects.get(user=secretary)
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_update(actor=colleague.user, meeting=meeting, adjusters=[])
    assert "har planerat mötet eller skrivit dess anteckningar" in str(refused.value)
    assert Meeting.objects.get(pk=meeting.pk).chair.user == chair


def test_whoever_opened_a_review_round_cannot_decide_on_the_plan(coordinator, preparer):
    plan = ManagementPlan.objects.get(year=2027)
    gits = Body.objects.get(slug="gits")
    Membership.objects.create(person=Person.objects.get(user=preparer), body=gits, role="member", start_date=TODAY())
    preparer_now = get_user_model().objects.get(pk=preparer.pk)
    for review in plan.rounds.filter(closed_at__isnull=True):
        plan_reviews.round_close(actor=preparer_now, round_=review)
    assert not plan_rules.may_decide(preparer_now, plan)


def test_the_public_reads_only_the_decided_version_of_a_plan(client, coordinator):
    plan = ManagementPlan.objects.get(year=2026)
    assert plan.versions.count() > 1
    latest = plan.versions.order_by("-number").first()
    public = client.get(f"/forvaltningsplaner/{plan.pk}/versioner/").content.decode()
    assert f'data-label="Version">{latest.number}<' in public and 'data-label="Version">1<' not in public
    assert client.get(f"/forvaltningsplaner/{plan.pk}/jamfor/?a=1&b={latest.number}").status_code == 400
    client.force_login(coordinator)
    assert client.get(f"/forvaltningsplaner/{plan.pk}/jamfor/?a=1&b={latest.number}").status_code == 200


def test_ids_above_999_are_not_written_with_a_thousands_separator(client, rep_fyrbodal):
    # On PostgreSQL the sequences never rewind: a form's hidden id "1 234" would make the next POST a 404.
    from documents.models import Comment, ReviewRound

    review = ReviewRound.objects.get(document__plan__year=2027, closed_at__isnull=True)
    section = review.plan.sections.get(key="purpose")
    author = Person.objects.get(user=rep_fyrbodal)
    Comment.objects.create(pk=12345, round=review, section_key=section.key, author=author, text="Hög id")
    client.force_login(rep_fyrbodal)
    page = client.get(f"/remisser/{review.pk}/").content.decode()
    assert 'id="kommentar-12345"' in page and 'name="target" value="12345"' in page
    assert "12 345" not in page and "12\xa0345" not in page
