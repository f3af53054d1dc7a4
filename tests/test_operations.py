"""Operations basics: database timeouts, the health checks, the 503 page, replaceable calendar addresses, sign-in
limits per address behind proxies, and the refusal to run production on a weak secret key."""

import contextlib
import datetime
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.management.utils import get_random_secret_key
from django.db import IntegrityError, OperationalError, connection, connections
from django.db.utils import ConnectionHandler
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from meetings.calendar import FEED_SALT, feed_token
from meetings.models import CalendarFeedKey
from shvo import settings as shvo_settings
from shvo.signin import client_ip
from shvo.views import server_error

PASSWORD = "ratt-losenord-123"


@login_not_required
def _raise_operational_error(request):
    raise OperationalError("could not connect to server")


@login_not_required
def _raise_value_error(request):
    raise ValueError("a bug")


@login_not_required
def _raise_integrity_error(request):
    raise IntegrityError("duplicate key value violates unique constraint")


# A URLconf for the handler tests: views that fail, and the project's handler500.
urlpatterns = [
    path("db-fel/", _raise_operational_error),
    path("fel/", _raise_value_error),
    path("samtidigt/", _raise_integrity_error),
]
handler500 = "shvo.views.server_error"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _unreachable_database():
    """The default connection replaced by one to a PostgreSQL port where nothing listens (whatever the test
    database is), for the duration of the block."""
    original = connections["default"]
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "shvo",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": _closed_port(),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )["default"]
    connections["default"] = unreachable
    try:
        yield
    finally:
        connections["default"] = original
        unreachable.close()


