"""The plan's organisation section: the forums table, generated from the bodies in governance, never retyped."""

from dataclasses import dataclass

from django.db.models import Prefetch

from governance.models import Body, Charter


@dataclass
class ForumRow:
    body: Body
    tasks: str
    participants: str
    frequency: str
    convener: str


def forums_table(managed_object) -> list[ForumRow]:
    """One row per active body of the managed object: tasks, participants, frequency and convener from its
    current charter and its governance data."""
    bodies = (
        managed_object.bodies.with_status()
        .exclude(status="closed")
        .select_related("convener")
        .prefetch_related(Prefetch("charters", Charter.objects.order_by("-version")))
        .order_by("sort_order", "name")
    )
    rows = []
    for body in bodies:
        charters = list(body.charters.all())
        charter = charters[0] if charters else None
        frequency = (charter.meeting_frequency if charter else "") or (
            f"{body.meeting_target_display} möten per år" if body.meeting_target_display else "Vid behov"
        )
        rows.append(
            ForumRow(
                body=body,
                tasks=(charter.purpose if charter else "") or body.description,
                participants=(charter.composition if charter else "") or "Enligt organets sammansättning",
                frequency=frequency,
                convener=str(body.convener) if body.convener else "Organet självt",
            )
        )
    return rows
