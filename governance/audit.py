"""Writing governed rows: every service saves through here, so the history always has a user and a reason."""

from django.core.exceptions import PermissionDenied
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from . import permissions

# django-simple-history keeps the change reason in a 100-character column.
REASON_MAX_LENGTH = 100


def reason_text(reason: str) -> str:
    """A change reason that fits its column: a long note (a status comment, a title) is shortened, never refused."""
    return Truncator(str(reason)).chars(REASON_MAX_LENGTH)


def save(instance, *, actor, reason: str):
    """Save with django-simple-history's user and change reason set."""
    instance._history_user = actor if actor is not None and actor.is_authenticated else None
    instance._change_reason = reason_text(reason)
    instance.save()
    return instance


def require(actor, action: str, obj=None) -> None:
    """Refuse (PermissionDenied) unless the permission policy allows the action."""
    if not permissions.can(actor, action, obj):
        raise PermissionDenied(_("Du har inte behörighet att göra detta."))


def lock(instance):
    """Lock a parent row for the rest of the transaction before a check-then-insert on its children (PostgreSQL's
    SELECT … FOR UPDATE; SQLite writes one at a time anyway). Concurrent writers then wait for each other, and the
    second one checks against what the first one wrote. The instance is refreshed in place from the locked row."""
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    return instance


NO_PERSON = _("Ditt konto är inte kopplat till en person, så du kan inte skriva under detta. Kontakta administratören.")


def require_person(actor):
    """What is signed (an approval, a comment, a correction, a response) is signed by a person: an account without one
    (the technical administrator) is told so, never failed."""
    from django.core.exceptions import ValidationError

    person = permissions.person_of(actor)
    if person is None:
        raise ValidationError(NO_PERSON)
    return person
