"""Who may do what with governing documents and their revisions, and when (issue 13). Each rule and its Swedish
message live here once; documents.governing (the services) raises them, the pages show them beside the buttons.

The routing rules (seed 000, "Vad innebär redaktionell karaktär?"; seed 001, proposal 2):

- An editorial revision (language, clarity, updated references to the IT service) is approved by the owner body
  (the county-wide reference group) by consensus counted per subregion: every subregion in the consultation has
  agreed, or has let the no-objection window pass; one standing objection stops it (`consensus`). The decision is
  the owner body's, in its justerade minutes (the revision's case on its agenda).
- A principled revision (new rules, changed responsibility), and a new document, cannot be approved by the owner
  body: its case is prepared by the preparation body of the owner's mandate giver (Gemensam beredning) for the
  mandate giver's decision (VVG).
- Anyone in the consultation may escalate an editorial revision to principled, with a reason. The reverse needs the
  owner body's decision (`DEESCALATE_NEEDS_DECISION`).
- A revision is decided against the version it changes: when another revision was approved in between, it must be
  written again on the new version (`STALE_BASE`).
- A local supplement is written by its own subregion's representatives and no others.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import genitive, html_to_text, is_blank
from governance.permissions import (
    NOT_ALLOWED,
    can,
    is_admin,
    is_coordinator,
    is_member_of,
    is_secretary_of,
    member_body_ids,
    person_of,
    represented_subregion_ids,
    rule,
    secretary_body_ids,
)

REGISTER_GOVERNING = "register_governing"  # register a county-wide document (import from Word): obj = owner Body
IMPORT_GOVERNING = "import_governing"  # open the import page: obj = None (a secretary of some body, coordinators)
PROPOSE_REVISION = "propose_revision"  # obj = a county-wide GoverningDocument
TAKE_POSITION = "take_position"  # obj = (Revision, Subregion)
ESCALATE_REVISION = "escalate_revision"  # obj = Revision
EDIT_SUPPLEMENT = "edit_supplement"  # write a local supplement: obj = (county-wide parent GoverningDocument, Subregion)
EXTEND_VALIDITY = "extend_validity"  # obj = GoverningDocument
DEESCALATE_REVISION = "deescalate_revision"  # record the owner body's decision that a principled revision is editorial
COMMENT_REVISION = "comment_revision"  # comment in the consultation: obj = Revision
ANSWER_REVISION_COMMENT = "answer_revision_comment"  # answer a comment in the consultation: obj = RevisionComment
WITHDRAW_REVISION = "withdraw_revision"  # take a proposal back: obj = Revision

REVISION_NOT_OPEN = _("Förslaget är %(s)s och kan inte längre ändras.")
POSITION_NOT_ASKED = _("%(sub)s ingår inte i samrådet om förslaget.")
PROPOSER_NOT_FOR_OWN = _(
    "Du har skrivit förslaget och kan inte ta ställning till det för %(sub)s. Be en annan representant för delregionen."
)
POSITION_NOT_EDITORIAL = _(
    "Förslaget är en principiell ändring. Delregionerna tar inte ställning i samråd; VVG beslutar efter beredning."
)
OBJECTION_NEEDS_REASON = _("Skriv vad ni invänder mot, så att förslagsställaren kan svara på det.")
NO_OBJECTION_TO_WITHDRAW = _("%(sub)s har ingen invändning att återta.")
ALREADY_PRINCIPLED = _("Förslaget är redan en principiell ändring.")
ESCALATE_ON_AGENDA = _(
    "Förslaget står på %(body)s dagordning. Ta upp i mötet att lyfta det till VVG (ställningstagandet ”Lyfts till "
    "annat organ”), eller be sekreteraren stryka det från dagordningen först."
)
ESCALATION_NEEDS_REASON = _("Skriv varför ändringen är principiell (nya regler eller ändrat ansvar).")
RATIONALE_REQUIRED = _("Skriv en motivering: vad ändras och varför.")
NO_CHANGE = _("Förslaget ändrar ingenting i texten. Ändra minst ett avsnitt, eller avbryt.")
CLASS_REQUIRED = _("Välj om ändringen är redaktionell eller principiell.")
NOT_COUNTY_WIDE = _("Ändringar föreslås i länsgemensamma dokument; ett delregionalt tillägg skrivs av delregionen.")
NOT_YOUR_SUBREGION = _("Bara representanter för %(sub)s kan skriva delregionens tillägg.")
PARENT_NOT_IN_FORCE = _(
    "Det länsgemensamma dokumentet har ingen version som gäller än. Skriv tillägget när det har det."
)
PRINCIPLED_NOT_OWNER_SHORT = _(
    "Referensgruppen kan inte fastställa en principiell ändring; den gäller först genom beslut i VVG."
)
CONSENSUS_MISSING = _(
    "Samrådet är inte klart: %(waiting)s. En redaktionell ändring fastställs när alla delregioner har instämt eller "
    "låtit samrådstiden gå ut utan invändning."
)
OBJECTION_STOPS = _("%(sub)s invänder: %(reason)s")
CASE_CLOSED = _(
    "Förslagets ärende är avslutat, så förslaget kan inte längre fastställas. Föreslå ändringen på nytt om den behövs."
)
WRONG_DECIDER = _("%(body)s kan inte fastställa förslaget; det beslutas av %(decider)s.")
DECIDED_BEFORE_PROPOSED = _(
    "Mötet hölls före förslaget (%(d)s). Ett förslag fastställs på ett möte efter att det lades fram."
)
DEESCALATE_BEFORE = _("Välj ett beslut som fattades efter att ändringen blev principiell (%(d)s).")
STALE_BASE = _(
    "Dokumentet har fått en ny version (version %(n)d) sedan förslaget skrevs. Skriv förslaget på nytt mot den "
    "versionen."
)
DEESCALATE_NEEDS_DECISION = _(
    "En principiell ändring blir redaktionell bara genom referensgruppens beslut. Ta upp frågan på referensgruppens "
    "möte och ange paragrafen."
)
DEESCALATE_NOT_PRINCIPLED = _("Förslaget är inte en principiell ändring.")
DEESCALATE_NEW_DOCUMENT = _("Ett nytt dokument beslutas av VVG och kan inte göras till en redaktionell ändring.")
DEESCALATE_DECISION_BODY = _(
    "Välj ett beslut av %(body)s i ett justerat protokoll: bara ägarens beslut kan göra ändringen redaktionell."
)
DEESCALATE_REASON = _("Skriv varför ändringen är redaktionell.")
COMMENT_NOT_OPEN = _("Förslaget är %(s)s. Samrådet är slut och tar inte emot fler kommentarer.")
COMMENT_TEXT_REQUIRED = _("Skriv din kommentar.")
COMMENT_SECTION_UNKNOWN = _("Avsnittet finns inte i den föreslagna versionen. Välj ett avsnitt i listan.")
COMMENT_QUOTE_NOT_FOUND = _(
    "Det markerade stycket finns inte i avsnittet i den föreslagna versionen. Kopiera texten exakt som den står, eller "
    "lämna fältet tomt."
)
COMMENT_QUOTE_WITHOUT_SECTION = _("Ett markerat stycke hör till ett avsnitt. Välj avsnittet det står i.")
ANSWER_OWN_COMMENT = _("Du har skrivit kommentaren och kan inte själv besvara den. Förslagsställaren svarar.")
ANSWER_ALREADY = _("Kommentaren är redan besvarad (%(d)s).")
ANSWER_CHOICE = _("Välj tillgodosedd, delvis tillgodosedd eller inte tillgodosedd.")
ANSWER_REASON = _("Skriv varför kommentaren inte tillgodoses helt.")
WITHDRAW_ON_AGENDA = _(
    "Förslaget står på %(body)s dagordning. Be sekreteraren stryka det från dagordningen innan du återtar det."
)
WITHDRAW_REASON = _("Skriv varför förslaget återtas.")
EXTENSION_DATE = _("Det nya datumet måste vara senare än det nuvarande (%(d)s).")


# --- who works with governing documents ---------------------------------------------------------------------------


def works_with_documents(user) -> bool:
    """Those who see proposals and drafts: anyone holding a seat in the organisation, the coordinators, the
    administrator. The public sees approved versions only."""
    if not user or not user.is_authenticated:
        return False
    return is_admin(user) or is_coordinator(user) or bool(member_body_ids(user))


def stewards_document(user, governing) -> bool:
    """The owner body's secretary, the coordinators and the administrator register and extend documents."""
    return is_admin(user) or is_coordinator(user) or is_secretary_of(user, governing.owner)


