"""Shared fixtures: the demo structure loaded once per session, and one fixture per role.

SHVO_TEST_CLOCK=2027-12-01 runs the whole session on that day (09:00 in Stockholm, the clock ticking), seed_demo
included: the demo's dates follow the calendar, so the suite must pass on any day."""

import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from core.kept import forget_all as forget_kept_fragments
from governance.models import Body, Subregion

PASSWORD = "test-losenord-123"
_clock = None


def pytest_configure(config):
    # Before any fixture, so the test database and seed_demo are created "on" that day too.
    global _clock
    day = os.environ.get("SHVO_TEST_CLOCK", "").strip()
    if day and _clock is None:
        try:
            on = datetime.date.fromisoformat(day)
        except ValueError:
            raise pytest.UsageError(f"SHVO_TEST_CLOCK ska vara ett datum som 2027-12-01, inte {day!r}.") from None
        start = datetime.datetime.combine(on, datetime.time(9), tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
        _clock = time_machine.travel(start, tick=True)
        _clock.start()


def pytest_report_header(config):
    return f"SHVO_TEST_CLOCK: {os.environ['SHVO_TEST_CLOCK']}" if _clock else None


def pytest_unconfigure(config):
    global _clock
    if _clock is not None:
        _clock.stop()
        _clock = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    # Every database test starts from the real demo structure (rolled back after each test). The demo publishes
    # minutes as PDF: its files go to a temporary MEDIA_ROOT for the session, never into the project's media/.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            call_command("seed_demo", verbosity=0)
        yield


@pytest.fixture(autouse=True)
def _fresh_kept_fragments():
    """Rendered fragments are kept per process (core.kept); a rolled-back test may leave the same ids and history
    ids to the next one, so each test starts without them."""
    forget_kept_fragments()


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def coordinator(db):
    return _user("samordnare")


@pytest.fixture
def secretary(db):
    return _user("sekreterare")


@pytest.fixture
def chair(db):
    return _user("ordforande")


@pytest.fixture
def rep_fyrbodal(db):
    return _user("fyrbodal")


@pytest.fixture
def rep_skaraborg(db):
    return _user("skaraborg")


@pytest.fixture
def admin_fyrbodal(db):
    return _user("admin-fyrbodal")


@pytest.fixture
def preparer(db):
    return _user("beredning")


@pytest.fixture
def admin_user(db):
    return _user("admin")


@pytest.fixture
def reader(db):
    """Signed in, but holds no membership and no delegated right."""
    return get_user_model().objects.create_user("lasare", password=PASSWORD)


@pytest.fixture
def ref_group(db):
    return Body.objects.get(slug="referensgrupp-shvo")


@pytest.fixture
def subregion(db):
    return {s.short_name: s for s in Subregion.objects.all()}


@pytest.fixture
def demo_planned_meeting(db):
    """The reference group's planned meeting from seed_demo. Its date follows the calendar: found by its title."""
    from meetings.demo import planned_meeting

    return planned_meeting()


# --- Mutation testing only (`make mutation`; mutmut sets MUTANT_UNDER_TEST, a normal test run never does) ---------
# mutmut runs pytest once per mutant in a process forked from its main process. Seeding the demo world in every one
# of those sessions would cost far more than the tests themselves, so under mutmut the in-memory test database is
# created and seeded once, in mutmut's main process, and never torn down: every forked mutant process inherits its
# own copy-on-write copy of the seeded database (test transactions are rolled back as usual). Inert otherwise.
if "MUTANT_UNDER_TEST" in os.environ:
    _mutation_db_ready = False

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):  # noqa: F811 - replaces the fixture above under mutmut only
        global _mutation_db_ready
        if not _mutation_db_ready:
            import tempfile

            from django.test.utils import setup_databases

            with django_db_blocker.unblock():
                setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
                override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="shvo-mutation-media-")).enable()
                call_command("seed_demo", verbosity=0)
            _mutation_db_ready = True
        yield
