"""Every URL pattern × every role answers as expected. A new route fails this test until it is listed here."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from governance.models import Membership, Person

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reader",
    "fyrbodal",
    "skaraborg",
    "admin-fyrbodal",
    "samordnare",
    "sekreterare",
    "ordforande",
    "beredning",
    "admin",
]
SIGNED_IN = [r for r in ROLES if r != "anonymous"]


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=302):
    return {**dict.fromkeys(SIGNED_IN, status), "anonymous": anonymous}


def only(allowed, status=200, others=403):
    return {**signed_in(others), **dict.fromkeys(allowed, status)}


# url name → (a sample path, expected GET status per role). {fyrbodal_seat} and {skaraborg_seat} are filled in.
EXPECTED = {
    "health": ("/halsa/", everyone(200)),
    "home": ("/", everyone(200)),
    "login": ("/logga-in/", everyone(200)),
    "logout": ("/logga-ut/", signed_in(405)),
    "governance:chart": ("/organ/", everyone(200)),
    "governance:body_detail": ("/organ/referensgrupp-shvo/", everyone(200)),
    "governance:charter_detail": ("/organ/referensgrupp-shvo/uppdragsbeskrivning/1/", everyone(200)),
    "governance:subregion_list": ("/delregioner/", everyone(200)),
    "governance:subregion_detail": ("/delregioner/fyrbodal/", everyone(200)),
    "governance:organisation_list": ("/organisationer/", everyone(200)),
    "governance:organisation_detail": ("/organisationer/uddevalla/", everyone(200)),
    "governance:body_create": ("/organ/nytt/", only(["samordnare", "admin"])),
    "governance:body_edit": ("/organ/referensgrupp-shvo/andra/", only(["samordnare", "admin"])),
    "governance:body_status": ("/organ/referensgrupp-shvo/status/", only(["samordnare", "admin"])),
    "governance:charter_create": ("/organ/referensgrupp-shvo/uppdragsbeskrivning/ny/", only(["samordnare", "admin"])),
    "governance:body_history": ("/organ/referensgrupp-shvo/historik/", signed_in(200)),
    "governance:membership_create": (
        "/organ/referensgrupp-shvo/uppdrag/nytt/",
        only(["samordnare", "admin", "admin-fyrbodal"]),
    ),
    "governance:vacancy_create": (
        "/organ/referensgrupp-shvo/vakans/ny/",
        only(["samordnare", "admin", "admin-fyrbodal"]),
    ),
    "governance:membership_edit": ("/uppdrag/{fyrbodal_seat}/andra/", only(["admin", "admin-fyrbodal"])),
    "governance:membership_end": ("/uppdrag/{fyrbodal_seat}/avsluta/", only(["admin", "admin-fyrbodal"])),
    "governance:membership_replace": ("/uppdrag/{fyrbodal_seat}/ersatt/", only(["admin", "admin-fyrbodal"])),
    "governance:person_detail": ("/personer/{person}/", signed_in(200)),
    "governance:person_history": ("/personer/{person}/historik/", signed_in(200)),
}
VIEWERS = ["sekreterare", "ordforande", "fyrbodal", "skaraborg", "samordnare", "admin"]  # members of the body
OUTSIDERS = ["reader", "admin-fyrbodal", "beredning"]


def meeting_rights(allowed, *, viewers_get=403, outsiders_get=404, anonymous=302):
    """Management pages of a body's meeting: members who may not manage get 403, outsiders 404 (no leak)."""
    return {
        **dict.fromkeys(VIEWERS, viewers_get),
        **dict.fromkeys(OUTSIDERS, outsiders_get),
        **dict.fromkeys(allowed, 200),
        "anonymous": anonymous,
    }


MANAGE = meeting_rights(["sekreterare", "admin"])
VIEW = meeting_rights(VIEWERS)
POST_ONLY = signed_in(405)