@rule(REGISTER_GOVERNING)
def _register(user, owner) -> bool:
    return is_admin(user) or is_coordinator(user) or is_secretary_of(user, owner)


@rule(IMPORT_GOVERNING)
def _import(user, _obj) -> bool:
    return is_admin(user) or is_coordinator(user) or bool(secretary_body_ids(user))


def registrable_owners(user):
    """The county-level bodies whose documents the user may register: every active one for the administrator and the
    coordinators, else those where she is secretary (REGISTER_GOVERNING is the same rule for one body)."""
    from governance.models import Body

    rows = Body.objects.with_status().exclude(status="closed").filter(level=Body.Level.COUNTY)
    if is_admin(user) or is_coordinator(user):
        return rows
    return rows.filter(pk__in=secretary_body_ids(user))


def registrable_owners_name(user) -> str:
    """A name for the rows registrable_owners(user) lists (a kept list of options is named by it): every county-level
    body, or these bodies' pks."""
    if is_admin(user) or is_coordinator(user):
        return "all"
    return ",".join(str(pk) for pk in sorted(secretary_body_ids(user)))


@rule(PROPOSE_REVISION)
def _propose(user, governing) -> bool:
    if governing.is_local:
        return False
    return (
        is_admin(user)
        or is_coordinator(user)
        or is_member_of(user, governing.owner)
        or bool(represented_subregion_ids(user))
    )


