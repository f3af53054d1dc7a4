"""Dates against each other (meetings.rules): agenda items within the meeting's hours and kept in time order with a
duration, actions not due before their meeting, minutes sent for justering and justerade only once the meeting has
been held, and a meeting date far from today asked about ("Datumet stämmer") instead of saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings import agenda, rules, services
from meetings.forms import MeetingForm
from meetings.models import Action, AgendaItem, Meeting, Minutes

from .factories import DAY, add_item, make_meeting, make_minutes_in_state, secretary_of, signatories, today

pytestmark = pytest.mark.django_db
T = datetime.time


def titles(meeting) -> list[str]:
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def refused(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"": error.value.messages}


# --- agenda items within the meeting's hours ----------------------------------------------------


@pytest.mark.parametrize("time", [T(8, 59), T(12), T(13, 30)])
def test_an_agenda_item_outside_the_meetings_hours_is_refused_on_its_time(time):
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    errors = refused(lambda: add_item(meeting, "Utanför", start_time=time))
    assert errors == {
        "start_time": ["Punktens tid måste ligga inom mötets tider, 09:00–12:00. Ändra tiden eller mötets tider."]
    }
    assert not meeting.items.filter(title="Utanför").exists()


@pytest.mark.parametrize("time", [T(9), T(11, 59)])
def test_an_agenda_item_from_the_start_to_just_before_the_end_is_saved(time):
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    assert add_item(meeting, "Inom", start_time=time).pk


def test_an_edited_item_moved_outside_the_hours_is_refused_and_keeps_its_time():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    item = add_item(meeting, "Punkt", start_time=T(10))
    item.start_time = T(12, 30)
    assert "start_time" in refused(lambda: services.agenda_item_save(actor=secretary_of(meeting), item=item))
    assert AgendaItem.objects.get(pk=item.pk).start_time == T(10)


@pytest.mark.parametrize(("hours", "field"), [((T(10, 30), T(12)), "start_time"), ((T(9), T(10)), "end_time")])
def test_new_meeting_hours_that_leave_an_item_outside_are_refused(hours, field):
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Klockan tio", start_time=T(10))
    meeting.start_time, meeting.end_time = hours
    errors = refused(lambda: services.meeting_update(actor=secretary_of(meeting), meeting=meeting))
    assert errors[field] == [
        "Punkt 1 börjar 10:00, utanför mötets nya tider. Ändra punktens tid först, eller välj andra tider."
    ]
    assert (Meeting.objects.get(pk=meeting.pk).start_time, Meeting.objects.get(pk=meeting.pk).end_time) == (T(9), T(12))


def test_new_meeting_hours_that_still_hold_every_item_are_saved():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Klockan tio", start_time=T(10))
    meeting.start_time, meeting.end_time = T(10), T(10, 1)
    services.meeting_update(actor=secretary_of(meeting), meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).end_time == T(10, 1)


# --- the agenda in time order, with durations ---------------------------------------------------


def test_a_new_timed_item_takes_its_place_by_time_and_untimed_items_keep_theirs():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Inledning")  # no time: stays first
    add_item(meeting, "Tio", start_time=T(10))
    add_item(meeting, "Övrigt")  # no time: stays where it was put
    add_item(meeting, "Kvart över nio", start_time=T(9, 15))
    add_item(meeting, "Elva", start_time=T(11))
    assert titles(meeting) == ["Inledning", "Kvart över nio", "Övrigt", "Tio", "Elva"]
    assert list(meeting.items.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_an_item_whose_time_changes_moves_to_its_new_place():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    early = add_item(meeting, "Först", start_time=T(9, 15))
    add_item(meeting, "Sedan", start_time=T(10))
    early.start_time = T(11)
    services.agenda_item_save(actor=secretary_of(meeting), item=early)
    assert titles(meeting) == ["Sedan", "Först"]
    assert AgendaItem.objects.get(pk=early.pk).position == early.position == 2


def test_moving_a_timed_item_past_another_with_a_different_time_is_refused():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Nio", start_time=T(9))
    ten = add_item(meeting, "Tio", start_time=T(10))
    errors = refused(lambda: services.agenda_item_move(actor=secretary_of(meeting), item=ten, direction=-1))
    assert errors == {"": [str(rules.OUT_OF_TIME_ORDER)]}
    assert titles(meeting) == ["Nio", "Tio"]


def test_an_item_without_a_time_can_still_be_moved_past_a_timed_one():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Tio", start_time=T(10))
    other = add_item(meeting, "Övrigt")
    services.agenda_item_move(actor=secretary_of(meeting), item=other, direction=-1)
    assert titles(meeting) == ["Övrigt", "Tio"]


def test_each_timed_item_lasts_until_the_next_timed_item_and_the_last_until_the_meeting_ends():
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    for title, time in (("Start", T(9)), ("Ingen tid", None), ("Paus", T(10, 15)), ("Sista", T(10, 30))):
        add_item(meeting, title, start_time=time)
    items = agenda.with_durations(meeting.items.order_by("position"), meeting)
    assert [(it.title, it.ends_at, it.duration) for it in items] == [
        ("Start", T(10, 15), "1 tim 15 min"),
        ("Ingen tid", None, ""),
        ("Paus", T(10, 30), "15 min"),
        ("Sista", T(12), "1 tim 30 min"),
    ]


def test_the_meeting_page_shows_each_items_hours_and_duration(client):
    meeting = make_meeting(start_time=T(9), end_time=T(12))
    add_item(meeting, "Lägesrapport", start_time=T(9, 15))
    add_item(meeting, "Förvaltningsplanen", start_time=T(10))
    client.force_login(secretary_of(meeting))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Kl. 09:15–10:00 (45 min)." in page and "Kl. 10:00–12:00 (2 tim)." in page


# --- actions not due before their meeting -------------------------------------------------------


def test_an_action_due_before_its_meeting_is_refused_on_its_due_date():
    meeting = make_meeting(date=today())
    item = add_item(meeting)
    errors = refused(
        lambda: services.action_add(
            actor=secretary_of(meeting), item=item, text="Gör", owner="GITS", due_date=today() - DAY
        )
    )
    assert errors == {"due_date": [str(rules.DUE_BEFORE_MEETING % {"date": today().isoformat()})]}
    assert not Action.objects.filter(item=item).exists()


def test_an_action_due_on_the_meeting_day_is_saved_and_cannot_be_changed_to_the_day_before():
    meeting = make_meeting(date=today())
    item = add_item(meeting)
    action = services.action_add(actor=secretary_of(meeting), item=item, text="Gör", owner="GITS", due_date=today())
    errors = refused(
        lambda: services.action_update(
            actor=secretary_of(meeting), action=action, text="Gör", owner="GITS", due_date=today() - DAY
        )
    )
    assert list(errors) == ["due_date"]
    assert Action.objects.get(pk=action.pk).due_date == today()


def test_a_meeting_cannot_be_moved_past_its_actions_due_dates():
    meeting = make_meeting(date=today())
    item = add_item(meeting)
    services.action_add(actor=secretary_of(meeting), item=item, text="Ring", owner="GITS", due_date=today() + DAY)
    meeting.date = today() + 2 * DAY
    errors = refused(lambda: services.meeting_update(actor=secretary_of(meeting), meeting=meeting))
    assert errors["date"] == [
        f"Åtgärden ”Ring” ska vara klar {(today() + DAY).isoformat()}, före det nya mötesdatumet. "
        "Ändra åtgärdens datum först."
    ]
    assert Meeting.objects.get(pk=meeting.pk).date == today()


# --- justering only once the meeting has been held ----------------------------------------------


def test_minutes_of_a_meeting_not_yet_held_cannot_be_sent_for_justering():
    meeting = make_meeting(date=today() + DAY)
    add_item(meeting)
    message = str(rules.NOT_HELD_YET % {"date": (today() + DAY).isoformat()})
    assert rules.send_for_justering_check(secretary_of(meeting), meeting) == [message]
    assert refused(lambda: services.minutes_send_for_justering(actor=secretary_of(meeting), meeting=meeting)) == {
        "": [message]
    }
    assert not Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.DRAFT).exists()


@pytest.mark.parametrize("days_ago", [0, 400])
def test_minutes_go_to_justering_on_the_meeting_day_or_any_day_after(days_ago):
    meeting = make_meeting(date=today() - days_ago * DAY)  # a year ago too: earlier years' minutes entered afterwards
    assert make_minutes_in_state(meeting, Minutes.Status.JUSTERAT).status == Minutes.Status.JUSTERAT


def test_minutes_cannot_be_justerade_before_the_meeting_day():
    meeting = make_meeting(date=today())
    make_minutes_in_state(meeting, Minutes.Status.IN_JUSTERING)
    Meeting.objects.filter(pk=meeting.pk).update(date=today() + DAY)  # e.g. a date typed wrong and fixed in the data
    meeting = Meeting.objects.get(pk=meeting.pk)
    signer = signatories(meeting)[0].user
    message = str(rules.NOT_HELD_YET % {"date": (today() + DAY).isoformat()})
    assert rules.approve_check(signer, meeting) == [message]
    refused(lambda: services.minutes_respond(actor=signer, meeting=meeting, approve=True))
    assert not Minutes.objects.get(meeting=meeting).responses.exists()


def test_the_held_rule_is_about_the_given_day():
    meeting = make_meeting(date=today())
    assert rules.held_check(meeting, on=today()) == []
    assert rules.held_check(meeting, on=today() - DAY) != []


# --- a date far from today is asked about -------------------------------------------------------


def _years(day: datetime.date, n: int) -> datetime.date:
    return rules._years_from(day, n)


@pytest.mark.parametrize(
    ("day", "far"),
    [
        (lambda: _years(today(), -1), False),
        (lambda: _years(today(), -1) - DAY, True),
        (lambda: _years(today(), 2), False),
        (lambda: _years(today(), 2) + DAY, True),
        (lambda: datetime.date(1999, 11, 26), True),
        (lambda: today() - 30 * DAY, False),  # a meeting in the past is normal
    ],
)
def test_a_date_more_than_a_year_back_or_two_years_ahead_is_far(day, far):
    assert rules.date_is_far(day()) is far


def test_leap_day_one_year_on_is_the_28th_of_february():
    assert rules._years_from(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)


def meeting_form_data(meeting=None, **changes) -> dict:
    data = {
        "title": "Möte",
        "date": today().isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "mode": "digital",
        "video_link": "https://video.example.se/m",
    }
    if meeting is not None:
        data |= {"date": meeting.date.isoformat(), "secretary": meeting.secretary_id, "chair": meeting.chair_id}
        data |= {"adjusters": [p.pk for p in meeting.adjusters.all()]}
    return data | changes


def test_a_far_meeting_date_asks_for_confirmation_and_keeps_what_was_typed(client):
    meeting = make_meeting()
    client.force_login(secretary_of(meeting))
    url = f"/moten/{meeting.pk}/andra/"
    response = client.post(url, meeting_form_data(meeting, date="1999-11-26", title="Skrivfel"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date"] == [str(rules.DATE_FAR % {"date": "1999-11-26"})]
    page = response.content.decode()
    assert 'type="checkbox" name="confirm_date"' in page and "Datumet stämmer" in page
    assert 'value="1999-11-26"' in page and 'value="Skrivfel"' in page
    assert Meeting.objects.get(pk=meeting.pk).date == meeting.date
    confirmed = client.post(url, meeting_form_data(meeting, date="1999-11-26", confirm_date="on"))
    assert confirmed.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).date == datetime.date(1999, 11, 26)


def test_a_near_date_does_not_ask_and_the_question_is_hidden():
    form = MeetingForm(meeting_form_data(date=(today() - 100 * DAY).isoformat()))
    assert form.is_valid(), form.errors
    assert form.fields["confirm_date"].widget.is_hidden


def test_a_far_date_already_saved_is_not_asked_about_again():
    meeting = make_meeting(date=datetime.date(2023, 11, 28))
    form = MeetingForm(meeting_form_data(meeting, title="Ny rubrik"), instance=meeting, body=meeting.body)
    assert form.is_valid(), form.errors


def test_a_new_meeting_far_ahead_asks_too():
    form = MeetingForm(meeting_form_data(date=_years(today(), 3).isoformat()))
    assert not form.is_valid() and list(form.errors) == ["date"]
    assert not form.fields["confirm_date"].widget.is_hidden


def test_the_meeting_form_is_shown_with_the_confirmation_right_after_the_date(client):
    meeting = make_meeting()
    client.force_login(secretary_of(meeting))
    page = client.post(f"/moten/{meeting.pk}/andra/", meeting_form_data(meeting, date="2062-01-01")).content.decode()
    assert page.index('name="date"') < page.index('name="confirm_date"') < page.index('name="start_time"')
