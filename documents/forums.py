"""The plan's organisation section: the forums table, generated from the bodies in governance, never retyped."""

from dataclasses import dataclass

from django.utils import timezone

from core.kept import kept
from core.versions import history_key
from governance.models import Body, BodyStatusChange, Charter

from .models import ManagedObject


@dataclass
class ForumRow:
    body: Body
    tasks: str
    participants: str
    frequency: str
    convener: str


def forums_table(managed_object) -> list[ForumRow]:
    """One row per active body of the managed object: tasks, participants, frequency and convener from its
    current charter and its governance data. The bodies are public, so the rows are the same for every reader: they
    are kept (core.kept) until a body, a status, a charter or the managed object's list of bodies changes, or the day
    does (statuses take effect on their dates); one small query asks which."""
    key = history_key(
        f"forums:{managed_object.pk}", Body, BodyStatusChange, Charter, ManagedObject, on=timezone.localdate()
    )
    return kept(key, lambda: _forum_rows(managed_object))


def _forum_rows(managed_object) -> list[ForumRow]:
    """Two queries: the bodies with their status, and the charters' columns the table shows (the newest version of
    each body's is used)."""
    # The status is compared here rather than in SQL: excluding on the annotation would repeat its subquery.
    bodies = [
        b
        for b in managed_object.bodies.with_status().select_related("convener").order_by("sort_order", "name")
        if b.status != BodyStatusChange.Status.CLOSED
    ]
    current: dict[int, tuple[str, str, str]] = {}
    charters = (
        Charter.objects.filter(body_id__in=[b.pk for b in bodies])
        .order_by("body_id", "-version")
        .values_list("body_id", "purpose", "composition", "meeting_frequency")
    )
    for body_id, *columns in charters:
        current.setdefault(body_id, tuple(columns))
    rows = []
    for body in bodies:
        purpose, composition, frequency = current.get(body.pk, ("", "", ""))
        frequency = frequency or (
            f"{body.meeting_target_display} möten per år" if body.meeting_target_display else "Vid behov"
        )
        rows.append(
            ForumRow(
                body=body,
                tasks=purpose or body.description,
                participants=composition or "Enligt organets sammansättning",
                frequency=frequency,
                convener=str(body.convener) if body.convener else "Organet självt",
            )
        )
    return rows