def answering_subregion_ids(user, owner) -> set[int]:
    """The subregions the user answers for in a consultation of the owner body: her running representative seats
    in that body (a seat in another body speaks for the subregion there, not here)."""
    from governance.models import Membership

    if not user or not user.is_authenticated:
        return set()
    seats = Membership.objects.current().filter(
        person__user=user, body=owner, subregion__isnull=False, role__in=Membership.REPRESENTATIVE_ROLES
    )
    return set(seats.values_list("subregion_id", flat=True))


@rule(TAKE_POSITION)
def _take_position(user, obj) -> bool:
    revision, subregion = obj
    return subregion.pk in answering_subregion_ids(user, revision.document.owner) and any(
        s.pk == subregion.pk for s in revision.subregions.all()
    )


def in_consultation(user, revision) -> bool:
    """Who is in a revision's consultation: its proposer, the representatives of the subregions asked, the owner
    body's members, the coordinators and the administrator."""
    if not user or not user.is_authenticated:
        return False
    person = person_of(user)
    return (
        is_admin(user)
        or is_coordinator(user)
        or (person is not None and revision.proposed_by_id == person.pk)
        or is_member_of(user, revision.document.owner)
        or bool(represented_subregion_ids(user) & {s.pk for s in revision.subregions.all()})
    )


@rule(ESCALATE_REVISION)
def _escalate(user, revision) -> bool:
    return in_consultation(user, revision)


@rule(COMMENT_REVISION)
def _comment(user, revision) -> bool:
    return in_consultation(user, revision)


def answers_comments(user, revision) -> bool:
    """Who answers the comments on a proposal: its proposer, and the owner body's steward (secretary, coordinators,
    the administrator) when the proposer has left."""
    person = person_of(user)
    return (person is not None and revision.proposed_by_id == person.pk) or stewards_document(user, revision.document)


@rule(ANSWER_REVISION_COMMENT)
def _answer_comment(user, comment) -> bool:
    return answers_comments(user, comment.revision)


@rule(WITHDRAW_REVISION)
def _withdraw(user, revision) -> bool:
    return answers_comments(user, revision)


@rule(EDIT_SUPPLEMENT)
def _edit_supplement(user, obj) -> bool:
    _parent, subregion = obj
    return subregion.pk in represented_subregion_ids(user)


