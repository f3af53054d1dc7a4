"""Coming changes of seats: after "Ersätt" the body page shows the old term's end and the incoming member, and offers
no second "Ersätt"; the subregion administrator's start page lists her seats, vacancies and terms ending within 90
days with the action for each; the replace form offers only the seat's organisations, in Swedish order."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from governance import rules, services
from governance.models import Membership, Person, Vacancy
from tests.factories import DAY, superuser, today

pytestmark = pytest.mark.django_db

BODY_URL = "/organ/referensgrupp-shvo/"


def _maria():
    return Membership.objects.current().get(body__slug="referensgrupp-shvo", person__last_name="Ek")


def _replace(membership, *, first="Linnea", last="Hjort", start=None, actor=None):
    return services.membership_replace(
        actor=actor or superuser(),
        membership=membership,
        person=Person(first_name=first, last_name=last),
        start_date=start or today() + 200 * DAY,
        reason="Byte enligt delregionalt beslut",
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_after_ersatt_the_body_page_shows_the_end_of_the_old_term_and_the_incoming_member(client, admin_fyrbodal):
    maria = _maria()
    start = today() + 200 * DAY
    _replace(maria, start=start)
    client.force_login(admin_fyrbodal)
    page = _text(client.get(BODY_URL).content.decode())
    assert "Kommande förändringar" in page
    assert f"från {start.isoformat()}: Linnea Hjort ersätter Maria Ek som ledamot för Fyrbodal" in page
    end = (start - DAY).isoformat()
    assert f"Maria Ek Ledamot Uddevalla Uddevalla {maria.start_date.isoformat()} {end} ersätts av Linnea Hjort" in page


def test_a_replaced_seat_is_not_offered_ersatt_again_but_may_still_be_ended(client, admin_fyrbodal):
    maria = _maria()
    client.force_login(admin_fyrbodal)
    replace_link = f'href="/uppdrag/{maria.pk}/ersatt/"'
    assert replace_link in client.get(BODY_URL).content.decode()
    _replace(maria)
    page = client.get(BODY_URL).content.decode()
    assert replace_link not in page
    assert f'href="/uppdrag/{maria.pk}/avsluta/"' in page
    # Opening the form anyway says who already takes over, and offers no form.
    form_page = client.get(f"/uppdrag/{maria.pk}/ersatt/").content.decode()
    assert "Linnea Hjort ersätter redan Maria Ek" in form_page and 'name="start_date"' not in form_page


def test_replacing_a_seat_whose_successor_is_appointed_is_refused_by_the_service(admin_fyrbodal):
    maria = _maria()
    _replace(maria, actor=admin_fyrbodal)
    maria.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _replace(maria, first="Andra", last="Försöket", start=today() + 10 * DAY, actor=admin_fyrbodal)
    assert "ersätter redan Maria Ek" in " ".join(refused.value.messages)
    assert not Person.objects.filter(last_name="Försöket").exists()  # the new person is not registered either


def test_the_replace_rule_names_the_successor_and_the_seat_rule_is_kept(admin_fyrbodal, rep_skaraborg):
    maria = _maria()
    assert rules.replace_check(admin_fyrbodal, maria) == []
    assert rules.replace_check(rep_skaraborg, maria) == rules.seat_check(rep_skaraborg, maria) != []
    start = today() + 40 * DAY
    _replace(maria, start=start)
    fresh = Membership.objects.get(pk=maria.pk)
    assert rules.replace_check(admin_fyrbodal, fresh) == [
        f"Linnea Hjort ersätter redan Maria Ek från {start.isoformat()}. Ändra eller avsluta det kommande uppdraget "
        "i stället för att ersätta en gång till."
    ]


def test_a_term_ending_soon_without_successor_is_listed_with_its_action(client, admin_fyrbodal):
    maria = _maria()
    end = today() + 30 * DAY
    services.membership_end(actor=superuser(), membership=maria, end_date=end, reason="Avgår")
    client.force_login(admin_fyrbodal)
    page = client.get(BODY_URL).content.decode()
    assert f"till och med {end.isoformat()}: Maria Ek som ledamot för Fyrbodal, ingen efterträdare utsedd" in page
    assert f'href="/uppdrag/{maria.pk}/ersatt/"' in page


def test_a_term_ending_beyond_ninety_days_is_not_a_coming_change(client):
    maria = _maria()
    services.membership_end(actor=superuser(), membership=maria, end_date=today() + 91 * DAY, reason="Avgår")
    assert "Kommande förändringar" not in client.get(BODY_URL).content.decode()
    services.membership_end(actor=superuser(), membership=maria, end_date=today() + 90 * DAY, reason="Avgår")
    assert "Kommande förändringar" in client.get(BODY_URL).content.decode()


def test_the_body_page_query_count_does_not_grow_with_coming_changes(client, admin_fyrbodal, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_fyrbodal)
    _replace(_maria())
    with CaptureQueriesContext(connection) as before:
        client.get(BODY_URL)
    for m in Membership.objects.current().filter(body__slug="referensgrupp-shvo", subregion__isnull=False):
        if not m.replaced_by.exists():
            _replace(m, first="Ny", last=f"Efterträdare {m.pk}", start=today() + 20 * DAY)
    with django_assert_num_queries(len(before)):
        assert client.get(BODY_URL).status_code == 200


# --- the subregion administrator's start page --------------------------------------------------


def _panel(client) -> str:
    html = client.get("/").content.decode()
    start = html.index("Väntar på dig")
    return _text(html[start : html.index("</section>", html.index("Pågående uppdrag", start))])


def test_the_subregion_administrators_start_page_lists_her_seats_vacancies_and_ending_terms(client, admin_fyrbodal):
    maria = _maria()
    end = today() + 60 * DAY
    services.membership_end(actor=superuser(), membership=maria, end_date=end, reason="Avgår")
    vacancy = services.vacancy_register(
        actor=admin_fyrbodal,
        body=maria.body,
        vacancy=Vacancy(subregion=maria.subregion, role=Membership.Role.SUBSTITUTE, since=today()),
    )
    client.force_login(admin_fyrbodal)
    html = client.get("/").content.decode()
    panel = _panel(client)
    assert "Platser för Fyrbodal" in panel
    assert f"Referensgrupp SHVO : ersättare, vakant sedan {today().isoformat()} · Tillsätt" in panel
    fill = f'href="/organ/referensgrupp-shvo/uppdrag/nytt/?subregion={vacancy.subregion_id}&amp;role=substitute"'
    assert fill in html
    assert "Uppdrag som slutar inom 90 dagar" in panel
    assert f"till och med {end.isoformat()}: Maria Ek som ledamot för Fyrbodal, ingen efterträdare utsedd" in panel
    assert f'href="/uppdrag/{maria.pk}/ersatt/"' in html
    assert "Pågående uppdrag" in panel and "Per Åström" in panel


def test_the_start_page_says_who_takes_over_instead_of_offering_ersatt_twice(client, admin_fyrbodal):
    maria = _maria()
    start = today() + 45 * DAY
    _replace(maria, start=start)
    client.force_login(admin_fyrbodal)
    html = client.get("/").content.decode()
    assert f"från {start.isoformat()}: Linnea Hjort ersätter Maria Ek som ledamot för Fyrbodal" in _panel(client)
    assert f'href="/uppdrag/{maria.pk}/ersatt/"' not in html


def test_the_vacancy_link_opens_the_seat_form_for_that_seat(client, admin_fyrbodal, subregion):
    client.force_login(admin_fyrbodal)
    fyrbodal = subregion["Fyrbodal"]
    page = client.get(f"/organ/referensgrupp-shvo/uppdrag/nytt/?subregion={fyrbodal.pk}&role=substitute")
    html = page.content.decode()
    assert re.search(r'<option value="substitute" selected>', html)
    assert re.search(rf'<option value="{fyrbodal.pk}" selected>', html)


def test_someone_who_administers_no_subregion_sees_no_seat_panel(client, rep_fyrbodal):
    client.force_login(rep_fyrbodal)
    assert "Platser för" not in client.get("/").content.decode()


def test_the_start_page_query_count_does_not_grow_with_the_subregions_seats(
    client, admin_fyrbodal, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_fyrbodal)
    maria = _maria()
    services.vacancy_register(  # one of each list first (an empty list costs no query)
        actor=admin_fyrbodal,
        body=maria.body,
        vacancy=Vacancy(subregion=maria.subregion, role=Membership.Role.SUBSTITUTE, since=today()),
    )
    _replace(maria, start=today() + 20 * DAY)
    from core.kept import forget_personal

    client.get("/")
    forget_personal()  # the panels are built afresh both times (core.waiting.rendered keeps them until a write)
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    per = Membership.objects.current().get(body__slug="referensgrupp-shvo", person__last_name="Åström")
    services.membership_end(actor=superuser(), membership=per, end_date=today() + 10 * DAY, reason="Avgår")
    services.vacancy_register(
        actor=admin_fyrbodal,
        body=maria.body,
        vacancy=Vacancy(subregion=maria.subregion, role=Membership.Role.MEMBER, since=today()),
    )
    forget_personal()
    with django_assert_num_queries(len(before)):
        assert client.get("/").status_code == 200


# --- the replace form ---------------------------------------------------------------------------


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group()
    return [label for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) if value]


def test_the_replace_form_offers_only_the_seats_organisations_in_swedish_order(client, admin_fyrbodal):
    from governance.models import Organisation

    client.force_login(admin_fyrbodal)
    maria = _maria()
    html = client.get(f"/uppdrag/{maria.pk}/ersatt/").content.decode()
    offered = _options(html, "new_organisation")
    fyrbodal = set(Organisation.objects.filter(subregion=maria.subregion).values_list("name", flat=True))
    assert set(offered) == fyrbodal | {"Västra Götalandsregionen"}
    assert "Göteborg" not in offered and len(offered) < 49
    # Swedish order: å before ä before ö, after z ("Vänersborg" before "Västra Götalandsregionen" before "Åmål").
    assert offered.index("Vänersborg") < offered.index("Västra Götalandsregionen") < offered.index("Åmål")
    assert offered == sorted(offered, key=lambda n: n.casefold().translate(str.maketrans("åäö", "{|}")))


def test_organisations_are_listed_the_swedish_way_vargarda_before_vastra_gotalandsregionen(client, admin_fyrbodal):
    """Södra Älvsborg's seat: "Vårgårda" (å) comes before "Västra Götalandsregionen" (ä), as in Swedish."""
    from governance.forms import organisation_choices
    from governance.models import Subregion

    names = [o.name for o in organisation_choices([Subregion.objects.get(short_name="Södra Älvsborg")])]
    assert "Vårgårda" in names and names.index("Vårgårda") < names.index("Västra Götalandsregionen")
    everyone = [o.name for o in organisation_choices()]
    assert everyone.index("Vårgårda") < everyone.index("Västra Götalandsregionen")


