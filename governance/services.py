"""Domain rules of the governance structure. Views, forms, admin and commands call these."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.audit import lock as _lock
from core.audit import recording as _recording
from core.audit import save as _save
from core.text import sanitise

from . import permissions, rules
from .models import (
    Body,
    BodyStatusChange,
    Charter,
    CompositionRule,
    Membership,
    Person,
    PopulationFigure,
    Subregion,
    Vacancy,
)
from .permissions import require as _require


def _fmt(d: datetime.date | None) -> str:
    return d.isoformat() if d else _("tills vidare")


# --- composition rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One result of checking a body against its composition rules."""

    level: str  # "error": a rule is broken; "warning": a recommendation is not met; "vacancy"
    message: str
    subregion: Subregion | None = None

    @property
    def heading(self) -> str:
        """What the page says before the message."""
        return {"error": _("Bryter mot regel:"), "warning": _("Observera:")}.get(self.level, _("Vakans:"))


def _rule_for(rules: list[CompositionRule], subregion: Subregion) -> CompositionRule | None:
    own = [r for r in rules if r.kind == r.Kind.PER_SUBREGION and r.subregion_id == subregion.pk]
    default = [r for r in rules if r.kind == r.Kind.PER_SUBREGION and r.subregion_id is None]
    found = own or default
    return found[0] if found else None


class PartyKind(NamedTuple):
    kind: str


class SeatFact(NamedTuple):
    """What the composition check reads of a running seat, without building a Membership per row."""

    role: str
    subregion_id: int | None
    party: PartyKind | None


def seat_facts(memberships) -> list[SeatFact]:
    """The running seats of a queryset as light rows for body_composition_check (hundreds on a large body)."""
    rows = memberships.values_list("role", "subregion_id", "party__kind")
    return [SeatFact(role, subregion_id, PartyKind(kind) if kind else None) for role, subregion_id, kind in rows]


def body_composition_check(
    *,
    body: Body,
    subregions: list[Subregion],
    memberships: list[Membership] | list[SeatFact],
    vacancies: list[Vacancy],
    rules: list[CompositionRule],
) -> list[Finding]:
    """Check running memberships against the body's rules: seats per subregion, party balance, vacancies.

    The caller passes already-loaded lists so that a page can check without extra queries.
    """
    findings: list[Finding] = []
    reps = [m for m in memberships if m.role in Membership.REPRESENTATIVE_ROLES and m.subregion_id]
    for subregion in subregions:
        rule = _rule_for(rules, subregion)
        if rule is None:
            continue
        count = sum(1 for m in reps if m.subregion_id == subregion.pk)
        if count < rule.min_count:
            findings.append(
                Finding(
                    "error",
                    _("%(s)s har %(n)d representanter; minst %(min)d krävs.")
                    % {"s": subregion, "n": count, "min": rule.min_count},
                    subregion,
                )
            )
        if rule.max_count is not None and count > rule.max_count:
            findings.append(
                Finding(
                    "error",
                    _("%(s)s har %(n)d representanter; högst %(max)d är tillåtet.")
                    % {"s": subregion, "n": count, "max": rule.max_count},
                    subregion,
                )
            )
    if any(r.kind == CompositionRule.Kind.PARTY_BALANCE for r in rules) and reps:
        region = sum(1 for m in reps if m.party and m.party.kind == "region")
        municipality = sum(1 for m in reps if m.party and m.party.kind == "municipality")
        if region == 0 or municipality == 0 or max(region, municipality) > 2 * min(region, municipality):
            findings.append(
                Finding(
                    "warning",
                    _("Fördelningen mellan kommun och region är ojämn: %(m)d från kommuner, %(r)d från regionen.")
                    % {"m": municipality, "r": region},
                )
            )
    for v in vacancies:
        findings.append(
            Finding(
                "vacancy",
                _("Vakant plats: %(role)s för %(s)s sedan %(d)s.")
                % {"role": v.get_role_display().lower(), "s": v.subregion or _("organet"), "d": v.since.isoformat()},
                v.subregion,
            )
        )
    return findings


# --- coming changes of seats -------------------------------------------------------------------

