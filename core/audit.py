"""Writing history: every service write goes through here, so each history row has a user and a reason.

- `save`, `create`, `delete`: the model write with django-simple-history's user and change reason set.
- `compare_and_swap`: an UPDATE … WHERE version = expected (no lost update) that still leaves a history row.
- `recording(actor, reason)`: a context in which any other history row (a many-to-many change, a cascade) gets the
  same user and reason; services wrap multi-row writes in it.
- `lock`: SELECT … FOR UPDATE on a parent row before a check-then-insert on its children.
- `story_clock(moment)` / `story_time(moment)`: for demo data only, a story told after the fact (a plan decided in
  March, minutes justerade in March) is written with the story's times, so its history shows them.
"""

import contextlib
import contextvars
import datetime
import threading

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


class _StoryClock:
    """The seeding thread's clock while a demo story is written: the story's moment, a millisecond later at each
    reading so the writes keep their order; never later than the real clock (no history in the future)."""

    def __init__(self, moment: datetime.datetime, real):
        self.real, self.moment, self.ticks = real, moment, 0

    def now(self) -> datetime.datetime:
        self.ticks += 1
        return min(self.moment + datetime.timedelta(milliseconds=self.ticks), self.real())


_story: contextvars.ContextVar[_StoryClock | None] = contextvars.ContextVar("shvo_story_clock", default=None)


@contextlib.contextmanager
def story_clock(moment: datetime.datetime):
    """Demo data only: inside, this thread's django.utils.timezone.now() – so every history row's date, auto_now
    field and service timestamp (sent for justering, justerat, published) – reads `moment`; `story_time` moves it on.
    Other threads (a live test server) keep the real clock. The portal's own writes never use this."""
    from django.utils import timezone

    real = timezone.now
    clock = _StoryClock(moment, real)
    owner = threading.get_ident()

    def now():
        story = _story.get()
        return story.now() if story is not None and threading.get_ident() == owner else real()

    token = _story.set(clock)
    timezone.now = now
    try:
        yield clock
    finally:
        timezone.now = real
        _story.reset(token)


def story_time(moment: datetime.datetime) -> None:
    """Move the story clock on to the next event of the story (inside `story_clock`)."""
    clock = _story.get()
    if clock is None:
        raise RuntimeError("story_time används bara inuti story_clock.")
    clock.moment = moment


def story_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of the story in local time (Europe/Stockholm)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
