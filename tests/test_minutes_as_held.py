"""Minutes that carry what real minutes carry (seeds 002 and 004): titles and roles as typed in the attendance,
invited guests typed on the spot, several secretaries with the secretary's rights for their meeting, a digital
meeting without a video link, a justering on paper recorded by a secretary, the justerare on the meeting page, the
attendance at justering, and the justering form only for who may justera."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import permissions
from governance.models import Membership
from meetings import rules, services
from meetings.forms import GuestForm
from meetings.models import AgendaItem, Attendance, JusteringResponse, Meeting, Minutes
from meetings.publishing import render_minutes_pdf
from meetings.signatories import SECRETARY_NOT_ADJUSTER, SECRETARY_NOT_CHAIR

from .factories import (
    DAY,
    add_item,
    make_body,
    make_justerare,
    make_meeting,
    make_membership,
    make_minutes_in_state,
    make_person,
    secretary_of,
    today,
)
from .test_minutes_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fresh(user):
    """The user as a new request sees it (the role facts are cached on the user object)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def held():
    """A meeting held a week ago, with an item, a chair and a justerare; its minutes not started."""
    body = make_body()
    meeting = make_meeting(body, date=today() - 7 * DAY)
    add_item(meeting, "Lägesbild")
    return meeting


# --- titles and roles in the attendance -------------------------------------------------------


def test_attendance_records_the_title_at_the_meeting_and_keeps_it_when_the_person_changes(client):
    body = make_body()
    member = make_membership(body=body, person=make_person(title="Processledare TG Äldre och Rehab")).person
    meeting = make_meeting(body)
    add_item(meeting)  # the meeting page shows the attendance with the agenda
    services.attendance_fill(actor=secretary_of(meeting), meeting=meeting)
    row = meeting.attendance.get(person=member)
    assert row.title == "Processledare TG Äldre och Rehab"
    member.title = "Verksamhetschef"
    member.save()
    client.force_login(secretary_of(meeting))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{member}, Processledare TG Äldre och Rehab (Ledamot): närvarande" in page
    assert "Verksamhetschef" not in page


def test_compound_roles_and_titles_are_kept_as_typed_on_the_attendance_page_and_the_meeting_page(client):
    meeting = make_meeting()
    add_item(meeting)
    secretary = secretary_of(meeting)
    services.attendance_fill(actor=secretary, meeting=meeting)
    row = meeting.attendance.filter(person__isnull=False).first()
    client.force_login(secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {"save": "1"}
    for a in meeting.attendance.filter(person__isnull=False):
        data |= {f"a{a.pk}-status": a.status, f"a{a.pk}-title": a.title, f"a{a.pk}-role_label": a.role_label}
    data |= {f"a{row.pk}-title": "T.f. Avd. chef FFS, Göteborg", f"a{row.pk}-role_label": "LGS vice ordf."}
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert (row.title, row.role_label) == ("T.f. Avd. chef FFS, Göteborg", "LGS vice ordf.")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{row.person}, T.f. Avd. chef FFS, Göteborg (LGS vice ordf.)" in page
    assert "lgs vice ordf." not in page and "t.f. avd. chef" not in page


# --- invited guests typed on the spot --------------------------------------------------------------


def test_secretary_types_an_invited_guest_who_is_not_in_the_portal(client):
    meeting = make_meeting()
    add_item(meeting)
    client.force_login(secretary_of(meeting))
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {
            "guest": "1",
            "guest-guest_name": "Cecilia Lundgren",
            "guest-title": "Processledare TG Äldre och Rehab/Habilitering",
            "guest-guest_organisation": "Samverkanskontoret",
            "guest-status": "guest",
        },
    )
    assert response.status_code == 302
    guest = meeting.attendance.get(guest_name="Cecilia Lundgren")
    assert guest.person_id is None and guest.status == Attendance.Status.GUEST
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Cecilia Lundgren, Processledare TG Äldre och Rehab/Habilitering, Samverkanskontoret: inbjuden" in page
    # The meeting's Historik names the guest, not her title and not "a vacant seat".
    history = client.get(reverse("meetings:meeting_history", args=[meeting.pk])).content.decode()
    assert "Lagt till närvaro för Cecilia Lundgren</h2>" in history