# How far ahead the pages warn of terms that end (the subregion administrator's start page, the body page).
ENDING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class TermChange:
    """One coming change of a seat: a term that starts (perhaps replacing another) or one that ends with nobody
    appointed after it. `membership` is the term that starts, or the one that ends."""

    on: datetime.date
    kind: str  # "starts", "replaces" or "ends"
    membership: Membership

    @property
    def starts(self) -> bool:
        return self.kind != "ends"

    @property
    def text(self) -> str:
        m = self.membership
        seat = m.get_role_display().lower() + (_(" för %(s)s") % {"s": m.subregion} if m.subregion_id else "")
        values = {"d": self.on.isoformat(), "p": m.person, "seat": seat}
        if self.kind == "replaces" and m.replaces is not None:
            return _("från %(d)s: %(p)s ersätter %(old)s som %(seat)s") % {**values, "old": m.replaces.person}
        if self.kind == "starts":
            return _("från %(d)s: %(p)s börjar som %(seat)s") % values
        return _("till och med %(d)s: %(p)s som %(seat)s, ingen efterträdare utsedd") % values


def term_changes(memberships, *, on: datetime.date) -> list[TermChange]:
    """The coming changes among loaded terms (MembershipQuerySet.changing), soonest first: each start, each
    replacement (said once, by the incoming term), and each end that nobody takes over."""
    replaced = {m.replaces_id for m in memberships if m.start_date > on and m.replaces_id}
    changes = []
    for m in memberships:
        if m.start_date > on:
            changes.append(TermChange(m.start_date, "replaces" if m.replaces_id else "starts", m))
        elif m.end_date is not None and m.pk not in replaced:
            changes.append(TermChange(m.end_date, "ends", m))
    return sorted(changes, key=lambda c: (c.on, str(c.membership.person), c.membership.pk))


# --- memberships -------------------------------------------------------------------------------


def _lock_body(body: Body) -> None:
    """Serialise check-then-insert on a body's seats, statuses and charters (caps, single holders, one change a day,
    version numbers): concurrent writers to the same body wait for each other."""
    _lock(body)


def _max_concurrent(periods: list[tuple[datetime.date, datetime.date | None]], start, end) -> int:
    """The most periods running on any one day within [start, end]."""
    days = {start} | {s for s, _e in periods if s >= start and (end is None or s <= end)}
    return max((sum(1 for s, e in periods if s <= day and (e is None or e >= day)) for day in days), default=0)


def membership_validate(membership: Membership) -> None:
    """Refuse a membership that ends before it starts, overlaps the same person's term in the same role,
    takes a single-holder role (chair, vice chair) someone else holds, or exceeds the subregion's cap."""
    m = membership
    if m.end_date and m.start_date and m.end_date < m.start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum. Ändra något av datumen.")})
    others = Membership.objects.filter(body=m.body).exclude(pk=m.pk).overlapping(m.start_date, m.end_date)
    clash = others.filter(person=m.person, role=m.role).first()
    if clash:
        raise ValidationError(
            {
                "start_date": _(
                    "%(p)s är redan %(r)s i %(b)s %(f)s–%(t)s. Perioderna får inte överlappa; ändra datumen "
                    "eller avsluta det andra uppdraget först."
                )
                % {
                    "p": m.person,
                    "r": clash.get_role_display().lower(),
                    "b": m.body,
                    "f": _fmt(clash.start_date),
                    "t": _fmt(clash.end_date),
                }
            }
        )
    if m.role in Membership.SINGLE_HOLDER_ROLES:
        holder = others.filter(role=m.role).exclude(person=m.person).select_related("person").first()
        if holder:
            raise ValidationError(
                {
                    "role": _(
                        "%(b)s har redan en %(r)s under perioden (%(p)s, %(f)s–%(t)s). Avsluta det uppdraget först."
                    )
                    % {
                        "b": m.body,
                        "r": m.get_role_display().lower(),
                        "p": holder.person,
                        "f": _fmt(holder.start_date),
                        "t": _fmt(holder.end_date),
                    }
                }
            )
    if m.subregion is not None and m.role in Membership.REPRESENTATIVE_ROLES:
        rules = list(CompositionRule.objects.filter(body=m.body, kind=CompositionRule.Kind.PER_SUBREGION))
        rule = _rule_for(rules, m.subregion)
        if rule and rule.max_count is not None:
            periods = list(others.representatives().filter(subregion=m.subregion).values_list("start_date", "end_date"))
            if _max_concurrent(periods, m.start_date, m.end_date) + 1 > rule.max_count:
                raise ValidationError(
                    {
                        "subregion": _(
                            "%(s)s har redan %(n)d representanter i %(b)s under perioden, och högst %(n)d är tillåtet. "
                            "Avsluta eller ersätt ett av de nuvarande uppdragen."
                        )
                        % {"s": m.subregion, "n": rule.max_count, "b": m.body}
                    }
                )


