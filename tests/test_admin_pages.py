"""The admin: its fieldsets written in Python (core.templatetags.admin_fieldsets) come out as Django's template writes
them, the permission lists are Django's own choices read as plain values (governance.admin), and the pages ask a
fixed number of queries whatever the data."""

import re

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings

from core import audit
from governance.admin import permission_choices
from governance.models import Organisation, PopulationFigure

pytestmark = pytest.mark.django_db

RANDOM = re.compile(r'((?:name="csrfmiddlewaretoken" value|nonce)=")[^"]+(")')  # a new token and nonce per request


def _admin():
    return get_user_model().objects.get(username="admin")


def _page(url, data=None):
    client = Client()
    client.force_login(_admin())
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return RANDOM.sub(r"\1…\2", response.content.decode())


def _ids():
    organisation = Organisation.objects.order_by("pk").first()
    return {
        "user": get_user_model().objects.get(username="sekreterare").pk,
        "organisation": organisation.pk,
        "history": organisation.history.order_by("history_id").first().history_id,
        "log": AccessLog.objects.create(ip_address="127.0.0.1", username="x", user_agent="t", path_info="/").pk,
    }


ADMIN_PAGES = [
    "/admin/auth/user/add/",
    "/admin/auth/user/{user}/change/",
    "/admin/auth/group/add/",
    "/admin/governance/organisation/add/",
    "/admin/governance/organisation/{organisation}/change/",
    "/admin/governance/organisation/{organisation}/history/{history}/",
    "/admin/governance/subregion/add/",
    "/admin/axes/accesslog/{log}/change/",
]


def test_admin_fieldsets_render_as_djangos_template():
    """templates/admin/includes/fieldset.html against Django's own template (the same pages without the project's
    templates directory): plain, read-only, checkbox and radio fields, help texts, and a bound form with errors."""
    ids = _ids()
    pages = [(url.format(**ids), None) for url in ADMIN_PAGES]
    pages += [
        (f"/admin/auth/user/{ids['user']}/change/", {"username": "", "date_joined_0": "igår"}),
        ("/admin/auth/user/add/", {"username": "", "usable_password": "true", "password1": "x"}),
        (f"/admin/governance/organisation/{ids['organisation']}/change/", {"name": ""}),
    ]
    djangos = [{**settings.TEMPLATES[0], "DIRS": []}]
    with override_settings(TEMPLATES=djangos):
        django = [_page(*page) for page in pages]
    written = [_page(*page) for page in pages]
    for page, expected, ours in zip(pages, django, written, strict=True):
        assert ours == expected, page


def test_the_permission_lists_are_djangos_choices():
    every = Permission.objects.all()
    assert permission_choices(every) == [(p.pk, str(p)) for p in every.select_related("content_type")]


def test_a_users_permissions_are_chosen_and_saved_through_the_list():
    user = get_user_model().objects.get(username="sekreterare")
    seats = Permission.objects.get(codename="manage_seats")
    user.user_permissions.add(seats)
    client = Client()
    client.force_login(_admin())
    url = f"/admin/auth/user/{user.pk}/change/"
    response = client.get(url)
    page = response.content.decode()
    assert f'<option value="{seats.pk}" selected>{seats}</option>' in page
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "password"}
    data.update(
        {
            "user_permissions": [seats.pk, Permission.objects.get(codename="view_body").pk],
            "date_joined_0": user.date_joined.date().isoformat(),
            "date_joined_1": "09:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "groups": [],
        }
    )
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    assert client.post(url, data).status_code == 302
    assert set(user.user_permissions.values_list("codename", flat=True)) == {"manage_seats", "view_body"}
    assert client.post("/admin/auth/group/add/", {"name": "Läsare", "permissions": [seats.pk]}).status_code == 302
    assert list(Group.objects.get(name="Läsare").permissions.all()) == [seats]


def _grow():
    admin = _admin()
    organisation = Organisation.objects.order_by("pk").first()
    for i in range(5):
        audit.create(Organisation, actor=admin, reason="test", name=f"Förbund {i}", slug=f"forbund-{i}", kind="other")
        PopulationFigure.objects.create(organisation=organisation, year=1990 + i, population=1000 + i)
        AccessLog.objects.create(ip_address="127.0.0.1", username=f"u{i}", user_agent="t", path_info="/")
        organisation.name = f"{organisation.name} {i}"
        audit.save(organisation, actor=admin, reason="test")
        Group.objects.create(name=f"Grupp {i}")


def test_admin_pages_ask_as_many_queries_whatever_the_data(django_assert_num_queries):
    ids = _ids()
    pages = {
        "/admin/auth/user/{user}/change/": 7,
        "/admin/auth/group/add/": 3,
        "/admin/governance/organisation/add/": 3,
        "/admin/governance/organisation/{organisation}/change/": 5,
        "/admin/governance/organisation/": 6,
        "/admin/governance/organisation/{organisation}/history/{history}/": 4,
        "/admin/axes/accesslog/": 8,
    }
    client = Client()
    client.force_login(_admin())
    for grown in (False, True):
        if grown:
            _grow()
        for url, count in pages.items():
            url = url.format(**ids)
            client.get(url)
            with django_assert_num_queries(count, info=url):
                assert client.get(url).status_code == 200


# --- the permission chooser joined in Python gives the markup Django's widget gives ------------------------------


def _elements(html: str) -> list:
    """The elements with their attributes (order-free) and texts: markup compared as a browser reads it."""
    from html.parser import HTMLParser

    found: list = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, sorted(attrs, key=lambda a: a[0])))

        def handle_data(self, data):
            if data.strip():
                found.append(("text", data))

    Reader().feed(html)
    return found


@pytest.mark.parametrize("stacked", [False, True])
def test_the_fast_permission_chooser_renders_what_djangos_renders(stacked):
    from django.contrib.admin.widgets import FilteredSelectMultiple

    from governance.admin import FastFilteredSelectMultiple

    choices = [(1, "Konton | användare | Kan ändra & se"), (2, "Organ <intern>"), (3, "Möten | möte | Kan se")]
    django_widget = FilteredSelectMultiple("behörigheter", stacked, {"id": "id_user_permissions"})
    fast = FastFilteredSelectMultiple("behörigheter", stacked, {"id": "id_user_permissions"})
    django_widget.choices = fast.choices = choices
    for value in ([], [2, 3], ["1"]):
        assert _elements(fast.render("user_permissions", value)) == _elements(
            django_widget.render("user_permissions", value)
        )
