"""Accounts: inviting a person to an account by e-mail, and the limits on "Glömt lösenordet?".

An invitation creates the person's User (no password, no staff or superuser flag, no permission: its rights are the
person's seats, governance.permissions) and e-mails a link to choose a password. The link is Django's password-reset
token, so it expires after PASSWORD_RESET_TIMEOUT and stops working once a password is set (the token hashes the
password); sending the invitation again makes the earlier link invalid too. Who may invite whom is
governance.rules (INVITE_ACCOUNT, invite_check).
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit

from . import rules
from .models import Person
from .permissions import person_of, require

logger = logging.getLogger(__name__)

EMAIL_MISSING = gettext_lazy("Skriv personens e-postadress; inbjudan skickas dit.")
EMAIL_INVALID = gettext_lazy("Skriv en giltig e-postadress, till exempel fornamn.efternamn@kommun.se.")
EMAIL_TAKEN = gettext_lazy(
    "Adressen %(e)s hör redan till ett annat konto. Skriv personens egen adress; ett konto kan inte delas."
)
EMAIL_TOO_LONG = gettext_lazy(
    "Adressen blir kontots användarnamn och får vara högst %(n)d tecken. Skriv en kortare adress för personen."
)
NOT_SENT = gettext_lazy(
    "E-postmeddelandet kunde inte skickas, så ingen inbjudan är gjord. Försök igen om en stund, eller kontakta "
    "portalens administratör."
)


def link_days() -> int:
    """How many days a set-password link works (PASSWORD_RESET_TIMEOUT, whole days, at least one)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)


def set_password_path(user) -> str:
    """The path of the user's one-time set-password link (governance:password_set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("governance:password_set", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def _clean_email(email: str, account) -> str:
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": EMAIL_MISSING})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": EMAIL_INVALID}) from None
    email = get_user_model().objects.normalize_email(email)
    longest = get_user_model()._meta.get_field("username").max_length or 150
    if len(email) > longest:
        raise ValidationError({"email": EMAIL_TOO_LONG % {"n": longest}})
    others = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if account is not None:
        others = others.exclude(pk=account.pk)
    if others.exists():
        raise ValidationError({"email": EMAIL_TAKEN % {"e": email}})
    return email


def _send_invitation(*, user, person: Person, actor, site_url: str) -> None:
    context = {
        "person": person,
        "inviter": _inviter_name(actor),
        "username": user.get_username(),
        "link": site_url.rstrip("/") + set_password_path(user),
        "login_url": site_url.rstrip("/") + reverse("login"),
        "days": link_days(),
    }
    subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
    body = render_to_string("registration/invitation_email.txt", context)
    EmailMessage(subject, body, None, [user.email]).send()


def _inviter_name(actor) -> str:
    """How an invitation names who sent it: their person, else their account's name."""
    person = person_of(actor)
    return str(person) if person else (actor.get_full_name() or _("portalens administratör"))


@transaction.atomic
def account_invite(*, actor, person: Person, email: str, site_url: str):
    """Invite a person to an account: create their User (or, while the invitation is pending, update it), link it to
    the person, record the address on the person and e-mail a set-password link; the history row names the inviter.
    The account gets no flag and no permission, so it has exactly the rights the person's seats give; nothing the
    inviter sends can choose a role, or reach a User other than the person's own pending one. An address that
    belongs to another account is refused. When the e-mail cannot be sent, nothing is saved."""
    require(actor, rules.INVITE_ACCOUNT, person)
    person = audit.lock(Person(pk=person.pk))  # two invitations of the same person wait; the caller's copy stays
    account = person.user if person.user_id else None
    refusals = rules.invite_check(actor, person)
    if refusals:
        raise ValidationError(refusals)
    email = _clean_email(email, account)
    again = account is not None
    if account is None:
        account = get_user_model()(is_staff=False, is_superuser=False, is_active=True)
    account.username = email.lower()
    account.email = email
    account.first_name, account.last_name = person.first_name[:150], person.last_name[:150]
    account.set_unusable_password()  # also makes any earlier link invalid: only the newest invitation works
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # someone took the address as a user name at the same moment
        raise ValidationError({"email": EMAIL_TAKEN % {"e": email}}) from None
    person.user, person.email = account, email
    reason = _("Inbjudan till konto skickad igen till %(e)s") if again else _("Inbjuden till konto, %(e)s")
    audit.save(person, actor=actor, reason=reason % {"e": email})
    try:
        _send_invitation(user=account, person=person, actor=actor, site_url=site_url)
    except Exception:  # noqa: BLE001 – any mailer failure: nothing is saved, the inviter is told
        logger.exception("Could not send the invitation to person %s", person.pk)
        raise ValidationError(NOT_SENT) from None
    return account


# --- "Glömt lösenordet?" -----------------------------------------------------------------------

# One hour's window: at most RESET_PER_ADDRESS e-mails to one address (more are silently not sent, so the page
# still says nothing about whether the address has an account), and RESET_PER_CLIENT requests from one client
# address (more are refused with a message about the client's own requests). Counted in the cache (per process
# with the default local-memory cache; a shared cache makes it one limit for every process).
RESET_PER_ADDRESS = 3
RESET_PER_CLIENT = 20
RESET_WINDOW = datetime.timedelta(hours=1)
TOO_MANY_RESETS = gettext_lazy(
    "Du har begärt nya lösenord för många gånger den senaste timmen. Vänta en timme och försök igen, eller "
    "kontakta portalens administratör."
)


def _count(key: str) -> int:
    """Add one to a counter that lives for RESET_WINDOW from its first use; its new value."""
    seconds = int(RESET_WINDOW.total_seconds())
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def reset_client_allowed(client: str | None) -> bool:
    """Count a reset request from a client address: False once it has made more than RESET_PER_CLIENT this hour."""
    digest = hashlib.sha256((client or "unknown").encode()).hexdigest()
    return _count(f"shvo:reset:client:{digest}") <= RESET_PER_CLIENT


def reset_address_allowed(email: str) -> bool:
    """Count a reset request for an address, whether or not it has an account: False once more than
    RESET_PER_ADDRESS e-mails would have gone to it this hour."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return _count(f"shvo:reset:address:{digest}") <= RESET_PER_ADDRESS


def reset_recipients(email: str):
    """The accounts "Glömt lösenordet?" sends a link to: active accounts with this address that have a password,
    and people's accounts whose invitation is pending (so an expired invitation link can be renewed by its owner)."""
    accounts = get_user_model()._default_manager.filter(email__iexact=email, is_active=True).select_related("person")
    return [
        a
        for a in accounts
        if a.email.casefold() == email.casefold()
        and (a.has_usable_password() or (rules.invitation_pending(a) and hasattr(a, "person")))
    ]