def _check_seat(actor, seat, *, person=None) -> None:
    """Refuse a seat the actor may not fill, with the rule's message on the field it concerns. Someone who may fill
    no seats at all is refused outright (403)."""
    refusals = rules.seat_refusals(actor, body=seat.body, role=seat.role, subregion=seat.subregion, person=person)
    if not refusals:
        return
    if not rules.may_manage_seats(actor):
        permissions.require(actor, rules.MANAGE_SEAT, seat)  # raises: nothing here is the actor's to fill
    raise ValidationError(refusals)


def _register_person(actor, person: Person) -> Person:
    """A person typed into a seat form is registered in the same transaction as the seat (rolled back with it)."""
    if person.pk is None:
        _save(person, actor=actor, reason=_("Person registrerad"))
    return person


@transaction.atomic
def membership_save(*, actor, membership: Membership, person: Person | None = None, reason: str = "") -> Membership:
    """Create or change a membership after checking the actor's right to the seat and the rules. `person` is who
    holds it when that is a new person (not saved yet): registered in the same transaction, so a refused seat
    registers nobody."""
    _lock_body(membership.body)
    if membership.pk:
        before = Membership.objects.select_related("body", "subregion", "person").get(pk=membership.pk)
        _check_seat(actor, before, person=before.person)  # the seat as it was: a forged POST cannot move another's
    if person is not None:
        _check_seat(actor, membership, person=person if person.pk else None)
        membership.person = _register_person(actor, person)
    else:
        _check_seat(actor, membership, person=membership.person if membership.person_id else None)
    membership_validate(membership)
    default = _("Uppdrag ändrat") if membership.pk else _("Uppdrag tillsatt")
    return _save(membership, actor=actor, reason=reason or default)


@transaction.atomic
def membership_appoint(*, actor, body: Body, membership: Membership, person: Person, reason: str = "") -> Membership:
    """Fill a seat in the body: one intent, one transaction. The person may be new (not saved yet); they are
    registered only when the seat may be filled and passes the rules."""
    membership.body = body
    return membership_save(actor=actor, membership=membership, person=person, reason=reason)


@transaction.atomic
def membership_end(*, actor, membership: Membership, end_date: datetime.date, reason: str = "") -> Membership:
    """End a membership on a date (the last day it runs). Ending one's own seat gives up a right, so it is allowed."""
    _check_seat(actor, membership)
    if end_date < membership.start_date:
        raise ValidationError(
            {
                "end_date": _("Slutdatum kan inte vara före uppdragets start (%(d)s).")
                % {"d": membership.start_date.isoformat()}
            }
        )
    membership.end_date = end_date
    return _save(membership, actor=actor, reason=reason or _("Uppdrag avslutat"))


@transaction.atomic
def membership_replace(
    *, actor, membership: Membership, person, start_date: datetime.date, party=None, reason: str = ""
) -> Membership:
    """Replace the holder of a seat: the old membership ends the day before the new one starts. A seat whose
    successor is already appointed is not replaced again. A new person (not saved yet) is registered in the same
    transaction, after the checks."""
    _lock_body(membership.body)
    _check_seat(actor, membership)
    membership.__dict__.pop("successor", None)  # read again under the lock: a colleague may just have replaced
    if refused := rules.replaced_refusals(membership):
        raise ValidationError(refused)
    _check_seat(actor, membership, person=person if person.pk else None)
    if person.pk and person.pk == membership.person_id:
        raise ValidationError({"person": _("Välj en annan person än den som har platsen i dag.")})
    if start_date <= membership.start_date:
        raise ValidationError(
            {
                "start_date": _("Ersättaren måste börja efter att det nuvarande uppdraget började (%(d)s).")
                % {"d": membership.start_date.isoformat()}
            }
        )
    if membership.end_date and membership.end_date < start_date - datetime.timedelta(days=1):
        raise ValidationError({"start_date": _("Uppdraget har redan upphört; tillsätt platsen som ett nytt uppdrag.")})
    why = reason or _("%(new)s ersätter %(old)s") % {"new": person, "old": membership.person}
    _register_person(actor, person)
    membership.end_date = start_date - datetime.timedelta(days=1)
    _save(membership, actor=actor, reason=why)
    successor = Membership(
        person=person,
        body=membership.body,
        role=membership.role,
        subregion=membership.subregion,
        party=party if party is not None else membership.party,
        start_date=start_date,
        replaces=membership,
    )
    membership_validate(successor)
    return _save(successor, actor=actor, reason=why)


# --- bodies ------------------------------------------------------------------------------------


