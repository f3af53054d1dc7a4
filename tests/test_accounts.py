"""Accounts: inviting a person by e-mail (who may invite whom, what an invitation may and may not do), choosing the
password from the link, and "Glömt lösenordet?" (never telling whether an address has an account, limited)."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from governance import accounts, rules
from governance.models import Membership, Person
from tests.factories import make_body, make_membership, make_person

pytestmark = pytest.mark.django_db

PASSWORD = "ett-riktigt-bra-losenord-2026"
DAY = datetime.timedelta(days=1)
LINK = re.compile(r"https?://[^/\s]+(/konto/losenord/[^\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the reset limits are counted in the cache
    yield
    cache.clear()


def per() -> Person:
    """Per Åström: a Fyrbodal member of Referensgrupp SHVO (his only seat), without an account."""
    return Person.objects.get(first_name="Per", last_name="Åström")


def lars() -> Person:
    """Lars Nyström: a Skaraborg member of Referensgrupp SHVO, without an account."""
    return Person.objects.get(first_name="Lars", last_name="Nyström")


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def invite(client: Client, person: Person, email: str, **extra):
    return client.post(f"/personer/{person.pk}/konto/", {"email": email, **extra})


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


# --- who may invite whom -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "person", "outcome"),
    [
        ("admin", per, "invited"),
        ("admin", lars, "invited"),
        ("admin-fyrbodal", per, "invited"),  # her own subregion's person
        ("admin-fyrbodal", lars, 403),  # another subregion's
        ("samordnare", per, 403),
        ("sekreterare", per, 403),
        ("fyrbodal", per, 403),  # a representative of the same subregion
        ("ordforande", per, 403),
        (None, per, "login"),
    ],
)
def test_who_may_invite_whom_by_post(role, person, outcome, mailoutbox):
    target = person()
    response = invite(client_for(role), target, "ny.adress@example.se")
    target.refresh_from_db()
    if outcome == "invited":
        assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
        assert target.user is not None and target.user.email == "ny.adress@example.se"
        assert [m.to for m in mailoutbox] == [["ny.adress@example.se"]]
    else:
        expected = 302 if outcome == "login" else outcome
        assert response.status_code == expected
        if outcome == "login":
            assert response["Location"].startswith("/logga-in/")
        assert target.user_id is None and mailoutbox == []
        assert not get_user_model().objects.filter(email="ny.adress@example.se").exists()


def _fyrbodal():
    from governance.models import Subregion

    return Subregion.objects.get(short_name="Fyrbodal")


def _skaraborg():
    from governance.models import Subregion

    return Subregion.objects.get(short_name="Skaraborg")


def _shape(kind: str) -> Person:
    """People whose seats make them, or not, Fyrbodal's people."""
    body, today = make_body(), timezone.localdate()
    person = make_person(user=False)
    fyrbodal = {"body": body, "person": person, "subregion": _fyrbodal()}
    if kind == "member":
        make_membership(**fyrbodal)
    elif kind == "substitute_coming":
        make_membership(**fyrbodal, role=Membership.Role.SUBSTITUTE, start=today + 30 * DAY)
    elif kind == "vice_chair":
        make_membership(**fyrbodal, role=Membership.Role.VICE_CHAIR)
    elif kind == "ended":
        make_membership(**fyrbodal, start=today - 400 * DAY, end=today - DAY)
    elif kind == "member_and_ended_secretary":
        make_membership(**fyrbodal)
        make_membership(body=make_body(), person=person, role="secretary", start=today - 400 * DAY, end=today - DAY)
    elif kind == "member_and_secretary":
        make_membership(**fyrbodal)
        make_membership(body=make_body(), person=person, role=Membership.Role.SECRETARY)
    elif kind == "member_and_coming_secretary":
        make_membership(**fyrbodal)
        make_membership(body=make_body(), person=person, role=Membership.Role.SECRETARY, start=today + 10 * DAY)
    elif kind == "chair_for_fyrbodal":
        make_membership(**fyrbodal, role=Membership.Role.CHAIR)
    elif kind == "member_and_skaraborg":
        make_membership(**fyrbodal)
        make_membership(body=make_body(), person=person, subregion=_skaraborg())
    elif kind == "skaraborg":
        make_membership(body=body, person=person, subregion=_skaraborg())
    return person