@contextlib.contextmanager
def _silent_server():
    """A TCP port that accepts connections (the kernel's backlog) and never answers: a hung database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


def _settings_for(url, **overrides):
    kwargs = {"conn_max_age": 0, "connect_timeout": 5, "statement_timeout_ms": 30000, **overrides}
    return shvo_settings.database_settings(url, **kwargs)


def _connection(db_settings):
    return ConnectionHandler({"default": db_settings})["default"]


# --- database timeouts ------------------------------------------------------------------------------------------


def test_postgres_connections_get_a_connect_timeout_and_a_statement_timeout():
    db = _settings_for(
        "postgres://postgres@db.example.se:5432/shvo?options=-c%20search_path%3Dshvo",
        connect_timeout=7,
        statement_timeout_ms=1500,
    )
    assert db["OPTIONS"]["connect_timeout"] == 7
    assert db["OPTIONS"]["options"] == "-c search_path=shvo -c statement_timeout=1500"  # the URL's own options kept
    assert "options" not in _settings_for("postgres://postgres@db/shvo", statement_timeout_ms=0)["OPTIONS"]
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True  # iterator() (model choice lists) in one round trip


def test_the_project_database_has_timeouts_from_the_environment_defaults():
    options = settings.DATABASES["default"]["OPTIONS"]
    if connection.vendor == "postgresql":
        assert options["connect_timeout"] == 5 and "-c statement_timeout=30000" in options["options"]
    else:
        assert options["timeout"] == 5


def test_a_database_that_accepts_connections_but_never_answers_fails_within_the_connect_timeout(django_db_blocker):
    outcome = {}

    def connect(port):
        conn = _connection(_settings_for(f"postgres://postgres@127.0.0.1:{port}/shvo", connect_timeout=2))
        try:
            conn.ensure_connection()
        except Exception as error:  # noqa: BLE001 – recorded and checked below
            outcome["error"] = error
        finally:
            conn.close()

    with django_db_blocker.unblock(), _silent_server() as port:
        started = time.monotonic()
        worker = threading.Thread(target=connect, args=(port,), daemon=True)
        worker.start()
        worker.join(timeout=10)
        elapsed = time.monotonic() - started
        assert not worker.is_alive(), "the connection attempt hangs: no connect timeout"
    assert isinstance(outcome.get("error"), OperationalError)
    assert elapsed < 8


@pytest.mark.django_db
def test_a_query_that_runs_past_the_statement_timeout_is_cancelled():
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    d = connection.settings_dict
    url = f"postgres://{d['USER']}:{d['PASSWORD']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"
    conn = _connection(_settings_for(url, statement_timeout_ms=300))
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(3)")
        assert time.monotonic() - started < 2
    finally:
        conn.close()


def test_sqlite_waits_for_another_processs_lock_only_as_long_as_the_timeout(tmp_path, django_db_blocker):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x integer)")
    holder.execute("BEGIN EXCLUSIVE")
    conn = _connection(_settings_for(f"sqlite:///{path}", connect_timeout=1))
    try:
        with django_db_blocker.unblock():
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"):
                with conn.cursor() as cursor:
                    cursor.execute("INSERT INTO t VALUES (1)")
            assert time.monotonic() - started < 3  # sqlite3's own default is 5 s
    finally:
        conn.close()
        holder.close()


# --- health checks and the 503 page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/halsa/")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_health_answers_503_with_a_short_body_when_the_database_cannot_be_reached(client):
    with _unreachable_database():
        response = client.get("/halsa/")
    assert response.status_code == 503
    assert response.content.decode() == "databasen svarar inte"
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_the_template_floor_renders_the_base_layout_without_a_query_for_the_public(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/halsa/sida/")
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert b'lang="sv"' in response.content


@pytest.mark.django_db
def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/halsa/process/").content == b"ok"
    with _unreachable_database():
        assert client.get("/halsa/process/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_pages_answer_503_with_a_swedish_page_when_the_database_cannot_be_reached(rep_fyrbodal, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(rep_fyrbodal)  # the session is then read from the database, in the middleware
    with _unreachable_database():
        response = client.get("/kalender/" if signed_in else "/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert '<html lang="sv">' in html and "Portalen är inte tillgänglig just nu" in html and "databas" in html


@override_settings(ROOT_URLCONF=__name__)
def test_database_errors_from_a_view_are_503_and_other_errors_stay_500():
    client = Client(raise_request_exception=False)
    response = client.get("/db-fel/")
    assert response.status_code == 503 and "inte tillgänglig just nu" in response.content.decode()
    response = client.get("/fel/")
    assert response.status_code == 500 and "Något gick fel" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_constraint_caught_by_the_database_is_a_409_in_swedish_not_a_500():
    response = Client(raise_request_exception=False).get("/samtidigt/")
    assert response.status_code == 409
    assert "Någon annan ändrade samma sak samtidigt" in response.content.decode()


def test_the_503_page_is_rendered_without_the_request():
    # The base layout reads the session and the user (the database): the 503 page must not.
    try:
        raise OperationalError("no database")
    except OperationalError:
        response = server_error(request=None)
    assert response.status_code == 503


# --- calendar addresses -----------------------------------------------------------------------------------------


def _feed(client, token):
    return client.get(reverse("meetings:calendar_feed", kwargs={"token": token}))


@pytest.mark.django_db
def test_feed_address_stays_the_same_until_the_user_replaces_it(client, rep_fyrbodal):
    token = feed_token(rep_fyrbodal)
    assert feed_token(rep_fyrbodal) == token
    assert _feed(client, token).status_code == 200


@pytest.mark.django_db
def test_replacing_the_feed_address_asks_once_and_turns_the_old_one_off_at_once(client, rep_fyrbodal):
    old = feed_token(rep_fyrbodal)
    client.force_login(rep_fyrbodal)
    page = client.get(reverse("meetings:my_calendar")).content.decode()
    assert f'action="{reverse("meetings:feed_rotate")}"' in page and "Byt adress" in page

    # The button only asks (a plain form: no JavaScript needed); nothing changes yet.
    response = client.post(reverse("meetings:feed_rotate"))
    assert response.status_code == 200
    assert (
        "Byt kalenderadress?" in response.content.decode() and 'name="confirmed" value="1"' in response.content.decode()
    )
    assert feed_token(rep_fyrbodal) == old and _feed(client, old).status_code == 200

    response = client.post(reverse("meetings:feed_rotate"), {"confirmed": "1"}, follow=True)
    new = feed_token(rep_fyrbodal)
    assert new != old
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    html = response.content.decode()
    assert response.redirect_chain == [(reverse("meetings:my_calendar"), 302)]
    assert f"/kalender/{new}.ics" in html and old not in html
    assert "Den gamla adressen fungerar inte längre" in html


@pytest.mark.django_db
def test_only_the_signed_in_user_can_replace_their_address(client, rep_fyrbodal):
    old = feed_token(rep_fyrbodal)
    response = client.post(reverse("meetings:feed_rotate"), {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")
    assert feed_token(rep_fyrbodal) == old


@pytest.mark.django_db
def test_tokens_of_the_old_kind_answer_404(client, rep_fyrbodal):
    feed_token(rep_fyrbodal)
    assert _feed(client, signing.dumps(rep_fyrbodal.pk, salt=FEED_SALT)).status_code == 404


@pytest.mark.django_db
def test_the_key_alone_is_not_an_address(client, rep_fyrbodal):
    feed_token(rep_fyrbodal)
    assert _feed(client, CalendarFeedKey.objects.get(user=rep_fyrbodal).key).status_code == 404


@pytest.mark.django_db
def test_a_deactivated_users_feed_answers_404(client, rep_fyrbodal):
    token = feed_token(rep_fyrbodal)
    get_user_model().objects.filter(pk=rep_fyrbodal.pk).update(is_active=False)
    assert _feed(client, token).status_code == 404


# --- sign-in: a limit per address, the address behind proxies, over-long names ----------------------------------


def _sign_in(client, username, password, **extra):
    return client.post("/logga-in/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
@override_settings(AXES_IP_FAILURE_LIMIT=4)
def test_one_address_failing_for_many_user_names_is_locked_for_every_user_name(client, rep_fyrbodal):
    rep_fyrbodal.set_password(PASSWORD)
    rep_fyrbodal.save()
    names = ("sekreterare", "ordforande", "skaraborg", "samordnare")  # one failure each: no name reaches its limit
    statuses = [_sign_in(client, name, "fel", REMOTE_ADDR="203.0.113.9").status_code for name in names]
    assert statuses == [200, 200, 200, 429]  # the fourth failure from the address locks it
    response = _sign_in(client, "fyrbodal", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and "upp till en timme" in response.content.decode()
    assert _sign_in(Client(), "fyrbodal", PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_IP_FAILURE_LIMIT=4, AXES_IP_WINDOW_MINUTES=60)
def test_failures_older_than_the_window_no_longer_count_against_the_address(client, rep_fyrbodal):
    rep_fyrbodal.set_password(PASSWORD)
    rep_fyrbodal.save()
    for name in ("sekreterare", "ordforande", "skaraborg", "samordnare"):
        _sign_in(client, name, "fel", REMOTE_ADDR="203.0.113.9")
    assert _sign_in(client, "fyrbodal", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    earlier = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61)
    AccessFailureLog.objects.update(attempt_time=earlier)
    assert _sign_in(client, "fyrbodal", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy is trusted: the header is the client's word
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client wrote 6.6.6.6; the proxy appended the rest
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_address_is_read_from_x_forwarded_for_only_behind_trusted_proxies(proxies, forwarded, expected):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_ip(request) == expected


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_is_throttled_on_its_own_address(client, rep_fyrbodal):
    rep_fyrbodal.set_password(PASSWORD)
    rep_fyrbodal.save()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "fyrbodal", "fel", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert _sign_in(client, "fyrbodal", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    other = _sign_in(Client(), "fyrbodal", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=0)
def test_without_trusted_proxies_a_forged_forwarded_header_does_not_escape_the_lockout(client, rep_fyrbodal):
    rep_fyrbodal.set_password(PASSWORD)
    rep_fyrbodal.save()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "fyrbodal", "fel", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    forged = _sign_in(client, "fyrbodal", PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert forged.status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 300])
def test_an_over_long_user_name_is_a_swedish_form_error_not_a_server_error(client, length):
    response = _sign_in(client, "a" * length, "fel")
    assert response.status_code == 200
    assert "Användarnamnet får vara högst 150 tecken" in response.content.decode()
    assert not AccessAttempt.objects.exists()  # never reached authentication (axes stores at most 255 characters)


# --- the secret key in production -------------------------------------------------------------------------------

EXAMPLE_KEY = shvo_settings.env_example_value("DJANGO_SECRET_KEY")


@pytest.mark.parametrize(
    ("key", "placeholders", "says"),
    [
        ("", set(), "saknas"),
        ("Kort-men-blandad-nyckel-9!", set(), "för kort"),
        ("ab" * 30, set(), "för få olika tecken"),
        ("django-insecure-" + get_random_secret_key(), set(), "django-insecure"),
        ("P" * 10 + get_random_secret_key(), {"P" * 10}, ""),  # only the exact placeholder is refused
        (EXAMPLE_KEY, {EXAMPLE_KEY}, "exempelvärdet"),
    ],
    ids=["missing", "short", "few-characters", "insecure-prefix", "not-a-placeholder", "example"],
)
def test_weak_secret_keys_are_named_for_what_is_wrong(key, placeholders, says):
    problem = shvo_settings.secret_key_problem(key, placeholders)
    assert (says in problem) if says else problem == ""


def test_a_long_placeholder_is_still_refused():
    key = get_random_secret_key()
    assert shvo_settings.secret_key_problem(key, {key}) == "DJANGO_SECRET_KEY är exempelvärdet, inte en egen nyckel"


def test_a_generated_secret_key_is_accepted():
    assert shvo_settings.secret_key_problem(get_random_secret_key(), {EXAMPLE_KEY}) == ""


def test_env_example_holds_a_secret_key_placeholder():
    assert EXAMPLE_KEY and shvo_settings.secret_key_problem(EXAMPLE_KEY, set())


def _manage_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL="sqlite:////tmp/shvo-operations-check.sqlite3", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("key", [EXAMPLE_KEY, "ci-check-only", "django-insecure-" + get_random_secret_key()])
def test_production_refuses_to_start_with_a_weak_secret_key_and_says_how_to_make_one(key):
    result = _manage_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY" in result.stderr
    assert "get_random_secret_key()" in result.stderr


def test_development_may_run_with_any_key_as_ci_does():
    result = _manage_check(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="ci-check-only")
    assert result.returncode == 0, result.stderr