def test_the_replace_form_has_a_title_breadcrumbs_and_asks_the_new_persons_title(client, admin_fyrbodal):
    client.force_login(admin_fyrbodal)
    maria = _maria()
    html = client.get(f"/uppdrag/{maria.pk}/ersatt/").content.decode()
    assert "<h1>Ersätt Maria Ek i Referensgrupp SHVO</h1>" in html
    assert "<title>Ersätt Maria Ek i Referensgrupp SHVO – SHVO-portalen</title>" in html
    crumbs = re.search(r'<nav aria-label="Brödsmulor".*?</nav>', html, re.S).group()
    assert 'href="/organ/referensgrupp-shvo/"' in crumbs and 'aria-current="page">Ersätt Maria Ek' in crumbs
    assert "Maria Ek är ledamot för Fyrbodal sedan" in html
    response = client.post(
        f"/uppdrag/{maria.pk}/ersatt/",
        {
            "new_first_name": "Linnea",
            "new_last_name": "Hjort",
            "new_title": "Processledare TG äldre",
            "start_date": (today() + DAY).isoformat(),
            "reason": "Byte",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(last_name="Hjort").title == "Processledare TG äldre"


def test_the_appoint_form_offers_a_subregion_administrator_only_her_subregions_organisations(client, admin_fyrbodal):
    client.force_login(admin_fyrbodal)
    html = client.get("/organ/referensgrupp-shvo/uppdrag/nytt/").content.decode()
    organisations, parties = _options(html, "new_organisation"), _options(html, "party")
    assert "Uddevalla" in organisations and "Göteborg" not in organisations
    assert parties[0] == "Västra Götalandsregionen" and "Uddevalla" in parties and "Borås" not in parties


def test_a_coordinator_still_chooses_among_all_organisations(client, coordinator):
    client.force_login(coordinator)
    html = client.get("/organ/referensgrupp-shvo/uppdrag/nytt/").content.decode()
    organisations = _options(html, "new_organisation")
    assert {"Göteborg", "Uddevalla", "Borås", "Västra Götalandsregionen"} <= set(organisations)


def test_term_changes_are_said_once_soonest_first():
    body_terms = list(
        Membership.objects.filter(body__slug="referensgrupp-shvo")
        .changing(today())
        .select_related("person", "subregion", "replaces__person")
    )
    assert services.term_changes(body_terms, on=today()) == []
    maria = _maria()
    _replace(maria, start=today() + 50 * DAY)
    per = Membership.objects.current().get(body__slug="referensgrupp-shvo", person__last_name="Åström")
    services.membership_end(actor=superuser(), membership=per, end_date=today() + 5 * DAY, reason="Avgår")
    terms = list(
        Membership.objects.filter(body__slug="referensgrupp-shvo")
        .changing(today())
        .select_related("person", "subregion", "replaces__person")
    )
    changes = services.term_changes(terms, on=today())
    assert [(c.kind, str(c.membership.person)) for c in changes] == [
        ("ends", "Per Åström"),
        ("replaces", "Linnea Hjort"),
    ]  # Maria Ek's end is said by her successor's line, not twice
    assert changes[0].on == today() + 5 * DAY and changes[1].on == today() + 50 * DAY


def test_a_new_seat_starting_later_is_a_coming_change(ref_group, subregion):
    from tests.factories import make_membership

    start = today() + datetime.timedelta(days=10)
    m = make_membership(body=ref_group, role=Membership.Role.SUBSTITUTE, subregion=subregion["Fyrbodal"], start=start)
    terms = list(Membership.objects.filter(body=ref_group).changing(today()).select_related("person", "subregion"))
    (change,) = services.term_changes(terms, on=today())
    assert change.kind == "starts" and change.text == (
        f"från {start.isoformat()}: {m.person} börjar som ersättare för Fyrbodal"
    )


# --- the start page shows the first rows of each list and links to all of them ----------------------------------


def _first_seat_on_the_start_page(client) -> Membership:
    html = client.get("/").content.decode()
    table = html[html.index("Pågående uppdrag") :]
    return Membership.objects.get(pk=int(re.search(r'href="/uppdrag/(\d+)/ersatt/"', table).group(1)))


def test_each_list_on_the_start_page_shows_its_first_rows_and_links_to_all(client, admin_fyrbodal, monkeypatch):
    from governance import waiting

    monkeypatch.setattr(waiting, "SHOWN", 1)
    maria = _maria()
    per = Membership.objects.current().get(body__slug="referensgrupp-shvo", person__last_name="Åström")
    services.membership_end(actor=superuser(), membership=per, end_date=today() + 10 * DAY, reason="Avgår")
    services.membership_end(actor=superuser(), membership=maria, end_date=today() + 20 * DAY, reason="Avgår")
    for role in (Membership.Role.SUBSTITUTE, Membership.Role.MEMBER):
        services.vacancy_register(
            actor=admin_fyrbodal,
            body=maria.body,
            vacancy=Vacancy(subregion=maria.subregion, role=role, since=today()),
        )
    seats = Membership.objects.current().filter(subregion=maria.subregion).count()
    client.force_login(admin_fyrbodal)
    panel = _panel(client)
    assert "Per Åström som ledamot för Fyrbodal, ingen efterträdare utsedd" in panel  # the soonest change
    assert "Maria Ek som ledamot för Fyrbodal" not in panel.split("Pågående uppdrag")[0]
    assert "Alla 2 kommande förändringar för Fyrbodal" in panel
    assert "Alla 2 vakanta platser för Fyrbodal" in panel
    assert f"Alla {seats} pågående uppdrag för Fyrbodal" in panel
    # The link leads to the subregion's page, where every change is listed.
    page = _text(client.get(maria.subregion.get_absolute_url()).content.decode())
    assert "Maria Ek som ledamot för Fyrbodal, ingen efterträdare utsedd" in page
    assert "Per Åström som ledamot för Fyrbodal, ingen efterträdare utsedd" in page


def test_a_seat_shown_says_who_takes_over_even_when_that_change_is_not_among_those_shown(
    client, admin_fyrbodal, monkeypatch
):
    from governance import waiting

    monkeypatch.setattr(waiting, "SHOWN", 1)
    client.force_login(admin_fyrbodal)
    first = _first_seat_on_the_start_page(client)
    _replace(first, start=today() + 80 * DAY)  # its term now ends first: still the seat shown
    services.membership_appoint(  # a sooner change, the one the list shows
        actor=superuser(),
        body=first.body,
        membership=Membership(
            role=Membership.Role.SUBSTITUTE, subregion=first.subregion, start_date=today() + 10 * DAY
        ),
        person=Person(first_name="Ny", last_name="Ersättare"),
    )
    html = client.get("/").content.decode()
    assert "Ny Ersättare börjar" in _text(html) and "Linnea Hjort ersätter" not in _text(html).split("Pågående")[0]
    seats = _text(html[html.index("Pågående uppdrag") :])
    assert f"ersätts av Linnea Hjort från {(today() + 80 * DAY).isoformat()}" in seats
    assert f'href="/uppdrag/{first.pk}/ersatt/"' not in html