@pytest.mark.parametrize(
    ("kind", "theirs"),
    [
        ("member", True),
        ("substitute_coming", True),  # appointed, not started yet
        ("vice_chair", True),
        ("member_and_ended_secretary", True),  # an ended seat gives no right and counts for nothing
        ("none", False),  # no seat at all
        ("ended", False),  # only an ended seat
        ("member_and_secretary", False),  # a right she cannot grant
        ("member_and_coming_secretary", False),
        ("chair_for_fyrbodal", False),  # chairs are not hers to appoint
        ("member_and_skaraborg", False),  # another subregion's seat
        ("skaraborg", False),
    ],
)
def test_a_subregions_people_are_those_whose_every_open_seat_she_could_fill(kind, theirs, admin_fyrbodal):
    person = _shape(kind)
    assert (person in rules.invitable_people(admin_fyrbodal)) is theirs
    assert rules.invitation_pending(None) is False
    from governance import permissions

    assert permissions.can(admin_fyrbodal, rules.INVITE_ACCOUNT, person) is theirs
    assert permissions.can(get_user_model().objects.get(username="admin"), rules.INVITE_ACCOUNT, person) is True


def test_the_admin_invites_someone_the_subregion_admin_may_not(admin_fyrbodal, admin_user, mailoutbox):
    person = _shape("member_and_secretary")
    assert invite(client_for("admin-fyrbodal"), person, "sekr@example.se").status_code == 403
    assert invite(client_for("admin"), person, "sekr@example.se").status_code == 302
    assert len(mailoutbox) == 1


# --- what an invitation is ---------------------------------------------------------------------


