"""A body's page: its facts, seats, coming changes, composition, charter and history.

What everyone sees is kept per version of the structure (governance.fragments), the body too (bodies are public),
so a visit reads the version and the meetings box; what the visitor may do (each seat's action links) is asked of
the rules on every request."""

import copy
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from core import waiting
from core.collation import swedish
from core.kept import kept

from . import fragments, permissions, rules, services
from .models import Body, Membership, Subregion

COMING_LIMIT = 100  # coming changes of seats listed on a body page (successors and terms ending soon)


@login_not_required
def body_detail(request, slug):
    assert Body.objects.all().public  # the kept body is the same for every visitor
    today = services.today()
    user = request.user
    version = fragments.structure_version(today)
    parts = kept(f"body:{slug}:{version}", lambda: _body_parts(slug, today))
    body = copy.copy(parts.body)  # this request's own: the rules note what they read on it
    page = fragments.page_of_count(request, parts.seat_count)
    seats = kept(f"body-seats:{body.pk}:{page.number}:{version}", lambda: _body_seat_rows(body, today, page, parts))
    can_edit = permissions.can(user, rules.EDIT_BODY, body)
    tail = kept(f"body-tail:{body.pk}:{can_edit}:{version}", lambda: _body_tail(body, today, parts, can_edit))
    linked, signed_in = permissions.can(user, rules.VIEW_PERSON), user.is_authenticated
    grouped = [
        (subregion, fragments.seat_rows_html(rows, fragments.seat_rights(user, body, rows), linked, signed_in))
        for subregion, rows in seats
    ]
    coming_rights = fragments.seat_rights(user, body, [c.seat for c in parts.coming])
    context = {
        "body": body,
        "facts": parts.facts,
        "tail": tail,
        "grouped_members": grouped,
        "page": page,
        "term_changes": fragments.coming_changes_html(parts.coming, coming_rights) if parts.coming else "",
        "can_edit": can_edit,
        "can_appoint": permissions.can(user, rules.APPOINT_IN, body),
        "can_view_history": permissions.can(user, rules.VIEW_HISTORY, body),
        "panels": waiting.panels_for(request, "body", body=body),
        "crumbs": [(_("Organ"), reverse("governance:chart")), (body.name, "")],
    }
    return render(request, "governance/body_detail.html", context)


@dataclass(frozen=True)
class _BodyParts:
    """What a body page keeps for every visitor: the body, its facts (HTML), how many seats run, the coming changes,
    the composition findings, the rules and the open vacancies (page 1 shows their subregions even when empty)."""

    body: Body
    facts: str
    seat_count: int
    coming: list
    successors: dict  # a running seat's pk -> fragments.Successor, the coming term that replaces it
    findings: list
    rules: list
    vacancies: list


def _body_parts(slug, today) -> _BodyParts:
    # Kept for everyone: what an anonymous visitor may see (all bodies; body_detail asserts it).
    body = get_object_or_404(
        Body.objects.visible_to(AnonymousUser()).with_status(today).select_related("subregion"), slug=slug
    )
    running = Membership.objects.current(today).filter(body=body)
    current = services.seat_facts(running.order_by())  # the rule check counts every running seat
    # Coming changes: successors already appointed and terms that end soon (with who replaces whom).
    coming = list(
        Membership.objects.filter(body=body)
        .changing(today, days=services.ENDING_WITHIN_DAYS)
        .select_related("person__organisation", "subregion", "party", "replaces__person")
        .order_by("start_date", "pk")[:COMING_LIMIT]
    )
    # The running seats' successors all start after today, so they are among `coming`: no query per row.
    successors = {c.replaces_id: fragments.Successor(str(c.person), c.start_date) for c in coming if c.replaces_id}
    rows = {m.pk: fragments.SeatRow.of(m, successors.get(m.pk)) for m in coming}
    vacancies = list(body.vacancies.open().select_related("subregion"))
    composition_rules = list(body.composition_rules.select_related("subregion"))
    findings = services.body_composition_check(
        body=body,
        subregions=list(Subregion.objects.all()),
        memberships=current,
        vacancies=vacancies,
        rules=composition_rules,
    )
    facts = render_to_string(
        "governance/body_detail.html#facts",
        {
            "body": body,
            "mandate_parties": list(body.mandate_parties.all()),
            "children": list(body.mandated_bodies.with_status(today).order_by("sort_order", swedish("name"))),
        },
    )
    return _BodyParts(
        body=body,
        facts=facts,
        seat_count=len(current),
        coming=[
            fragments.ComingChange(conditional_escape(c.text), c.starts, rows[c.membership.pk])
            for c in services.term_changes(coming, on=today)
        ],
        successors=successors,
        findings=findings,
        rules=composition_rules,
        vacancies=vacancies,
    )


def _body_seat_rows(body, today, page, parts: _BodyParts) -> list:
    """One page of the running seats as kept rows, grouped by the subregion they represent (page 1 also lists the
    subregions with a vacancy), the groups in name order and those without a subregion last."""
    members = (
        Membership.objects.current(today)
        .filter(body=body)
        .select_related("person__organisation", "subregion", "party")
        .order_by("subregion__short_name", "role", swedish("person__last_name"), "pk")[
            page.object_list.start : page.object_list.stop
        ]
    )
    groups: dict = {}
    for m in members:
        groups.setdefault(m.subregion, []).append(fragments.SeatRow.of(m, parts.successors.get(m.pk)))
    if page.number == 1:
        for v in parts.vacancies:
            groups.setdefault(v.subregion, [])
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, str(kv[0] or "")))


def _body_tail(body, today, parts: _BodyParts, can_edit: bool) -> str:
    """The rules and findings, the charter, the status and names over time and the past members, as HTML."""
    return render_to_string(
        "governance/body_detail.html#tail",
        {
            "body": body,
            "charter": body.charters.order_by("-version").first(),
            "vacancies": parts.vacancies,
            "findings": parts.findings,
            "rules": parts.rules,
            "past_members": list(
                Membership.objects.past(today)
                .filter(body=body)
                .select_related("person", "subregion")
                .order_by("-end_date", "-pk")[:50]
            ),
            "status_changes": list(body.status_changes.all()),
            "renames": list(body.renames.all()),
            "can_edit": can_edit,
        },
    )