def test_a_guest_needs_a_person_or_a_typed_name(client):
    meeting = make_meeting()
    client.force_login(secretary_of(meeting))
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"guest": "1", "guest-title": "Gäst", "guest-status": "guest"},
    )
    assert response.status_code == 200
    assert "Välj en person i portalen, eller skriv namnet" in response.content.decode()
    assert not meeting.attendance.exists()


def test_a_guest_is_a_person_or_a_typed_name_not_both():
    meeting = make_meeting()
    row = Attendance(meeting=meeting, person=make_person(), guest_name="Någon Annan", status="guest")
    with pytest.raises(ValidationError) as refused:
        services.attendance_save(actor=secretary_of(meeting), attendance=row)
    assert "inte båda" in str(refused.value)
    form = GuestForm({"person": make_person().pk, "guest_name": "Någon Annan", "status": "guest"}, meeting=meeting)
    assert not form.is_valid() and "inte båda" in str(form.errors)


def test_a_typed_name_is_an_invited_or_co_opted_guest_not_a_member_present():
    meeting = make_meeting()
    secretary = secretary_of(meeting)
    with pytest.raises(ValidationError) as refused:
        services.attendance_save(actor=secretary, attendance=Attendance(meeting=meeting, guest_name="X Y"))
    assert "inbjuden eller adjungerad" in str(refused.value)
    saved = services.attendance_save(
        actor=secretary, attendance=Attendance(meeting=meeting, guest_name="X Y", status=Attendance.Status.CO_OPTED)
    )
    assert saved.pk


# --- several secretaries ----------------------------------------------------------------------


@pytest.fixture
def co_kept():
    """Two meetings of one body; a member with a login is named co-secretary of the first only."""
    body = make_body()
    first = make_meeting(body)
    second = make_meeting(body, secretary=secretary_of(first))
    colleague = make_membership(body=body, person=make_person(first_name="Kollega")).person
    services.meeting_update(actor=secretary_of(first), meeting=first, co_secretaries=[colleague])
    return first, second, colleague


def test_a_co_secretary_has_the_secretarys_rights_for_that_meeting_only(client, co_kept):
    first, second, colleague = co_kept
    user = fresh(colleague.user)
    assert permissions.can(user, rules.MANAGE_MEETING, first)
    assert not permissions.can(user, rules.MANAGE_MEETING, second)
    assert not permissions.can(user, rules.MANAGE_MEETINGS, first.body)  # no right to plan the body's meetings
    services.agenda_item_save(actor=user, item=AgendaItem(meeting=first, title="Co-sekreterarens punkt"))
    with pytest.raises(PermissionDenied):
        services.agenda_item_save(actor=user, item=AgendaItem(meeting=second, title="Inte hennes möte"))
    client.force_login(user)
    assert client.get(reverse("meetings:attendance", args=[first.pk])).status_code == 200
    assert client.get(reverse("meetings:attendance", args=[second.pk])).status_code == 403
    item = first.items.get(title="Co-sekreterarens punkt")
    assert client.get(reverse("meetings:item_minutes", args=[item.pk])).status_code == 200


def test_a_co_secretary_who_is_not_a_member_sees_and_keeps_the_meeting(client):
    meeting = make_meeting()
    outsider = make_person(first_name="Extern")  # a login, no seat in the body
    services.meeting_update(actor=secretary_of(meeting), meeting=meeting, co_secretaries=[outsider])
    user = fresh(outsider.user)
    assert Meeting.objects.followed_by(user).filter(pk=meeting.pk).exists()
    assert Meeting.objects.agenda_visible_to(user).filter(pk=meeting.pk).exists()
    client.force_login(user)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 200


def test_a_co_secretary_is_neither_chair_nor_justerare_and_counts_as_writing_the_minutes(co_kept):
    first, _second, colleague = co_kept
    secretary = secretary_of(first)
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(actor=secretary, meeting=first, co_secretaries=[first.chair])
    assert str(SECRETARY_NOT_CHAIR) in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(actor=secretary, meeting=first, co_secretaries=list(first.adjusters.all()))
    assert str(SECRETARY_NOT_ADJUSTER) in str(refused.value)
    assert colleague.pk in services.minutes_writer_ids(first)