def test_invite_email_set_password_and_sign_in(mailoutbox):
    person = per()
    page = client_for("admin-fyrbodal").get(person.get_absolute_url())
    assert "Bjud in till konto" in page.content.decode()
    form = client_for("admin-fyrbodal").get(f"/personer/{person.pk}/konto/")
    assert form.status_code == 200 and 'value="per.astrom@example.se"' in form.content.decode()

    response = invite(client_for("admin-fyrbodal"), person, "Per.Astrom@Example.se")
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == ["Per.Astrom@example.se"]
    assert "Ulla Wester har bjudit in dig" in message.body and "per.astrom@example.se" in message.body
    account = Person.objects.get(pk=person.pk).user
    assert account.username == "per.astrom@example.se" and not account.has_usable_password()

    visitor = Client()
    step = visitor.get(link_in(message))
    assert step.status_code == 302 and step["Location"].endswith("/set-password/")  # the token leaves the address
    page = visitor.get(step["Location"])
    assert page.status_code == 200 and "Välj lösenord" in page.content.decode()
    done = visitor.post(step["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/konto/losenord/klart/"
    assert "Lösenordet är sparat" in visitor.get(done["Location"]).content.decode()

    assert "Länken fungerar inte" in Client().get(link_in(message)).content.decode()  # used: never again
    signed_in = Client().post("/logga-in/", {"username": "per.astrom@example.se", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in.wsgi_request.user == account


def test_an_invitation_writes_history_naming_the_inviter_and_reason(admin_fyrbodal):
    invite(client_for("admin-fyrbodal"), per(), "per@example.se")
    row = Person.history.filter(id=per().pk).latest("history_id")
    assert row.history_user == admin_fyrbodal
    assert row.history_change_reason == "Inbjuden till konto, per@example.se"
    assert row.user_id == per().user_id and row.email == "per@example.se"


def test_the_inviter_cannot_choose_the_accounts_role_or_name(admin_user, mailoutbox):
    admin = get_user_model().objects.get(username="admin")
    forged = {
        "is_superuser": "on",
        "is_staff": "on",
        "username": "admin",
        "user": str(admin.pk),
        "groups": "1",
        "user_permissions": "1",
        "password": "valt-av-inbjudaren-123",
    }
    assert invite(client_for("admin"), per(), "per@example.se", **forged).status_code == 302
    account = per().user
    assert (account.is_staff, account.is_superuser, account.username) == (False, False, "per@example.se")
    assert not account.has_usable_password() and account.get_all_permissions() == set()
    assert list(account.groups.all()) == [] and account.pk != admin.pk
    admin.refresh_from_db()
    assert admin.is_superuser and not hasattr(admin, "person")


def test_nobody_invites_themselves_into_another_persons_account(admin_fyrbodal, mailoutbox):
    own = admin_fyrbodal.email  # Ulla Wester's address: taking Per's account to it is refused
    response = invite(client_for("admin-fyrbodal"), per(), own.upper())
    assert response.status_code == 200
    assert "Adressen ULLA.WESTER@example.se hör redan till ett annat konto" in response.content.decode()
    assert per().user_id is None and mailoutbox == []


def test_an_existing_user_is_never_attached_to_another_person(mailoutbox):
    loose = get_user_model().objects.create_user("lost", email="lost@example.se")
    response = invite(client_for("admin"), per(), "lost@example.se", user=str(loose.pk))
    assert response.status_code == 200 and "hör redan till ett annat konto" in response.content.decode()
    assert per().user_id is None and not hasattr(loose, "person") and mailoutbox == []
    # A user name that is the address counts too.
    get_user_model().objects.create_user("taken@example.se")
    assert invite(client_for("admin"), per(), "taken@example.se").status_code == 200


def test_a_person_whose_account_is_in_use_is_not_invited(rep_fyrbodal, mailoutbox):
    rep_fyrbodal.set_password(PASSWORD)
    rep_fyrbodal.save()
    maria = rep_fyrbodal.person
    admin = client_for("admin")
    assert "Bjud in till konto" not in admin.get(maria.get_absolute_url()).content.decode()
    response = admin.post(f"/personer/{maria.pk}/konto/", {"email": "kapad@example.se"}, follow=True)
    assert "Maria Ek har redan ett konto" in response.content.decode()
    rep_fyrbodal.refresh_from_db()
    assert rep_fyrbodal.email != "kapad@example.se" and rep_fyrbodal.check_password(PASSWORD) and mailoutbox == []


def test_an_account_that_has_signed_in_is_in_use_even_without_a_password(rep_fyrbodal, mailoutbox):
    """The demo's accounts have no password outside DEBUG: one that has signed in (by any means) is not pending."""
    assert rules.invitation_pending(rep_fyrbodal)  # never signed in, no password: may be invited
    rep_fyrbodal.last_login = timezone.now()
    rep_fyrbodal.save()
    assert not rules.invitation_pending(rep_fyrbodal)
    response = client_for("admin").post(f"/personer/{rep_fyrbodal.person.pk}/konto/", {"email": "x@example.se"})
    assert response.status_code == 302 and mailoutbox == []


def test_a_closed_account_is_not_invited_again(rep_fyrbodal, mailoutbox):
    rep_fyrbodal.is_active = False
    rep_fyrbodal.save()
    response = client_for("admin").post(f"/personer/{rep_fyrbodal.person.pk}/konto/", {"email": "x@example.se"})
    assert response.status_code == 302 and mailoutbox == []
    assert rules.invite_check(None, rep_fyrbodal.person) == [
        "Maria Ek har ett konto som är avstängt. Kontakta portalens administratör."
    ]


def test_inviting_again_resends_while_the_password_is_unset_and_only_the_newest_link_works(mailoutbox):
    admin = client_for("admin")
    invite(admin, per(), "per@example.se")
    page = admin.get(per().get_absolute_url()).content.decode()
    assert "Inbjuden, har inte valt lösenord ännu" in page and "Skicka inbjudan igen" in page
    assert invite(admin, per(), "per.astrom@vgregion.se").status_code == 302
    first, second = mailoutbox
    assert second.to == ["per.astrom@vgregion.se"] and per().user.username == "per.astrom@vgregion.se"
    assert get_user_model().objects.filter(first_name="Per", last_name="Åström").count() == 1
    assert "Länken fungerar inte" in Client().get(link_in(first)).content.decode()
    assert Client().get(link_in(second)).status_code == 302
    reasons = list(
        Person.history.filter(id=per().pk).order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == [
        "Inbjuden till konto, per@example.se",
        "Inbjudan till konto skickad igen till per.astrom@vgregion.se",
    ]


def test_the_link_expires(mailoutbox, settings):
    invite(client_for("admin"), per(), "per@example.se")
    timeout = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    with time_machine.travel(timezone.now() + timeout - DAY):
        assert Client().get(link_in(mailoutbox[0])).status_code == 302  # still good: on to the form
    with time_machine.travel(timezone.now() + timeout + DAY):
        assert "Länken fungerar inte" in Client().get(link_in(mailoutbox[0])).content.decode()
    assert f"gäller i {accounts.link_days()} dagar" in mailoutbox[0].body


def test_an_address_is_needed_and_checked(mailoutbox):
    too_long = "p" * 60 + "@" + "a" * 60 + "." + "b" * 40 + ".se"  # a valid address, longer than a user name
    for email, message in (
        ("", "Skriv personens e-postadress"),
        ("inte-en-adress", "Skriv en giltig e-postadress"),
        (too_long, "får vara högst 150 tecken"),
    ):
        response = invite(client_for("admin"), per(), email)
        assert response.status_code == 200 and message in response.content.decode()
    assert per().user_id is None and mailoutbox == []


def test_when_the_email_cannot_be_sent_nothing_is_saved(monkeypatch, mailoutbox):
    def broken(self, *args, **kwargs):
        raise OSError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    response = invite(client_for("admin"), per(), "per@example.se")
    assert response.status_code == 200 and "E-postmeddelandet kunde inte skickas" in response.content.decode()
    assert per().user_id is None and not get_user_model().objects.filter(email="per@example.se").exists()


def test_the_person_page_offers_the_invitation_only_to_who_may_invite():
    person = per()
    for role, offered in (("admin", True), ("admin-fyrbodal", True), ("samordnare", False), ("fyrbodal", False)):
        assert ("Bjud in till konto" in client_for(role).get(person.get_absolute_url()).content.decode()) is offered
    assert "Bjud in till konto" not in client_for("admin-fyrbodal").get(lars().get_absolute_url()).content.decode()


# --- "Glömt lösenordet?" -----------------------------------------------------------------------


def _with_password(username: str):
    user = get_user_model().objects.get(username=username)
    user.set_password("gammalt-losenord-123")
    user.save()
    return user


def test_sign_in_page_links_to_the_reset():
    assert 'href="/konto/glomt-losenord/"' in Client().get("/logga-in/").content.decode()


def test_reset_sends_a_link_and_the_new_password_signs_in(mailoutbox):
    user = _with_password("fyrbodal")
    response = Client().post("/konto/glomt-losenord/", {"email": user.email.upper()})
    assert response.status_code == 302 and response["Location"] == "/konto/glomt-losenord/skickat/"
    (message,) = mailoutbox
    assert message.to == [user.email] and "Ditt användarnamn: fyrbodal" in message.body
    visitor = Client()
    step = visitor.get(link_in(message))
    assert "Välj nytt lösenord" in visitor.get(step["Location"]).content.decode()
    visitor.post(step["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert "Länken fungerar inte" in Client().get(link_in(message)).content.decode()


def test_reset_never_tells_whether_an_address_has_an_account(mailoutbox):
    _with_password("fyrbodal")
    known = Client().post("/konto/glomt-losenord/", {"email": "maria.ek@example.se"})
    unknown = Client().post("/konto/glomt-losenord/", {"email": "ingen.alls@example.se"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1
    assert "Om adressen du skrev hör till ett konto" in Client().get(known["Location"]).content.decode()


def test_reset_renews_a_pending_invitation_but_not_a_closed_account(mailoutbox):
    invite(client_for("admin"), per(), "per@example.se")
    Client().post("/konto/glomt-losenord/", {"email": "per@example.se"})
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["per@example.se"]
    closed = _with_password("skaraborg")
    closed.is_active = False
    closed.save()
    Client().post("/konto/glomt-losenord/", {"email": closed.email})
    assert len(mailoutbox) == 2


def test_reset_is_limited_per_address_silently_and_per_client_with_a_message(mailoutbox):
    user = _with_password("fyrbodal")
    for _n in range(accounts.RESET_PER_ADDRESS + 2):
        response = Client().post("/konto/glomt-losenord/", {"email": user.email})
        assert response.status_code == 302  # the same answer, sent or not
    assert len(mailoutbox) == accounts.RESET_PER_ADDRESS
    client = Client()
    for n in range(accounts.RESET_PER_CLIENT - accounts.RESET_PER_ADDRESS - 2):
        assert client.post("/konto/glomt-losenord/", {"email": f"okand{n}@example.se"}).status_code == 302
    refused = client.post("/konto/glomt-losenord/", {"email": "en.till@example.se"})
    assert refused.status_code == 200 and "för många gånger den senaste timmen" in refused.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.7").post("/konto/glomt-losenord/", {"email": "en.till@example.se"})
    assert other.status_code == 302  # another client is not limited by this one