EXPECTED.update(
    {
        "meetings:body_meetings": ("/organ/referensgrupp-shvo/moten/", VIEW),
        "meetings:meeting_create": ("/organ/referensgrupp-shvo/moten/nytt/", only(["sekreterare", "admin"])),
        "meetings:meeting_detail": ("/moten/{planned}/", {**VIEW, "anonymous": 404}),
        "meetings:meeting_edit": ("/moten/{planned}/andra/", MANAGE),
        "meetings:item_create": ("/moten/{planned}/punkter/ny/", MANAGE),
        "meetings:attendance": ("/moten/{planned}/narvaro/", MANAGE),
        "meetings:correction_create": ("/moten/{planned}/rattelse/ny/", MANAGE),
        "meetings:item_edit": ("/punkter/{planned_item}/andra/", MANAGE),
        "meetings:item_delete": ("/punkter/{planned_item}/ta-bort/", MANAGE),
        "meetings:item_minutes": ("/punkter/{planned_item}/anteckningar/", MANAGE),
        "meetings:position_delete": ("/stallningstaganden/{position}/ta-bort/", MANAGE),
        "meetings:justering": ("/moten/{planned}/justering/", meeting_rights(["ordforande", "fyrbodal", "admin"])),
        "meetings:summary": ("/moten/{planned}/sammanfattning/", {**VIEW, "anonymous": 404}),
        "meetings:agenda_publish": ("/moten/{planned}/dagordning/publicera/", POST_ONLY),
        "meetings:send_for_justering": ("/moten/{planned}/justering/skicka/", POST_ONLY),
        "meetings:withdraw": ("/moten/{planned}/justering/aterta/", POST_ONLY),
        "meetings:item_move": ("/punkter/{planned_item}/flytta/", POST_ONLY),
        "meetings:action_status": ("/atgarder/1/status/", POST_ONLY),
        "meetings:correction_approve": ("/rattelser/1/godkann/", POST_ONLY),
        "meetings:publish": ("/moten/{planned}/publicera/", POST_ONLY),
        "meetings:published_minutes": ("/organ/referensgrupp-shvo/protokoll/", everyone(200)),
        "meetings:minutes_pdf": ("/moten/{published}/protokoll.pdf", everyone(200)),
        "meetings:agenda_pdf": (
            "/moten/{planned}/dagordning.pdf",
            meeting_rights(["sekreterare", "admin"], viewers_get=404),
        ),
        "meetings:meeting_ics": ("/moten/{planned}/mote.ics", VIEW),
        "meetings:calendar_feed": ("/kalender/{token}.ics", everyone(200)),
        "meetings:my_calendar": ("/kalender/", signed_in(200)),
    }
)
# The Django admin is one area: only administrators get in (others are sent to its login page).
ADMIN_INDEX = ("/admin/", {**signed_in(302), "admin": 200})


def walk(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from walk(p, ns)
        elif isinstance(p, URLPattern) and p.name and p.name not in ("django.views.static.serve",):
            yield prefix + p.name


def test_every_route_is_listed_in_the_matrix():
    routes = set(walk())
    assert routes - set(EXPECTED) == set(), "Lägg till de nya vägarna i EXPECTED med förväntat svar per roll"
    assert set(EXPECTED) - routes == set(), "EXPECTED nämner vägar som inte finns"


def _client_for(client, role):
    if role == "reader":
        user = get_user_model().objects.create_user("lasare")
        client.force_login(user)
    elif role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _fill(path):
    import datetime

    from django.contrib.auth import get_user_model

    from meetings.calendar import feed_token
    from meetings.models import Meeting, Position

    seat = Membership.objects.get(body__slug="referensgrupp-shvo", person__last_name="Ek")
    planned = Meeting.objects.get(body__slug="referensgrupp-shvo", date=datetime.date(2026, 12, 10))
    published = Meeting.objects.get(body__slug="referensgrupp-shvo", date=datetime.date(2026, 3, 5))
    return path.format(
        fyrbodal_seat=seat.pk,
        person=Person.objects.get(last_name="Ek").pk,
        planned=planned.pk,
        planned_item=planned.items.first().pk,
        published=published.pk,
        position=Position.objects.filter(item__meeting=published).first().pk,
        token=feed_token(get_user_model().objects.get(username="fyrbodal")),
    )


CASES = [(name, role) for name in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_route_answers_each_role_as_expected(client, name, role):
    path, expected = EXPECTED[name]
    response = _client_for(client, role).get(_fill(path))
    assert response.status_code == expected[role], f"{role} GET {path}"
    if response.status_code == 302 and role == "anonymous" and expected[role] == 302:
        assert response["Location"].startswith("/logga-in/")


@pytest.mark.parametrize("role", ROLES)
def test_admin_area_is_for_administrators_only(client, role):
    path, expected = ADMIN_INDEX
    assert _client_for(client, role).get(path).status_code == expected[role]
