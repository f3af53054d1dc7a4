"""Readable history (Historik): who changed what and when, field by field, from django-simple-history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}
# A plan's document is fixed for its life: naming it in every history row says nothing.
HIDDEN_FIELDS = {"id", "created_at", "created_by", "slug", "sort_order", "document"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    label: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model, name: str, value, fk_labels: dict) -> str:
    if value in (None, ""):
        return "–"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return fk_labels.get((f.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _fk_labels(model, records) -> dict:
    """Labels of every object the records point at, one query per related model."""
    wanted: dict = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.name not in HIDDEN_FIELDS:
            ids = {getattr(r, f.attname) for r in records} - {None}
            if ids:
                wanted.setdefault(f.related_model, set()).update(ids)
    return {(m, obj.pk): str(obj) for m, ids in wanted.items() for obj in m._default_manager.filter(pk__in=ids)}


def _label(model, r, labels) -> str:
    """What the entry is about, without a query per record."""
    kind = str(model._meta.verbose_name).capitalize()
    names = {f.name for f in model._meta.concrete_fields}
    if "name" in names:
        return f"{kind}: {r.name}"
    if "person_id" in {f.attname for f in model._meta.concrete_fields}:
        person = labels.get((model._meta.get_field("person").related_model, r.person_id), "")
        return (
            f"{kind}: {person}, {_display(model, 'role', r.role, labels).lower()}"
            if "role" in names
            else f"{kind}: {person}"
        )
    if "version" in names:
        return f"{kind}, version {r.version}"
    if "status" in names:
        return f"{kind}: {_display(model, 'status', r.status, labels)}"
    return f"{kind} #{r.id}"


def entries(model, history_qs, limit: int = 200) -> list[Entry]:
    """Turn historical records of one model into entries with field-by-field changes, newest first."""
    records = list(history_qs.select_related("history_user").order_by("id", "history_date", "history_id"))
    labels = _fk_labels(model, records)
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    previous: dict = {}
    result = []
    for r in records:
        before = previous.get(r.id)
        changes = []
        for f in fields:
            new = getattr(r, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if before is None and new in (None, ""):
                continue
            if before is None or old != new:
                changes.append(
                    Change(
                        str(f.verbose_name).capitalize(),
                        _display(model, f.name, old, labels) if before else "",
                        _display(model, f.name, new, labels),
                    )
                )
        previous[r.id] = r
        user = r.history_user
        result.append(
            Entry(
                when=r.history_date,
                who=(user.get_full_name() or user.get_username()) if user else "Systemet",
                action=ACTIONS.get(r.history_type, r.history_type),
                label=_label(model, r, labels),
                reason=r.history_change_reason or "",
                changes=changes,
            )
        )
    result.sort(key=lambda e: e.when, reverse=True)
    return result[:limit]


def merged(*groups: list[Entry], limit: int = 200) -> list[Entry]:
    return sorted((e for g in groups for e in g), key=lambda e: e.when, reverse=True)[:limit]