@rule(DEESCALATE_REVISION)
def _deescalate(user, revision) -> bool:
    return stewards_document(user, revision.document)


@rule(EXTEND_VALIDITY)
def _extend(user, governing) -> bool:
    return stewards_document(user, governing)


# --- consensus ----------------------------------------------------------------------------------------------------


@dataclass
class SubregionPosition:
    subregion: Any  # governance.models.Subregion
    stance: str  # "agree" | "object" | "withdrawn" | "" (nothing said)
    reason: str
    row: Any  # the newest documents.RevisionPosition, or None
    counts_as_agreed: bool
    silent_after_window: bool


@dataclass
class Consensus:
    rows: list[SubregionPosition]
    window_ends: datetime.date
    objections: list[SubregionPosition] = field(default_factory=list)
    waiting: list[SubregionPosition] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return bool(self.rows) and not self.objections and not self.waiting


def consensus(revision, *, today: datetime.date | None = None) -> Consensus:
    """Each subregion asked, with its newest stance: agreed, objecting (with its reason), or silent; a silent
    subregion (or one that withdrew its objection) counts as not objecting once the window has passed."""
    today = today or timezone.localdate()
    window_ends = revision.window_ends()
    newest: dict[int, Any] = {}
    for row in sorted(revision.positions.all(), key=lambda p: (p.at, p.pk)):
        newest[row.subregion_id] = row
    result = Consensus(rows=[], window_ends=window_ends)
    for subregion in sorted(revision.subregions.all(), key=lambda s: (s.name, s.pk)):
        row = newest.get(subregion.pk)
        stance = row.stance if row else ""
        silent_passed = stance in ("", "withdrawn") and today > window_ends
        position = SubregionPosition(
            subregion=subregion,
            stance=stance,
            reason=row.reason if row and stance == "object" else "",
            row=row,
            counts_as_agreed=stance == "agree" or silent_passed,
            silent_after_window=silent_passed,
        )
        result.rows.append(position)
        if stance == "object":
            result.objections.append(position)
        elif not position.counts_as_agreed:
            result.waiting.append(position)
    return result


def consensus_refusals(revision, *, today: datetime.date | None = None) -> list[str]:
    """Why the owner body cannot yet approve an editorial revision (empty: consensus holds)."""
    state = consensus(revision, today=today)
    refusals = [str(OBJECTION_STOPS % {"sub": p.subregion, "reason": html_to_text(p.reason)}) for p in state.objections]
    if state.waiting or not state.rows:
        names = ", ".join(str(p.subregion) for p in state.waiting) or "inga delregioner är tillfrågade"
        refusals.append(
            str(
                CONSENSUS_MISSING
                % {"waiting": _("väntar på %(names)s till och med %(d)s") % {"names": names, "d": state.window_ends}}
            )
        )
    return refusals


# --- the checks ----------------------------------------------------------------------------------------------------


def _status(revision) -> str:
    return str(revision.get_status_display()).lower()


def newest_approved(governing):
    """The newest approved version of a document (in force now or from a later date), or None."""
    revision = governing.revisions.filter(status="approved").select_related("version").order_by("-version__number")
    found = revision.first()
    return found.version if found else None


def stale_base_refusals(revision) -> list[str]:
    newest = newest_approved(revision.document)
    if newest is not None and (revision.base_id is None or newest.pk != revision.base_id):
        return [str(STALE_BASE % {"n": newest.number})]
    return []


def propose_check(actor, governing) -> list[str]:
    if governing.is_local:
        return [str(NOT_COUNTY_WIDE)]
    if not can(actor, PROPOSE_REVISION, governing):
        return [str(NOT_ALLOWED)]
    return []