@transaction.atomic
def body_save(*, actor, body: Body, mandate_parties=None, reason: str = "") -> Body:
    """Create or change a body; `mandate_parties` (the organisations that give it its mandate) are set with it, in the
    same transaction and history reason."""
    _require(actor, rules.EDIT_BODY, body)
    body.full_clean()
    why = reason or (_("Organ ändrat") if body.pk else _("Organ skapat"))
    saved = _save(body, actor=actor, reason=why)
    if mandate_parties is not None:
        with _recording(actor=actor, reason=why):
            saved.mandate_parties.set(mandate_parties)
    return saved


@transaction.atomic
def body_change_status(
    *, actor, body: Body, status: str, effective_from: datetime.date, note: str = ""
) -> BodyStatusChange:
    """Record a dated status change (active, paused, closed); history is kept, never overwritten."""
    _require(actor, rules.EDIT_BODY, body)
    _lock_body(body)
    if BodyStatusChange.objects.filter(body=body, effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": _("Det finns redan en statusändring detta datum. Välj ett annat datum.")}
        )
    change = BodyStatusChange(body=body, status=status, effective_from=effective_from, note=note)
    change.full_clean()
    return _save(change, actor=actor, reason=note or _("Status ändrad"))


CHARTER_RICH_TEXT = ("purpose", "tasks", "composition", "competence_criteria", "economy")
CHARTER_PURPOSE_EMPTY = _lazy("Skriv organets syfte och uppdrag.")


@transaction.atomic
def charter_create_version(*, actor, body: Body, charter: Charter, reason: str = "") -> Charter:
    """A changed charter is saved as the next version; earlier versions stay as they were written."""
    _require(actor, rules.EDIT_BODY, body)
    _lock_body(body)  # also when there is no version yet: two first versions would both be number 1
    latest = Charter.objects.filter(body=body).order_by("-version").first()
    if latest and charter.valid_from < latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _("En ny version kan inte gälla före den nuvarande (%(d)s).")
                % {"d": latest.valid_from.isoformat()}
            }
        )
    for field in CHARTER_RICH_TEXT:  # the editor's HTML, or plain text made into paragraphs and lists
        setattr(charter, field, sanitise(getattr(charter, field)))
    if not charter.purpose:
        raise ValidationError({"purpose": CHARTER_PURPOSE_EMPTY})
    charter.pk = None
    charter.body = body
    charter.version = (latest.version + 1) if latest else 1
    charter.created_by = actor if actor and actor.is_authenticated else None
    return _save(charter, actor=actor, reason=reason or _("Ny version av uppdragsbeskrivningen"))


def vacancy_register(*, actor, body: Body, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """Register an open seat in the body."""
    vacancy.body = body
    return vacancy_save(actor=actor, vacancy=vacancy, reason=reason)


@transaction.atomic
def vacancy_save(*, actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    _check_seat(actor, vacancy)
    vacancy.full_clean()
    return _save(vacancy, actor=actor, reason=reason or _("Vakans registrerad"))


# --- population --------------------------------------------------------------------------------

POPULATION_SOURCE_TOO_LONG = _lazy("Skriv källan med högst 120 tecken, t.ex. ”SCB, folkmängd 31 december 2024”.")


@transaction.atomic
def population_import(*, actor, rows, source: str = "SCB") -> tuple[int, int]:
    """Write a preview's rows (governance.population.Row) all or none: only the administrator and the GITS
    coordinators (rules.IMPORT_POPULATION); each row a known municipality, one per municipality and year, every year
    complete for all of them. A figure already stored with the same population and source is left as it is.
    Returns (created, changed)."""
    from . import population

    _require(actor, rules.IMPORT_POPULATION, refusal=rules.POPULATION_IMPORT_REFUSED)
    source = (source or "").strip() or "SCB"
    if len(source) > (PopulationFigure._meta.get_field("source").max_length or 0):
        raise ValidationError({"source": POPULATION_SOURCE_TOO_LONG})
    rows = list(rows)
    errors = population.rows_errors(rows, population.municipalities()) if rows else [str(population.NO_FIGURES)]
    if errors:
        raise ValidationError(errors)
    years = {r.year for r in rows}
    stored = {
        (f.organisation_id, f.year): f for f in PopulationFigure.objects.select_for_update().filter(year__in=years)
    }
    why = _("Folkmängd importerad (%(s)s)") % {"s": source}
    created = changed = 0
    for row in rows:
        figure = stored.get((row.organisation_id, row.year))
        if figure is None:
            figure = PopulationFigure(organisation_id=row.organisation_id, year=row.year)
            created += 1
        elif figure.population == row.population and figure.source == source:
            continue
        else:
            changed += 1
        figure.population, figure.source = row.population, source
        _save(figure, actor=actor, reason=why)
    return created, changed


def today() -> datetime.date:
    return timezone.localdate()
