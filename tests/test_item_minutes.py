"""An item's minutes on one page: notes, decisions and actions written together and saved by one submit, all or
nothing (meetings.services.item_minutes_write); decisions and actions changed and removed until justering; a blank
row ignored, a half-filled row an error on its field with everything typed kept; § numbers max+1 per body and year."""

import re

import pytest
from django.core.exceptions import ValidationError

from meetings import rules, services
from meetings.models import Action, AgendaItem, Decision, Minutes

from .action_states import item_minutes_data
from .factories import DAY, add_item, make_meeting, make_minutes_in_state, secretary_of, today

pytestmark = pytest.mark.django_db

NOTES = "<p>Gruppen gick igenom backloggen.</p>"


@pytest.fixture
def item():
    meeting = make_meeting(date=today())
    return add_item(meeting, "Förvaltningsplan", purpose="decision")


@pytest.fixture
def page(client, item):
    client.force_login(secretary_of(item.meeting))
    url = f"/punkter/{item.pk}/anteckningar/"

    def post(data, **kw):
        return client.post(url, data, **kw)

    post.url = url
    post.get = lambda: client.get(url)
    return post


def decision_texts(item) -> list[tuple[int, str]]:
    return list(Decision.objects.filter(item=item).order_by("number").values_list("number", "text"))


def test_notes_a_decision_and_an_action_are_saved_by_one_submit(page, item):
    data = item_minutes_data(
        item,
        discussion=NOTES,
        new_decision={"kind": "decision", "text": "Förslaget ställs bakom."},
        new_action={"text": "Sammanställ synpunkterna", "owner": "GITS", "due_date": (today() + 14 * DAY).isoformat()},
    )
    response = page(data)
    assert response.status_code == 302 and response["Location"] == page.url
    item.refresh_from_db()
    assert item.discussion == NOTES
    assert decision_texts(item) == [(1, "Förslaget ställs bakom.")]
    action = Action.objects.get(item=item)
    assert (action.text, action.owner, action.due_date) == ("Sammanställ synpunkterna", "GITS", today() + 14 * DAY)
    shown = page.get().content.decode()
    assert "Gruppen gick igenom backloggen." in shown and "Förslaget ställs bakom." in shown
    assert "Sammanställ synpunkterna" in shown


def test_blank_extra_rows_are_ignored(page, item):
    assert page(item_minutes_data(item, discussion=NOTES)).status_code == 302
    assert not Decision.objects.filter(item=item).exists() and not Action.objects.filter(item=item).exists()