def position_check(actor, revision, subregion, *, stance: str = "", reason: str = "") -> list[str]:
    """May the actor state this subregion's position now (and is what she states complete)?"""
    if not revision.is_open:
        return [str(REVISION_NOT_OPEN % {"s": _status(revision)})]
    if not revision.is_editorial:
        return [str(POSITION_NOT_EDITORIAL)]
    if not any(s.pk == subregion.pk for s in revision.subregions.all()):
        return [str(POSITION_NOT_ASKED % {"sub": subregion})]
    if not can(actor, TAKE_POSITION, (revision, subregion)):
        return [str(NOT_ALLOWED)]
    person = person_of(actor)
    if person is not None and revision.proposed_by_id == person.pk:
        return [str(PROPOSER_NOT_FOR_OWN % {"sub": subregion})]
    if stance == "object" and is_blank(reason):
        return [str(OBJECTION_NEEDS_REASON)]
    if stance == "withdrawn":
        current = consensus(revision)
        if not any(p.subregion.pk == subregion.pk for p in current.objections):
            return [str(NO_OBJECTION_TO_WITHDRAW % {"sub": subregion})]
    return []


def escalate_check(actor, revision, *, reason: str | None = None) -> list[str]:
    if not revision.is_open:
        return [str(REVISION_NOT_OPEN % {"s": _status(revision)})]
    if not can(actor, ESCALATE_REVISION, revision):
        return [str(NOT_ALLOWED)]
    if revision.is_principled:
        return [str(ALREADY_PRINCIPLED)]
    if revision.case is not None and revision.case.status == "on_agenda":
        return [str(ESCALATE_ON_AGENDA % {"body": genitive(str(revision.document.owner))})]
    if reason is not None and is_blank(reason):
        return [str(ESCALATION_NEEDS_REASON)]
    return []


def decisions():
    """meetings.Decision's manager, through a revision's reference to it (documents sits below meetings and imports
    none of it)."""
    from .governing_models import Revision

    return Revision._meta.get_field("decision").related_model._default_manager


def owner_decisions(governing):
    """The owner body's decisions in justerade (or published) minutes, newest first: what a de-escalation cites."""
    return decisions().taken().filter(body=governing.owner).select_related("item__meeting").order_by("-year", "-number")


def deescalate_field_errors(revision, *, decision=None, reason: str | None = None) -> dict[str, str]:
    """What is wrong with the cited decision and the reason of a de-escalation, by field."""
    errors = {}
    if decision is not None:
        since = timezone.localdate(revision.escalated_at or revision.proposed_at)
        if not owner_decisions(revision.document).filter(pk=decision.pk).exists():
            errors["decision"] = str(DEESCALATE_DECISION_BODY % {"body": revision.document.owner})
        elif decision.item.meeting.date < since:
            errors["decision"] = str(DEESCALATE_BEFORE % {"d": since})
    if reason is not None and is_blank(reason):
        errors["reason"] = str(DEESCALATE_REASON)
    return errors


def deescalate_check(actor, revision, *, decision=None, reason: str | None = None) -> list[str]:
    """The reverse of escalation: only the owner body's decision makes a principled revision editorial again; its
    steward (the secretary, a coordinator) records it, citing the § of a justerad decision taken since the change
    became principled."""
    if not revision.is_open:
        return [str(REVISION_NOT_OPEN % {"s": _status(revision)})]
    if not can(actor, DEESCALATE_REVISION, revision):
        return [str(NOT_ALLOWED)]
    if revision.change_class == "new":
        return [str(DEESCALATE_NEW_DOCUMENT)]
    if revision.change_class != "principled":
        return [str(DEESCALATE_NOT_PRINCIPLED)]
    return list(deescalate_field_errors(revision, decision=decision, reason=reason).values())


def quote_in_section(quote: str, body: str) -> bool:
    """The review rounds' rule for a quoted passage (documents.reviews), asked here too."""
    from .reviews import quote_in_section as in_section

    return in_section(quote, body)


def comment_field_errors(revision, *, text: str, section_key: str, quote: str) -> dict[str, str]:
    """What is wrong with a comment, by field: no text, a section the proposed version does not have, a quoted
    passage that is not in that section's text."""
    errors = {}
    if is_blank(text):
        errors["text"] = str(COMMENT_TEXT_REQUIRED)
    if section_key:
        section = revision.version.section(section_key)
        if section is None:
            errors["section_key"] = str(COMMENT_SECTION_UNKNOWN)
        elif quote.strip() and not quote_in_section(quote, section.body):
            errors["quote"] = str(COMMENT_QUOTE_NOT_FOUND)
    elif quote.strip():
        errors["quote"] = str(COMMENT_QUOTE_WITHOUT_SECTION)
    return errors