def test_the_meeting_form_names_co_secretaries_and_the_history_records_it(client, co_kept):
    first, _second, colleague = co_kept
    another = make_membership(body=first.body, person=make_person(first_name="Tredje")).person
    client.force_login(secretary_of(first))
    data = {
        "date": first.date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "mode": "digital",
        "secretary": first.secretary_id,
        "co_secretaries": [colleague.pk, another.pk],
        "chair": first.chair_id,
        "adjusters": [p.pk for p in first.adjusters.all()],
    }
    assert client.post(reverse("meetings:meeting_edit", args=[first.pk]), data).status_code == 302
    assert set(first.co_secretaries.all()) == {colleague, another}
    rows = apps.get_model("meetings", "HistoricalMeeting_co_secretaries").objects.filter(meeting_id=first.pk)
    assert another.pk in {r.person_id for r in rows}
    page = client.get(first.get_absolute_url()).content.decode()
    assert f"<dt>Sekreterare</dt><dd>{first.secretary}, " in page and str(another) in page


def test_every_secretary_signs_vid_anteckningen_in_the_pdf(co_kept):
    first, _second, colleague = co_kept
    make_minutes_in_state(first, Minutes.Status.JUSTERAT)
    text = pdf_text(render_minutes_pdf(first))
    assert f"Vid anteckningen {first.secretary}" in text and f"{colleague}" in text
    assert text.count("Sekreterare") >= 3  # the masthead, and under each of the two secretaries


# --- a digital meeting without a video link --------------------------------------------------------


