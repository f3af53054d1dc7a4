"""Long person lists are rendered once per version of the people (core.widgets.FastSelect.options_key): a rename,
a new person or another filter gives a new list; a selected value is marked on the kept list."""

import datetime

import pytest

from core import audit
from governance.forms import MembershipReplaceForm, person_choices, use_person_options
from governance.models import Body, Membership, Person

pytestmark = pytest.mark.django_db


def _rendered(form) -> str:
    return str(form["person"])


def test_a_renamed_person_shows_with_the_new_name_on_the_next_form(admin_user):
    person = Person.objects.order_by("pk").first()
    before = _rendered(MembershipReplaceForm())
    assert f">{person.first_name} {person.last_name}<" in before
    person.first_name = "Omdöpt"
    audit.save(person, actor=admin_user, reason="test")
    after = _rendered(MembershipReplaceForm())
    assert f">Omdöpt {person.last_name}<" in after


def test_a_new_person_appears_on_the_next_form(admin_user):
    _rendered(MembershipReplaceForm())
    audit.create(Person, actor=admin_user, reason="test", first_name="Helt", last_name="Nyperson")
    assert ">Helt Nyperson<" in _rendered(MembershipReplaceForm())


def test_the_chosen_person_is_selected_on_the_kept_list():
    person = Person.objects.order_by("pk").last()
    _rendered(MembershipReplaceForm())  # the list is now kept
    html = _rendered(MembershipReplaceForm(initial={"person": person.pk}))
    assert f'<option value="{person.pk}" selected>' in html
    assert html.count(" selected>") == 1


def test_another_filter_is_another_list():
    from django import forms

    everyone = forms.ModelChoiceField(queryset=person_choices())
    few = forms.ModelChoiceField(queryset=person_choices().filter(last_name__startswith="Å"))
    from core.widgets import FastSelect

    everyone.widget, few.widget = FastSelect(), FastSelect()
    everyone.widget.choices, few.widget.choices = everyone.choices, few.choices
    use_person_options(everyone)
    use_person_options(few)
    assert everyone.widget.options_key != few.widget.options_key
    assert everyone.widget.render("p", None).count("<option") > few.widget.render("p", None).count("<option")


def test_a_kept_list_costs_one_query(django_assert_num_queries):
    _rendered(MembershipReplaceForm())
    with django_assert_num_queries(1):  # the people's version, nothing else (not even for the required attribute)
        _rendered(MembershipReplaceForm())


def test_a_list_filtered_by_seats_changes_when_a_seat_changes(admin_user, secretary):
    """The meeting form offers the body's members: a new member appears although no person changed."""
    from meetings.forms import MeetingForm

    body = Body.objects.get(slug="referensgrupp-shvo")
    outsider = Person.objects.exclude(memberships__body=body).order_by("pk").first()
    assert f'value="{outsider.pk}"' not in str(MeetingForm(body=body)["chair"])
    audit.create(
        Membership,
        actor=admin_user,
        reason="test",
        body=body,
        person=outsider,
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2020, 1, 1),
    )
    assert f'value="{outsider.pk}"' in str(MeetingForm(body=body)["chair"])


def test_the_kept_chart_shows_a_renamed_body_and_a_new_one(client, admin_user):
    body = Body.objects.get(slug="referensgrupp-shvo")
    assert body.name in client.get("/organ/").content.decode()
    body.name = "Referensgruppen med nytt namn"
    audit.save(body, actor=admin_user, reason="test")
    page = client.get("/").content.decode()
    assert "Referensgruppen med nytt namn" in page
    audit.create(Body, actor=admin_user, reason="test", name="Helt nytt organ", slug="helt-nytt-organ")
    assert "Helt nytt organ" in client.get("/organ/").content.decode()


def test_the_kept_chart_costs_one_query_for_a_visitor(client, django_assert_num_queries):
    client.get("/organ/")
    with django_assert_num_queries(1):
        client.get("/organ/")


def test_the_seat_form_does_not_read_every_person_once_the_list_is_kept(client, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    url = "/organ/referensgrupp-shvo/uppdrag/nytt/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "governance_person"' in q["sql"]]
    assert len(reads) == 1 and "COUNT(" in reads[0], reads  # only the people's version


def test_kept_fragments_are_built_once_per_key_and_the_oldest_key_goes_first(monkeypatch):
    from core import kept as store

    monkeypatch.setattr(store, "MAX_KEPT", 2)
    built = []

    def build(name):
        def make():
            built.append(name)
            return name.upper()

        return make

    assert store.kept("a", build("a")) == "A"
    assert store.kept("a", build("a")) == "A"
    assert built == ["a"]
    store.kept("b", build("b"))
    store.kept("c", build("c"))  # the store is full: "a", the oldest, goes
    assert not store.is_kept("a") and store.is_kept("b") and store.is_kept("c")
    assert store.kept("a", build("a")) == "A"
    assert built == ["a", "b", "c", "a"]