def comment_check(actor, revision) -> list[str]:
    """May the actor comment on the proposal now: it is open and she is in its consultation."""
    if not revision.is_open:
        return [str(COMMENT_NOT_OPEN % {"s": _status(revision)})]
    if not can(actor, COMMENT_REVISION, revision):
        return [str(NOT_ALLOWED)]
    return []


def answer_check(actor, comment, *, disposition: str | None = None, reason: str | None = None) -> list[str]:
    """May the actor answer this comment now: the proposal is open, she answers its comments, she did not write this
    one, it is not answered yet; and (when given) the answer is complete."""
    revision = comment.revision
    if not revision.is_open:
        return [str(COMMENT_NOT_OPEN % {"s": _status(revision)})]
    if not can(actor, ANSWER_REVISION_COMMENT, comment):
        return [str(NOT_ALLOWED)]
    person = person_of(actor)
    if person is not None and comment.author_id == person.pk:
        return [str(ANSWER_OWN_COMMENT)]
    if comment.is_answered:
        return [str(ANSWER_ALREADY % {"d": timezone.localdate(comment.disposition_at)})]
    if disposition is not None and disposition not in type(comment).Disposition.values:
        return [str(ANSWER_CHOICE)]
    if disposition not in (None, "accepted") and reason is not None and is_blank(reason):
        return [str(ANSWER_REASON)]
    return []


def withdraw_check(actor, revision, *, reason: str | None = None) -> list[str]:
    """May the actor take the proposal back: it is open, she proposed it (or stewards the owner's documents), and it
    is not on a meeting's agenda (the meeting decides it then, or the secretary takes it off first)."""
    if not revision.is_open:
        return [str(REVISION_NOT_OPEN % {"s": _status(revision)})]
    if not can(actor, WITHDRAW_REVISION, revision):
        return [str(NOT_ALLOWED)]
    if revision.case is not None and revision.case.status == "on_agenda":
        return [str(WITHDRAW_ON_AGENDA % {"body": genitive(str(revision.case.owner))})]
    if reason is not None and is_blank(reason):
        return [str(WITHDRAW_REASON)]
    return []


def supplement_check(actor, parent, subregion) -> list[str]:
    if parent.is_local:
        return [str(NOT_COUNTY_WIDE)]
    if not can(actor, EDIT_SUPPLEMENT, (parent, subregion)):
        return [str(NOT_YOUR_SUBREGION % {"sub": subregion})]
    return []


def deciding_body(revision):
    """Who alone may approve the revision: the owner (an editorial revision; a supplement's owner is its subregion's
    body), or the owner's mandate giver, VVG (a principled revision, a new document)."""
    owner = revision.document.owner
    return owner.mandate_giver if revision.is_principled else owner


def owner_approval_refusals(revision, body, *, on: datetime.date | None = None) -> list[str]:
    """May this body's decision, at a meeting `on` that day, approve the revision? Asked by the case outcome guard,
    when the decision is written and again at justering."""
    if not revision.is_open:
        return [str(REVISION_NOT_OPEN % {"s": _status(revision)})]
    if revision.case is not None and not revision.case.is_open:
        return [str(CASE_CLOSED)]
    refusals = []
    decider = deciding_body(revision)
    if revision.is_principled and body.pk == revision.document.owner_id:
        refusals.append(str(PRINCIPLED_NOT_OWNER_SHORT))
    elif decider is None or body.pk != decider.pk:
        named = (decider.short_name or decider.name) if decider else "VVG"
        refusals.append(str(WRONG_DECIDER % {"body": body.short_name or body.name, "decider": named}))
    elif revision.is_editorial:
        refusals.extend(consensus_refusals(revision))
    if on is not None and on < timezone.localdate(revision.deescalated_at or revision.proposed_at):
        refusals.append(str(DECIDED_BEFORE_PROPOSED % {"d": timezone.localdate(revision.proposed_at)}))
    refusals.extend(stale_base_refusals(revision))
    return refusals