def test_a_half_filled_row_is_an_error_on_its_field_and_nothing_typed_is_lost_or_saved(page, item):
    data = item_minutes_data(
        item,
        discussion=NOTES,
        new_decision={"kind": "decision", "text": "Bifall."},
        new_action={"text": "Ring Fyrbodal", "due_date": (today() + DAY).isoformat()},  # nobody responsible
    )
    response = page(data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_actions-0-owner"' in html and "Ny åtgärd, Ansvarig: Detta fält måste fyllas i." in html
    assert "Ring Fyrbodal" in html and "Bifall." in html and "Gruppen gick igenom backloggen." in html
    assert "data-unsaved" in html  # the page warns before leaving it unsaved (static/js/unsaved.js)
    item.refresh_from_db()
    assert item.discussion == "" and not Decision.objects.filter(item=item).exists()


def test_a_rows_refusal_by_the_service_lands_on_its_field_and_nothing_at_all_is_saved(page, item):
    data = item_minutes_data(
        item,
        discussion=NOTES,
        new_decision={"kind": "decision", "text": "Bifall."},
        new_action={"text": "Ring", "owner": "GITS", "due_date": (today() - DAY).isoformat()},
    )
    response = page(data)
    assert response.status_code == 200
    form = response.context["actions"].forms[0]
    assert form.errors["due_date"] == [str(rules.DUE_BEFORE_MEETING % {"date": today().isoformat()})]
    assert 'href="#id_actions-0-due_date"' in response.content.decode()
    item.refresh_from_db()
    assert item.discussion == "" and not Decision.objects.filter(item=item).exists()  # all or nothing


def test_decisions_and_actions_are_changed_in_place_and_keep_their_paragraph(page, item):
    secretary = secretary_of(item.meeting)
    first = services.decision_add(actor=secretary, item=item, kind="decision", text="Först")
    second = services.decision_add(actor=secretary, item=item, kind="noted", text="Sedan")
    action = services.action_add(actor=secretary, item=item, text="Gör", owner="GITS")
    data = item_minutes_data(
        item, change={second: {"text": "Sedan, ändrat", "kind": "decision"}, action: {"owner": "Maria Ek"}}
    )
    assert page(data).status_code == 302
    assert decision_texts(item) == [(first.number, "Först"), (second.number, "Sedan, ändrat")]
    assert Decision.objects.get(pk=second.pk).kind == "decision"
    assert Action.objects.get(pk=action.pk).owner == "Maria Ek"
    reasons = set(Decision.history.filter(id=second.pk).values_list("history_change_reason", flat=True))
    assert "Ställningstagande ändrat" in reasons


def test_an_unchanged_page_writes_no_history(page, item):
    secretary = secretary_of(item.meeting)
    services.decision_add(actor=secretary, item=item, kind="decision", text="Först")
    services.item_minutes_save(actor=secretary, item=item, discussion=NOTES)
    item.refresh_from_db()
    before = Decision.history.count() + AgendaItem.history.count()
    assert page(item_minutes_data(item)).status_code == 302
    assert Decision.history.count() + AgendaItem.history.count() == before


def test_decisions_and_actions_are_removed_and_paragraph_numbers_stay_max_plus_one(page, item):
    secretary = secretary_of(item.meeting)
    one, two, three = (services.decision_add(actor=secretary, item=item, kind="decision", text=t) for t in "ABC")
    action = services.action_add(actor=secretary, item=item, text="Gör", owner="GITS")
    data = item_minutes_data(item, remove=[two, action], new_decision={"text": "D"})
    assert page(data).status_code == 302
    assert decision_texts(item) == [(one.number, "A"), (three.number, "C"), (three.number + 1, "D")]
    assert not Action.objects.filter(pk=action.pk).exists()
    # The removed middle number is not given again; a later meeting of the body and year runs on from the top.
    later = add_item(make_meeting(item.meeting.body, secretary=secretary, date=item.meeting.date), "Punkt")
    assert services.decision_add(actor=secretary, item=later, kind="noted", text="E").number == three.number + 2


def test_add_another_saves_and_offers_one_more_blank_row(client, page, item):
    response = page(item_minutes_data(item, new_decision={"text": "Ett"}, button="decisions"))
    assert response.status_code == 302 and response["Location"] == f"{page.url}?beslut=1#beslut-ny"
    assert decision_texts(item) == [(1, "Ett")]
    response = page(item_minutes_data(item, button="decisions"))  # left blank: one blank row more than there was
    assert response["Location"] == f"{page.url}?beslut=2#beslut-ny"
    shown = client.get(f"{page.url}?beslut=2").content.decode()
    assert 'name="decisions-TOTAL_FORMS" value="3"' in shown and 'id="beslut-ny"' in shown


def test_an_escalation_without_a_receiving_body_is_an_error_on_that_row(page, item):
    response = page(item_minutes_data(item, new_decision={"kind": "escalation", "text": "Lyfts"}))
    assert response.status_code == 200
    assert response.context["decisions"].forms[0].errors["escalated_to"] == ["Välj vilket organ frågan lyfts till."]
    assert not Decision.objects.filter(item=item).exists()


@pytest.mark.parametrize("state", [Minutes.Status.IN_JUSTERING, Minutes.Status.JUSTERAT])
def test_after_sending_for_justering_the_page_only_shows_the_minutes_and_a_post_is_refused_keeping_the_text(
    client, state
):
    meeting = make_meeting(date=today())
    item = add_item(meeting, "Punkt")
    secretary = secretary_of(meeting)
    services.decision_add(actor=secretary, item=item, kind="decision", text="Låst beslut")
    make_minutes_in_state(meeting, state)
    client.force_login(secretary)
    url = f"/punkter/{item.pk}/anteckningar/"
    shown = client.get(url).content.decode()
    assert "Låst beslut" in shown and 'name="decisions-TOTAL_FORMS"' not in shown
    message = str(rules.IN_JUSTERING if state == Minutes.Status.IN_JUSTERING else rules.LOCKED)
    assert message in shown
    response = client.post(url, item_minutes_data(item, discussion="<p>Skrivet medan det skickades</p>"))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "Skrivet medan det skickades" in html
    assert AgendaItem.objects.get(pk=item.pk).discussion == ""


def test_the_service_refuses_every_row_after_justering():
    meeting = make_meeting(date=today())
    item = add_item(meeting, "Punkt")
    secretary = secretary_of(meeting)
    decision = services.decision_add(actor=secretary, item=item, kind="decision", text="Beslut")
    action = services.action_add(actor=secretary, item=item, text="Gör", owner="GITS")
    make_minutes_in_state(meeting, Minutes.Status.JUSTERAT)
    for call in (
        lambda: services.decision_update(actor=secretary, decision=decision, kind="noted", text="Ändrat"),
        lambda: services.action_update(actor=secretary, action=action, text="Ändrat", owner="GITS"),
        lambda: services.action_delete(actor=secretary, action=action),
        lambda: services.item_minutes_write(
            actor=secretary, item=item, discussion="", decisions=[services.Row(obj=decision, remove=True)]
        ),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert str(rules.LOCKED) in str(error.value)
    assert Decision.objects.get(pk=decision.pk).text == "Beslut" and Action.objects.get(pk=action.pk).text == "Gör"


def test_the_page_makes_the_same_number_of_queries_for_more_rows(page, item, django_assert_max_num_queries):
    secretary = secretary_of(item.meeting)
    services.decision_add(actor=secretary, item=item, kind="decision", text="Ett")
    services.action_add(actor=secretary, item=item, text="Gör", owner="GITS")
    with django_assert_max_num_queries(40) as few:
        page.get()
    for n in range(5):
        services.decision_add(
            actor=secretary, item=item, kind="escalation", text=f"D{n}", escalated_to=item.meeting.body
        )
        services.action_add(actor=secretary, item=item, text=f"A{n}", owner="GITS")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page.get()


# --- two writers: notes saved by someone else meanwhile are never overwritten unseen ------------------------------


def _opened(page) -> str:
    """The digest of the notes as the page showed them (its hidden field `base`)."""
    return re.search(r'name="base" value="([0-9a-f]+)"', page.get().content.decode()).group(1)


def test_notes_saved_by_someone_else_meanwhile_are_shown_and_nothing_is_written(page, item):
    opened = _opened(page)  # this writer opens the page while the notes are empty
    services.item_minutes_save(actor=secretary_of(item.meeting), item=item, discussion="<p>Kollegans text.</p>")
    data = item_minutes_data(
        item, discussion="<p>Min text.</p>", new_decision={"kind": "decision", "text": "Bifall."}
    ) | {"base": opened}
    response = page(data)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(rules.NOTES_CHANGED) in html
    assert "Kollegans text." in html.split('name="discussion"')[0]  # theirs, shown above the form
    assert "Min text." in html.split('name="discussion"')[1]  # what this writer typed, kept in the box
    item.refresh_from_db()
    assert item.discussion == "<p>Kollegans text.</p>"  # not overwritten
    assert decision_texts(item) == []  # all or nothing: the decision typed with it waits too
    # The page now carries the colleague's version as its base: saving again (after merging) succeeds.
    again = item_minutes_data(item, discussion="<p>Kollegans text.</p><p>Min text.</p>")
    assert again["base"] == re.search(r'name="base" value="([0-9a-f]+)"', html).group(1)
    assert page(again).status_code == 302
    item.refresh_from_db()
    assert item.discussion == "<p>Kollegans text.</p><p>Min text.</p>"


def test_the_service_refuses_notes_written_over_a_version_the_writer_did_not_see(item):
    secretary = secretary_of(item.meeting)
    seen = services.notes_digest(item.discussion)
    services.item_minutes_save(actor=secretary, item=item, discussion="<p>Först.</p>", base=seen)
    with pytest.raises(services.NotesConflict) as refused:
        services.item_minutes_save(actor=secretary, item=item, discussion="<p>Sen.</p>", base=seen)
    assert refused.value.current == "<p>Först.</p>"
    assert AgendaItem.objects.get(pk=item.pk).discussion == "<p>Först.</p>"


def test_adding_a_decision_with_the_notes_untouched_keeps_a_colleagues_newer_notes(page, item):
    opened = _opened(page)  # the notes are empty when this writer opens the page
    services.item_minutes_save(actor=secretary_of(item.meeting), item=item, discussion="<p>Kollegans text.</p>")
    data = item_minutes_data(item, discussion="", new_decision={"kind": "decision", "text": "Bifall."})
    response = page(data | {"base": opened})  # the box as the page showed it: empty
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "<p>Kollegans text.</p>"  # neither refused nor overwritten
    assert decision_texts(item) == [(1, "Bifall.")]


def test_a_post_without_the_notes_it_started_from_is_refused_keeping_the_text(page, item):
    services.item_minutes_save(actor=secretary_of(item.meeting), item=item, discussion="<p>Sparat.</p>")
    data = item_minutes_data(item, discussion="<p>Från en gammal flik.</p>")
    del data["base"]
    response = page(data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sidan saknar uppgift om vilka anteckningar du utgick från" in html
    assert "Från en gammal flik." in html
    item.refresh_from_db()
    assert item.discussion == "<p>Sparat.</p>"
