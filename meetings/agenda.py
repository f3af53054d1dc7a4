"""The agenda in time order: where a timed item stands, and how long each timed item lasts.

An item's duration is not stored: it runs from the item's time to the next timed item's time (the last one to the
meeting's end), so a changed time can never contradict a stored length. Items without a time (standing items,
"Övrigt") keep the places the secretary gave them; the timed items are sorted by time among the places they hold.
"""

import datetime
from collections.abc import Sequence


def in_time_order(items: Sequence) -> list:
    """The items (in their current order) with the timed ones sorted by time within the places timed items hold;
    equal times keep their current order."""
    ordered = list(items)
    slots = [n for n, it in enumerate(ordered) if it.start_time is not None]
    timed = sorted((ordered[n] for n in slots), key=lambda it: it.start_time)
    for n, it in zip(slots, timed, strict=True):
        ordered[n] = it
    return ordered


def _minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def duration_label(minutes: int) -> str:
    """45 → "45 min", 75 → "1 tim 15 min", 120 → "2 tim"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} tim" + (f" {rest} min" if rest else "")


def with_durations(items: Sequence, meeting) -> list:
    """The items, each timed one given `ends_at` (the next timed item's time, or the meeting's end) and `duration`
    (a label such as "45 min"; empty when the item has no time or no length)."""
    items = list(items)
    timed = [it for it in items if it.start_time is not None]
    for it in items:
        it.ends_at, it.duration = None, ""
    ends = [following.start_time for following in timed[1:]] + [meeting.end_time]
    for it, end in zip(timed, ends, strict=False):
        length = _minutes(it.start_time, end)
        if length > 0:
            it.ends_at, it.duration = end, duration_label(length)
    return items
