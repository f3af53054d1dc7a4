"""Writing history: every service write goes through here, so each history row has a user and a reason.

- `save`, `create`, `delete`: the model write with django-simple-history's user and change reason set.
- `compare_and_swap`: an UPDATE … WHERE version = expected (no lost update) that still leaves a history row.
- `recording(actor, reason)`: a context in which any other history row (a many-to-many change, a cascade) gets the
  same user and reason; services wrap multi-row writes in it.
- `lock`: SELECT … FOR UPDATE on a parent row before a check-then-insert on its children.
"""

import contextlib
import contextvars

from django.db import models
from django.dispatch import receiver
from django.utils.text import Truncator
from simple_history.signals import pre_create_historical_record

# django-simple-history keeps the change reason in a 100-character column.
REASON_MAX_LENGTH = 100

_current: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("shvo_audit", default=None)


def reason_text(reason: str) -> str:
    """A change reason that fits its column: a long note (a status comment, a title) is shortened, never refused."""
    return Truncator(str(reason)).chars(REASON_MAX_LENGTH)


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _mark(instance, actor, reason: str) -> None:
    instance._history_user = _user(actor)
    instance._change_reason = reason_text(reason)


@contextlib.contextmanager
def recording(*, actor, reason: str):
    """Every history row written inside gets this user and reason unless its write set its own."""
    token = _current.set((_user(actor), reason_text(reason)))
    try:
        yield
    finally:
        _current.reset(token)


@receiver(pre_create_historical_record)
def _fill_from_context(sender, instance, history_instance, **kwargs):
    context = _current.get()
    if context is None:
        return
    user, reason = context
    if history_instance.history_user_id is None and user is not None:
        history_instance.history_user = user
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


def save(instance, *, actor, reason: str, **kwargs):
    """Save with django-simple-history's user and change reason set."""
    _mark(instance, actor, reason)
    instance.save(**kwargs)
    return instance


def create(model: type[models.Model], *, actor, reason: str, **fields):
    """Create a row, recording who and why."""
    return save(model(**fields), actor=actor, reason=reason)


def delete(instance, *, actor, reason: str) -> None:
    """Delete a row; its history keeps a last row saying who removed it and why."""
    _mark(instance, actor, reason)
    with recording(actor=actor, reason=reason):
        instance.delete()


def compare_and_swap(instance, *, expected: dict, changes: dict, actor, reason: str) -> bool:
    """Write `changes` only where the row still has `expected` (an optimistic lock): False when someone else wrote
    first. On success the instance holds the new values and a history row records the change."""
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, **expected).update(**changes)
    if not updated:
        return False
    instance.refresh_from_db()
    history = getattr(model, "history", None)
    if history is not None:
        _mark(instance, actor, reason)
        model.history.model.objects.create(  # the same row simple-history writes on save()
            **{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields},
            history_date=_now(),
            history_type="~",
            history_user=_user(actor),
            history_change_reason=reason_text(reason),
        )
    return True


def _now():
    from django.utils import timezone

    return timezone.now()


def lock(instance):
    """Lock a parent row for the rest of the transaction before a check-then-insert on its children (PostgreSQL's
    SELECT … FOR UPDATE; SQLite writes one at a time anyway). Concurrent writers then wait for each other, and the
    second one checks against what the first one wrote. The instance is refreshed in place from the locked row."""
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    return instance