def test_a_digital_meeting_may_be_planned_without_a_video_link(client):
    body = make_body()
    meeting = make_meeting(body, mode=Meeting.Mode.DIGITAL, video_link="")
    assert meeting.pk and meeting.video_link == ""
    client.force_login(secretary_of(meeting))
    data = {
        "title": "Digitalt utan länk",
        "date": (today() + 7 * DAY).isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "mode": "digital",
        "secretary": meeting.secretary_id,
    }
    response = client.post(reverse("meetings:meeting_create", args=[body.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Meeting.objects.filter(title="Digitalt utan länk", video_link="").exists()


# --- justering on paper -------------------------------------------------------------------------


def record(meeting, *, actor=None, date=None, signers=None):
    return services.minutes_record_paper_justering(
        actor=actor or secretary_of(meeting),
        meeting=meeting,
        date=date or meeting.date,
        signers=services.signatories(meeting) if signers is None else signers,
    )


def test_a_secretary_records_a_paper_justering_and_the_minutes_are_justerade_on_that_day(held):
    minutes = record(held, date=held.date + DAY)
    assert minutes.status == Minutes.Status.JUSTERAT and minutes.is_locked
    assert minutes.justerat_on_paper == held.date + DAY == minutes.justerat_on
    approvals = JusteringResponse.objects.filter(minutes=minutes, approved=True)
    assert {r.person_id for r in approvals} == {p.pk for p in services.signatories(held)}
    assert all(r.on_paper for r in approvals)
    reason = f"Justerat på papper {(held.date + DAY).isoformat()}"
    assert Minutes.history.filter(id=minutes.pk).latest("history_id").history_change_reason == reason
    assert {h.history_change_reason for h in JusteringResponse.history.filter(minutes_id=minutes.pk)} == {reason}
    assert [when for _p, _r, when in services.justering_block(held)] == [held.date + DAY] * 2
    with pytest.raises(ValidationError, match="redan justerat"):
        record(held)  # once justerat, never again
    with pytest.raises(ValidationError):
        services.item_minutes_save(actor=secretary_of(held), item=held.items.first(), discussion="<p>Sent</p>")


@pytest.mark.parametrize(
    ("day", "message"),
    [(-1, "kan inte ha justerats före mötet"), (8, "kan inte ha skett i framtiden")],
    ids=["before-the-meeting", "ahead-of-today"],
)
def test_a_paper_justering_is_dated_between_the_meeting_and_today(held, day, message):
    with pytest.raises(ValidationError, match=message):
        record(held, date=held.date + day * DAY)
    assert not Minutes.objects.filter(meeting=held, status=Minutes.Status.JUSTERAT).exists()


def test_a_paper_justering_needs_the_chair_and_every_justerare_and_nobody_else(held):
    with pytest.raises(ValidationError, match="saknas"):
        record(held, signers=[held.chair])
    with pytest.raises(ValidationError, match="är inte det"):
        record(held, signers=[*services.signatories(held), make_justerare(held.body)])
    assert not JusteringResponse.objects.filter(minutes__meeting=held).exists()


def test_who_records_a_paper_justering_is_not_one_of_those_who_justerade(held):
    """Separation of duties: the chair also holds a secretary seat in the body; she may not record her own
    justering (another secretary must)."""
    make_membership(body=held.body, person=held.chair, role=Membership.Role.SECRETARY)
    with pytest.raises(ValidationError, match="din egen justering"):
        record(held, actor=fresh(held.chair.user))
    assert record(held).is_justerat  # the meeting's own secretary may


def test_a_paper_justering_is_refused_before_the_meeting_is_held():
    meeting = make_meeting(date=today() + 7 * DAY)
    add_item(meeting)
    assert rules.paper_justering_check(secretary_of(meeting), meeting) == [str(rules.PAPER_MEETING_AHEAD)]
    with pytest.raises(ValidationError, match="inte hållits"):
        record(meeting, date=today())


def test_a_paper_justering_replaces_approvals_given_in_the_portal(held):
    make_minutes_in_state(held, Minutes.Status.IN_JUSTERING)
    adjuster = held.adjusters.first()
    services.minutes_respond(actor=adjuster.user, meeting=held, approve=True)
    record(held)
    approvals = JusteringResponse.objects.filter(minutes__meeting=held, approved=True)
    assert approvals.count() == 2 and all(r.on_paper for r in approvals)


def test_only_who_manages_the_meeting_records_a_paper_justering(held):
    member = make_membership(body=held.body, person=make_person()).person
    with pytest.raises(PermissionDenied):
        record(held, actor=fresh(member.user))
    with pytest.raises(PermissionDenied):
        record(held, actor=held.chair.user)


def test_the_paper_justering_page_records_it_and_the_meeting_page_marks_it(client, held):
    client.force_login(secretary_of(held))
    url = reverse("meetings:paper_justering", args=[held.pk])
    page = client.get(url).content.decode()
    assert "Registrera justeringen på papper" in page and str(held.chair) in page
    refused = client.post(url, {"date": (held.date - DAY).isoformat(), "signers": [held.chair_id]})
    assert refused.status_code == 200 and "före mötet" in refused.content.decode()
    signers = [p.pk for p in services.signatories(held)]
    response = client.post(url, {"date": held.date.isoformat(), "signers": signers}, follow=True)
    assert f"Justeringen på papper {held.date.isoformat()} är registrerad" in response.content.decode()
    page = client.get(held.get_absolute_url()).content.decode()
    assert f"Justerat på papper {held.date.isoformat()}" in page
    assert f"justerade på papper {held.date.isoformat()}" in page


def test_the_published_pdf_says_the_minutes_were_justerade_on_paper(held):
    record(held)
    minutes = services.minutes_publish(actor=secretary_of(held), meeting=held)
    text = pdf_text(minutes.pdf.path)
    assert f"Justerat på papper {held.date.isoformat()} {held.chair}" in text
    assert f"Ordförande, justerat på papper {held.date.isoformat()}" in text


# --- the justerare on the meeting page, the attendance at justering, the form for who may justera ----


@pytest.fixture
def sent():
    body = make_body()
    member = make_membership(body=body, person=make_person(title="Enhetschef, Borås stad")).person
    meeting = make_meeting(body)
    services.attendance_fill(actor=secretary_of(meeting), meeting=meeting)
    make_minutes_in_state(meeting, Minutes.Status.IN_JUSTERING)
    return meeting, member


def test_the_meeting_page_names_the_justerare(client, sent):
    meeting, _member = sent
    client.force_login(secretary_of(meeting))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"<dt>Justerare</dt><dd>{meeting.adjusters.get()}</dd>" in page


def test_the_justering_page_shows_the_attendance_with_titles(client, sent):
    meeting, member = sent
    client.force_login(meeting.chair.user)
    page = client.get(reverse("meetings:justering", args=[meeting.pk])).content.decode()
    assert f"{member}, Enhetschef, Borås stad (Ledamot): närvarande" in page


def test_the_approve_button_is_offered_only_to_who_may_approve_now(client, sent):
    meeting, _member = sent
    adjuster = meeting.adjusters.get()
    services.minutes_respond(actor=adjuster.user, meeting=meeting, approve=True)
    url = reverse("meetings:justering", args=[meeting.pk])
    client.force_login(adjuster.user)
    page = client.get(url).content.decode()
    assert "Godkänn anteckningarna" not in page and str(rules.ALREADY_APPROVED) in page
    assert "Skicka kommentar" in page  # a comment may still be sent
    client.force_login(meeting.chair.user)
    assert "Godkänn anteckningarna" in client.get(url).content.decode()


def test_the_administrator_pressing_godkann_is_refused_in_swedish_and_nothing_is_written(client, sent, admin_user):
    meeting, _member = sent
    url = reverse("meetings:justering", args=[meeting.pk])
    client.force_login(admin_user)
    assert client.get(url).status_code == 403  # the page offers no form to someone who may not justera
    before = JusteringResponse.objects.count()
    assert client.post(url, {"approve": "1", "comment": ""}).status_code == 403
    assert client.post(url, {"comment_only": "1", "comment": "Hej"}).status_code == 403
    assert JusteringResponse.objects.count() == before
    with pytest.raises(PermissionDenied, match="Du har inte behörighet"):
        services.minutes_respond(actor=admin_user, meeting=meeting, approve=True)
    assert rules.approve_check(admin_user, meeting) == [str(permissions.NOT_ALLOWED)]


@pytest.mark.parametrize("missing", ["chair", "items", "independent"])
def test_a_paper_justering_needs_a_chair_items_and_signatories_who_did_not_write_the_minutes(missing):
    body = make_body()
    meeting = make_meeting(body, date=today() - DAY, chair=None if missing == "chair" else make_justerare(body))
    if missing != "items":
        add_item(meeting)
    if missing == "independent":  # the chair also holds the pen: she wrote an item
        make_membership(body=body, person=meeting.chair, role=Membership.Role.SECRETARY)
        add_item_as = fresh(meeting.chair.user)
        services.agenda_item_save(actor=add_item_as, item=AgendaItem(meeting=meeting, title="Ordförandens punkt"))
    message = {"chair": rules.NEEDS_CHAIR, "items": rules.NO_ITEMS, "independent": rules.NEEDS_INDEPENDENT_SIGNATORY}
    assert rules.paper_justering_check(secretary_of(meeting), meeting) == [str(message[missing])]
    with pytest.raises(ValidationError):
        record(meeting, signers=services.signatories(meeting))
    assert not Minutes.objects.filter(meeting=meeting, status=Minutes.Status.JUSTERAT).exists()


def test_a_paper_justering_needs_its_date(held):
    with pytest.raises(ValidationError, match="Ange dagen"):
        services.minutes_record_paper_justering(
            actor=secretary_of(held), meeting=held, date=None, signers=services.signatories(held)
        )


def test_a_co_secretary_finds_the_minutes_she_keeps_on_her_start_page(client, co_kept):
    first, second, colleague = co_kept
    for held in (first, second):
        held.date = today() - DAY
        held.save()
    client.force_login(fresh(colleague.user))
    page = client.get("/").content.decode()
    tasks = page.split("Protokoll att slutföra", 1)[1].split("</ul>", 1)[0]
    assert f'href="{first.get_absolute_url()}"' in tasks
    assert f'href="{second.get_absolute_url()}"' not in tasks  # not hers to keep
