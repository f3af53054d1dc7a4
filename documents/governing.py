"""Governing documents' services (issue 13): registering a document (from Word), proposing a revision, the
subregions' positions, escalation, local supplements, and approval when the deciding body's minutes are justerade.

Every write checks the rule first (documents.governing_rules), locks what it changes, runs in one transaction and
records history (core.audit). A revision's path is a case (governance.cases): raised for the body that decides it
(the owner for an editorial revision, or the subregional body for a supplement), or prepared by Gemensam beredning
for VVG (a principled revision, a new document). The revision is approved only through the case: when the minutes
holding the decision are justerade, governance calls `_on_case_outcome` inside the justering's transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import audit, store
from core.text import html_to_text, is_blank, sanitise
from governance import case_rules, cases
from governance.case_models import Case, Process
from governance.models import Body, Membership, Person, Subregion
from governance.permissions import require_person

from . import governing_rules as rules
from .governing_models import GoverningDocument, Revision, RevisionComment, RevisionPosition, ValidityExtension
from .models import Document, DocumentVersion
from .services import refuse

Class = Revision.ChangeClass
Stance = RevisionPosition.Stance


# --- reading -------------------------------------------------------------------------------------------------------


def approved_revisions(governing) -> list[Revision]:
    """The approved revisions, newest version first."""
    return list(
        governing.revisions.filter(status=Revision.Status.APPROVED)
        .select_related("version", "decision__item__meeting", "approved_by_body", "proposed_by")
        .order_by("-version__number")
    )


def in_force(governing, on: datetime.date | None = None) -> Revision | None:
    """The revision in force on a day: the approved one with the latest in-force date on or before it (the higher
    version number when two share a date)."""
    on = on or timezone.localdate()
    return (
        governing.revisions.filter(status=Revision.Status.APPROVED, in_force_from__lte=on)
        .select_related("version", "decision__item__meeting", "approved_by_body", "proposed_by")
        .order_by("-in_force_from", "-version__number")
        .first()
    )


@dataclass
class VersionState:
    revision: Revision
    label: str  # "Gäller", "Gäller från <datum>", "Ersatt <datum>", "Förslag", "Återtaget"
    badge: str  # a status_badge value


def current_of(approved, today: datetime.date):
    """Of approved revisions, the one in force on `today` (the rule `in_force` asks the database)."""
    return max(
        (r for r in approved if r.in_force_from <= today),
        key=lambda r: (r.in_force_from, r.version.number),
        default=None,
    )


def version_states(revisions, *, today: datetime.date | None = None) -> list[VersionState]:
    """Each of a document's revisions (pass them all: the state of one depends on the others) with how it stands
    today: in force, in force from a later date, superseded on the day the next one came into force, a proposal,
    withdrawn."""
    today = today or timezone.localdate()
    approved = sorted((r for r in revisions if r.is_approved), key=lambda r: (r.in_force_from, r.version.number))
    current = current_of(approved, today)
    states = []
    for r in revisions:
        if r.is_approved and current is not None and r.pk == current.pk:
            states.append(VersionState(r, _("Gäller"), "active"))
        elif r.is_approved and r.in_force_from > today:
            states.append(VersionState(r, _("Gäller från %(d)s") % {"d": r.in_force_from}, "planned"))
        elif r.is_approved:
            after = approved[approved.index(r) + 1]  # an approved revision in the past, not current: one followed it
            states.append(VersionState(r, _("Ersatt %(d)s") % {"d": after.in_force_from}, "closed"))
        elif r.is_open:
            states.append(VersionState(r, _("Förslag"), "paused"))
        else:
            states.append(VersionState(r, str(r.get_status_display()), "closed"))
    return states


# What the register's table shows comes from these tables (documents, their versions and who decided them, titles and
# kinds, owners, processes, subregions): a change to any of them gives its kept table a new key.
REGISTER_MODELS = (GoverningDocument, Revision, Document, Body, Process, Subregion)

# What a document's page body shows: the register's rows, and who proposed (people) and the cases carrying proposals.
DOCUMENT_BODY_MODELS = (*REGISTER_MODELS, Person, Case)

DOCUMENT_PAGE = ("document", "owner", "process")  # what a document's page shows (a supplement reads its parent too)


def with_text(revision: Revision | None) -> Revision | None:
    """A revision read without its version's text (revisions_visible_to), with the text read now: for the one a page
    shows in full."""
    if revision is not None:
        revision.version = DocumentVersion.objects.get(pk=revision.version_id)
    return revision


def with_current(rows, today: datetime.date):
    """Documents annotated with their version in force on `today` (`current_number`, `current_from`; None when none
    is): the rule of `in_force`, asked in the database for a list of documents."""
    current = Revision.objects.filter(
        document=OuterRef("pk"), status=Revision.Status.APPROVED, in_force_from__lte=today
    ).order_by("-in_force_from", "-version__number")
    return rows.annotate(
        current_number=Subquery(current.values("version__number")[:1]),
        current_from=Subquery(current.values("in_force_from")[:1]),
    )


def register_queryset(user, related=DOCUMENT_PAGE):
    """The register as the user may see it (GoverningDocument.objects.visible_to), with what the page shows (every
    table joined costs the page a millisecond or more: a page that shows less asks for less)."""
    return GoverningDocument.objects.visible_to(user).select_related(*related)


def revisions_visible_to(user, governing):
    """A document's revisions the user may read, without their versions' texts (read when one is shown)."""
    return (
        Revision.objects.visible_to(user)
        .filter(document=governing)
        .select_related("version", "base", "proposed_by", "approved_by_body", "decision__item__meeting", "case")
        .defer("version__content", "base__content")
    )


def revisions_of(user, governing, order=("-version__number",)) -> list[Revision]:
    """A document's revisions the user may read (revisions_visible_to), each knowing its document (their pages' links
    name it) without asking for it again."""
    rows = list(revisions_visible_to(user, governing).order_by(*order))
    for row in rows:
        row.document = governing
    return rows


# --- writing helpers ------------------------------------------------------------------------------------------------


def clean_sections(sections) -> list[dict]:
    """Sections as a version stores them: key, title, sanitised body; blank titles refused, keys unique."""
    result, seen = [], set()
    for n, section in enumerate(sections, start=1):
        title = (section.get("title") or "").strip()[:200]
        if not title:
            raise ValidationError({"sections": _("Avsnitt %(n)d saknar rubrik. Skriv en rubrik.") % {"n": n}})
        key = (section.get("key") or slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o")))[:40]
        key = key or f"avsnitt-{n}"
        base, i = key, 2
        while key in seen:
            key, i = f"{base[:36]}-{i}", i + 1
        seen.add(key)
        result.append({"key": key, "title": title, "body": sanitise(section.get("body") or "")})
    if not result or all(is_blank(s["body"]) for s in result):
        raise ValidationError({"sections": _("Dokumentet innehåller ingen text.")})
    return result


def _new_version(document: Document, *, actor, sections, note: str) -> DocumentVersion:
    number = (DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0) + 1
    return audit.create(
        DocumentVersion,
        actor=actor,
        reason=note,
        document=document,
        number=number,
        content={"sections": sections},
        created_by=actor,
        note=note[:200],
    )


def consultation_subregions(owner: Body):
    """The subregions represented in the owner body today; all subregions when it has no subregion seats."""
    represented = Subregion.objects.filter(
        pk__in=Membership.objects.current().filter(body=owner, subregion__isnull=False).values("subregion")
    )
    return represented if represented.exists() else Subregion.objects.all()


def _deciding_bodies(owner: Body) -> tuple[Body | None, Body | None]:
    """Who prepares and who decides a principled change: the owner's mandate giver (VVG) and the preparation body
    it mandates (Gemensam beredning), found by the structure."""
    decider = owner.mandate_giver
    if decider is None:
        return None, None
    preparing = (
        Body.objects.filter(kind=Body.Kind.PREPARATION, mandate_giver=decider).order_by("sort_order", "pk").first()
    )
    return preparing, decider


NO_ROUTE = _(
    "%(owner)s har ingen uppdragsgivare med en beredning i organisationen, så en principiell ändring kan inte skickas "
    "vidare. Be administratören komplettera organisationen."
)


def _route(revision: Revision, *, actor) -> None:
    """The revision's case: for an editorial revision or a supplement, waiting on the owner body; for a principled
    one (or a new document), prepared by Gemensam beredning for VVG."""
    governing = revision.document
    owner = governing.owner
    if revision.case is None:
        revision.case = cases.case_raise(
            actor=actor,
            body=owner,
            title=_("%(doc)s, version %(n)d") % {"doc": governing.title, "n": revision.version.number},
            description=revision.rationale,
            process=governing.process,
            links=[(_("Förslaget"), revision.get_absolute_url())],
            routed=True,
        )
    if revision.is_principled:
        preparing, decider = _deciding_bodies(owner)
        if preparing is None or decider is None:
            raise ValidationError(NO_ROUTE % {"owner": owner})
        revision.case = cases.case_send_for_preparation(
            actor=actor,
            case=revision.case,
            preparing_body=preparing,
            deciding_body=decider,
            note=_("Principiell ändring: gäller först genom beslut i %(b)s.") % {"b": decider.short_name or decider},
            routed=True,
        )


def _check_base(governing, base_number) -> DocumentVersion | None:
    newest = rules.newest_approved(governing)
    if base_number is not None and newest is not None and newest.number != base_number:
        raise ValidationError(rules.STALE_BASE % {"n": newest.number})
    return newest


# --- registering a document --------------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:70] or "dokument"
    slug, n = base, 2
    while GoverningDocument.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def document_register(
    *,
    actor,
    owner: Body,
    kind: str,
    title: str,
    sections,
    process=None,
    rationale: str = "",
    valid_until: datetime.date | None = None,
    in_force_reference: str = "",
    in_force_from: datetime.date | None = None,
    import_token: str = "",
) -> GoverningDocument:
    """A county-wide document into the register with its first version (imported from Word or written). Either a
    proposal of a new document (decided by VVG after preparation), or, with `in_force_reference` and
    `in_force_from`, a document already in force registered with the decision it was taken by (its provenance says
    so and who registered it)."""
    if not rules.can(actor, rules.REGISTER_GOVERNING, owner):
        raise ValidationError(rules.NOT_ALLOWED)
    errors = {}
    if not title.strip():
        errors["title"] = _("Skriv dokumentets titel.")
    if kind not in Document.Kind.values or kind == Document.Kind.MANAGEMENT_PLAN:
        errors["kind"] = _("Välj vilket slags styrdokument det är.")
    if in_force_reference.strip() and in_force_from is None:
        errors["in_force_from"] = _("Ange från vilket datum dokumentet gäller.")
    if in_force_from is not None and not in_force_reference.strip():
        errors["in_force_reference"] = _("Ange beslutet dokumentet gäller genom, t.ex. VVG 2023-05-26, § 34.")
    if errors:
        raise ValidationError(errors)
    clean = clean_sections(sections)
    person = require_person(actor)
    reason = _("Styrdokument registrerat")
    document = audit.create(Document, actor=actor, reason=reason, kind=kind, title=title.strip()[:300])
    governing = audit.create(
        GoverningDocument,
        actor=actor,
        reason=reason,
        document=document,
        slug=_unique_slug(title),
        process=process,
        owner=owner,
        valid_until=valid_until,
        created_by=actor,
        import_token=import_token[:40],
    )
    version = _new_version(document, actor=actor, sections=clean, note=_("Första versionen"))
    revision = Revision(
        document=governing,
        version=version,
        change_class=Class.NEW,
        rationale=sanitise(rationale) or _("Dokumentet förs in i portalen."),
        proposed_by=person,
        proposed_at=timezone.now(),
    )
    if in_force_from is not None:
        revision.status = Revision.Status.APPROVED
        revision.approved_reference = in_force_reference.strip()[:200]
        revision.in_force_from = in_force_from
        _issue_pdf(revision)
        audit.save(revision, actor=actor, reason=_("Gällande dokument registrerat med sitt beslut"))
        return governing
    audit.save(revision, actor=actor, reason=_("Förslag till nytt dokument"))
    _route(revision, actor=actor)
    audit.save(revision, actor=actor, reason=_("Förslaget är ett ärende"))
    return governing


# --- revisions -----------------------------------------------------------------------------------------------------


@transaction.atomic
def revision_propose(
    *,
    actor,
    governing: GoverningDocument,
    sections,
    change_class: str,
    rationale: str,
    base_number: int | None,
    wanted_from: datetime.date | None = None,
) -> Revision:
    """A revision of a county-wide document: a new version with its class and rationale, in consultation with the
    subregions represented in the owner body (editorial), or sent for preparation for VVG (principled)."""
    governing = GoverningDocument.objects.select_for_update().get(pk=governing.pk)
    refuse(rules.propose_check(actor, governing))
    errors = {}
    if change_class not in (Class.EDITORIAL, Class.PRINCIPLED):
        errors["change_class"] = str(rules.CLASS_REQUIRED)
    rationale = sanitise(rationale)
    if is_blank(rationale):
        errors["rationale"] = str(rules.RATIONALE_REQUIRED)
    if wanted_from is not None and wanted_from < timezone.localdate():
        errors["wanted_from"] = _("Datumet har redan passerat. Välj i dag eller ett senare datum, eller lämna tomt.")
    if errors:
        raise ValidationError(errors)
    base = _check_base(governing, base_number)
    clean = clean_sections(sections)
    if base is not None and base.content.get("sections") == clean:
        raise ValidationError({"sections": str(rules.NO_CHANGE)})
    version = _new_version(governing.document, actor=actor, sections=clean, note=str(Class(change_class).label))
    revision = audit.create(
        Revision,
        actor=actor,
        reason=_("Ändring föreslagen"),
        document=governing,
        version=version,
        base=base,
        change_class=change_class,
        rationale=rationale,
        proposed_by=require_person(actor),
        proposed_at=timezone.now(),
        wanted_from=wanted_from,
    )
    with audit.recording(actor=actor, reason=_("Samråd med delregionerna")):
        revision.subregions.set(consultation_subregions(governing.owner))
    _route(revision, actor=actor)
    return audit.save(revision, actor=actor, reason=_("Förslaget är ett ärende"))


def _locked(revision: Revision) -> Revision:
    return (
        Revision.objects.select_for_update(of=("self",)).select_related("document__owner", "case").get(pk=revision.pk)
    )


@transaction.atomic
def position_take(*, actor, revision: Revision, subregion, stance: str, reason: str = "") -> RevisionPosition:
    """A subregion agrees, objects (with its reason) or withdraws its objection; the newest counts."""
    revision = _locked(revision)
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Välj om delregionen instämmer eller invänder.")})
    refusals = rules.position_check(actor, revision, subregion, stance=stance, reason=reason)
    if refusals == [str(rules.OBJECTION_NEEDS_REASON)]:
        raise ValidationError({"reason": refusals})
    refuse(refusals)
    return _position(actor, revision, subregion, stance, reason)


def _position(actor, revision, subregion, stance, reason) -> RevisionPosition:
    row = RevisionPosition(
        revision=revision,
        subregion=subregion,
        stance=stance,
        reason=sanitise(reason) if stance == Stance.OBJECT else "",
        by=require_person(actor),
    )
    row.save()
    audit.save(
        revision, actor=actor, reason=_("%(sub)s: %(stance)s") % {"sub": subregion, "stance": row.get_stance_display()}
    )
    return row


@transaction.atomic
def revision_escalate(*, actor, revision: Revision, reason: str) -> Revision:
    """Anyone in the consultation makes an editorial revision principled, with a reason: its case goes to Gemensam
    beredning for VVG."""
    revision = _locked(revision)
    reason = sanitise(reason)
    refusals = rules.escalate_check(actor, revision, reason=reason)
    if refusals == [str(rules.ESCALATION_NEEDS_REASON)]:
        raise ValidationError({"reason": refusals})
    refuse(refusals)
    revision.change_class = Class.PRINCIPLED
    revision.escalated_at, revision.escalated_by = timezone.now(), require_person(actor)
    revision.escalation_reason = reason
    audit.save(revision, actor=actor, reason=_("Lyft till principiell ändring"))
    _route(revision, actor=actor)
    return revision


@transaction.atomic
def revision_deescalate(*, actor, revision: Revision, decision, reason: str) -> Revision:
    """The owner body has decided (a § in its justerade minutes) that a principled revision is editorial after all:
    its case at Gemensam beredning and VVG is closed with that reference and a new one waits on the owner, and the
    no-objection window runs again from today (Revision.window_ends; positions already given still count)."""
    revision = _locked(revision)
    reason = sanitise(reason)
    refuse(rules.deescalate_check(actor, revision))  # the role and the revision's state first
    if decision is None:
        raise ValidationError({"decision": _("Välj beslutet som gör ändringen redaktionell.")})
    if errors := rules.deescalate_field_errors(revision, decision=decision, reason=reason):
        raise ValidationError(errors)
    meeting = decision.item.meeting
    cited = f"{revision.document.owner.short_name or revision.document.owner} {meeting.date}, § {decision.number}/{decision.year}"
    if revision.case is not None and revision.case.is_open:
        cases.case_close(
            actor=actor,
            case=revision.case,
            reason=_("Återförd till %(owner)s som redaktionell ändring genom beslut %(ref)s.")
            % {"owner": revision.document.owner, "ref": cited},
            routed=True,
        )
    revision.case = None
    revision.change_class = Class.EDITORIAL
    revision.deescalated_at, revision.deescalation_decision = timezone.now(), decision
    audit.save(revision, actor=actor, reason=_("Återförd till redaktionell ändring (%(ref)s)") % {"ref": cited})
    with audit.recording(actor=actor, reason=_("Samråd med delregionerna")):
        if not revision.subregions.exists():
            revision.subregions.set(consultation_subregions(revision.document.owner))
    _route(revision, actor=actor)
    return audit.save(revision, actor=actor, reason=_("Förslaget är ett ärende"))


# --- comments in the consultation, and taking a proposal back --------------------------------------------------------


@transaction.atomic
def comment_add(*, actor, revision: Revision, text: str, section_key: str = "", quote: str = "") -> RevisionComment:
    """A comment in the consultation on a section of the proposed version (optionally on a passage quoted from it)
    or on the proposal as a whole. The author's subregion is the one she answers for in the consultation, if any."""
    revision = _locked(revision)
    refuse(rules.comment_check(actor, revision))
    text, quote = sanitise(text), quote.strip()[:2000]
    section_key = section_key.strip()
    if errors := rules.comment_field_errors(revision, text=text, section_key=section_key, quote=quote):
        raise ValidationError(errors)
    asked = {s.pk for s in revision.subregions.all()}
    mine = rules.answering_subregion_ids(actor, revision.document.owner) & asked
    return audit.create(
        RevisionComment,
        actor=actor,
        reason=_("Kommentar i samråd"),
        revision=revision,
        section_key=section_key,
        quote=quote,
        author=require_person(actor),
        subregion_id=min(mine) if mine else None,
        text=text,
    )


@transaction.atomic
def comment_answer(*, actor, comment: RevisionComment, disposition: str, reason: str) -> RevisionComment:
    """The proposer answers a comment once: taken care of, partly (with why), or not (with why). The revision is
    locked first, as every write in its consultation is: an answer never races the proposal's withdrawal."""
    revision = _locked(comment.revision)
    comment = RevisionComment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    comment.revision = revision
    reason = sanitise(reason)
    refusals = rules.answer_check(actor, comment, disposition=disposition, reason=reason)
    if refusals == [str(rules.ANSWER_CHOICE)]:
        raise ValidationError({"disposition": refusals})
    if refusals == [str(rules.ANSWER_REASON)]:
        raise ValidationError({"reason": refusals})
    refuse(refusals)
    comment.disposition, comment.disposition_reason = disposition, reason
    comment.disposition_by, comment.disposition_at = require_person(actor), timezone.now()
    return audit.save(comment, actor=actor, reason=_("Kommentar besvarad"))


@transaction.atomic
def revision_withdraw(*, actor, revision: Revision, reason: str) -> Revision:
    """The proposer (or the owner's steward) takes an open proposal back, with a reason: its case is closed with it,
    and the version stays in the history as withdrawn."""
    revision = _locked(revision)
    reason = sanitise(reason)
    refusals = rules.withdraw_check(actor, revision, reason=reason)
    if refusals == [str(rules.WITHDRAW_REASON)]:
        raise ValidationError({"reason": refusals})
    refuse(refusals)
    if revision.case is not None and revision.case.is_open:
        cases.case_close(
            actor=actor,
            case=revision.case,
            reason=_("Förslaget återtogs: %(r)s") % {"r": html_to_text(reason)},
            routed=True,
        )
    revision.status = Revision.Status.WITHDRAWN
    return audit.save(revision, actor=actor, reason=_("Förslaget återtaget"))


# --- approval, through the case ------------------------------------------------------------------------------------


def _revision_of(case: Case) -> Revision | None:
    return Revision.objects.select_related("document__owner").filter(case=case).first()


def _guard(case: Case, body: Body, outcome: str, on: datetime.date | None = None) -> list[str]:
    """governance's outcome guard: a decision approving a revision must be one the routing rules allow."""
    if outcome != "decided":
        return []
    revision = _revision_of(case)
    if revision is None:
        return []
    return rules.owner_approval_refusals(revision, body, on=on)


def _on_case_outcome(*, case: Case, step, body: Body, outcome: str, source: str, actor) -> None:
    """A revision's case got an outcome at justering: decided approves it; escalated makes it principled."""
    revision = _revision_of(case)
    if revision is None or not revision.is_open:
        return
    revision = _locked(revision)
    if outcome == "escalated" and revision.is_editorial:
        revision.change_class = Class.PRINCIPLED
        revision.escalated_at = timezone.now()
        revision.escalation_reason = step.text or step.reference
        audit.save(revision, actor=actor, reason=_("Lyft till principiell ändring genom beslut"))
        preparing, decider = _deciding_bodies(revision.document.owner)
        if preparing is not None and decider is not None:  # prepared by Gemensam beredning for VVG, like any other
            _route(revision, actor=actor)
            audit.save(revision, actor=actor, reason=_("Förslaget bereds för beslut"))
        return
    if outcome != "decided":
        return
    # Checked again under the revision's lock: an objection committed since the decision was written stops it.
    refuse(rules.owner_approval_refusals(revision, body, on=step.happened_on))
    decision = None
    if source.startswith("meetings.decision:"):
        decision = rules.decisions().select_related("item__meeting__minutes").filter(pk=source.split(":", 1)[1]).first()
    justerad = timezone.now()
    day = timezone.localdate(justerad)
    if decision is not None:
        minutes = getattr(decision.item.meeting, "minutes", None)
        justerad = getattr(minutes, "justerat_at", None) or justerad
        day = getattr(minutes, "justerat_on_paper", None) or timezone.localdate(justerad)
    revision.status = Revision.Status.APPROVED
    revision.decision = decision
    revision.approved_by_body = body
    revision.approved_reference = step.reference[:200]
    revision.justerad_at = justerad
    # Never before the day the approval is recorded: a justering dated back on paper does not rewrite the past.
    recorded = timezone.localdate()
    revision.in_force_from = max(revision.wanted_from or day, day, recorded)
    _issue_pdf(revision)
    audit.save(revision, actor=actor, reason=_("Fastställd"))


def _issue_pdf(revision: Revision) -> None:
    """The version's PDF as issued, into the content-addressed store (the row is saved by the caller)."""
    from .governing_pdf import render_revision_pdf

    data = render_revision_pdf(revision)
    stored = store.put(revision.pdf, data)
    revision.pdf_sha256, revision.pdf_size = stored.sha256, stored.size


def connect() -> None:
    """Called once from DocumentsConfig.ready."""
    case_rules.register_outcome_guard(_guard)
    cases.register_outcome_listener(_on_case_outcome)


# --- local supplements and validity --------------------------------------------------------------------------------


def supplement_body(subregion) -> Body | None:
    """The subregional body that decides a subregion's supplements (its ledningsgrupp for samverkan)."""
    return Body.objects.filter(level=Body.Level.SUBREGIONAL, subregion=subregion).order_by("sort_order", "pk").first()


NO_SUPPLEMENT_BODY = _(
    "%(sub)s har inget delregionalt organ i portalen som kan fastställa tillägget. Be administratören lägga in det."
)


@transaction.atomic
def supplement_propose(
    *, actor, parent: GoverningDocument, subregion, sections, rationale: str, base_number: int | None = None
) -> Revision:
    """A subregion's representatives write its supplement to a county-wide document (a new version of it, decided
    by the subregion's body): written against the parent's version in force."""
    refuse(rules.supplement_check(actor, parent, subregion))
    # Two representatives writing the first supplement at once: the second waits here and then adds version 2.
    parent = GoverningDocument.objects.select_for_update().get(pk=parent.pk)
    parent_version = in_force(parent)
    if parent_version is None:
        raise ValidationError(rules.PARENT_NOT_IN_FORCE)
    rationale = sanitise(rationale)
    if is_blank(rationale):
        raise ValidationError({"rationale": str(rules.RATIONALE_REQUIRED)})
    body = supplement_body(subregion)
    if body is None:
        raise ValidationError(NO_SUPPLEMENT_BODY % {"sub": subregion})
    governing = GoverningDocument.objects.select_for_update().filter(parent=parent, subregion=subregion).first()
    if governing is None:
        title = _("%(doc)s – tillägg för %(sub)s") % {"doc": parent.title, "sub": subregion}
        document = audit.create(
            Document, actor=actor, reason=_("Delregionalt tillägg"), kind=parent.document.kind, title=title[:300]
        )
        governing = audit.create(
            GoverningDocument,
            actor=actor,
            reason=_("Delregionalt tillägg"),
            document=document,
            slug=_unique_slug(title),
            process=parent.process,
            owner=body,
            scope=GoverningDocument.Scope.LOCAL,
            parent=parent,
            subregion=subregion,
            created_by=actor,
        )
    base = _check_base(governing, base_number)
    clean = clean_sections(sections)
    if base is not None and base.content.get("sections") == clean:
        raise ValidationError({"sections": str(rules.NO_CHANGE)})
    version = _new_version(governing.document, actor=actor, sections=clean, note=_("Delregionalt tillägg"))
    revision = audit.create(
        Revision,
        actor=actor,
        reason=_("Tillägg föreslaget"),
        document=governing,
        version=version,
        base=base,
        parent_version=parent_version.version,
        change_class=Class.LOCAL,
        rationale=rationale,
        proposed_by=require_person(actor),
        proposed_at=timezone.now(),
    )
    _route(revision, actor=actor)
    return audit.save(revision, actor=actor, reason=_("Förslaget är ett ärende"))


@transaction.atomic
def validity_extend(
    *, actor, governing: GoverningDocument, valid_until: datetime.date, reason: str
) -> ValidityExtension:
    governing = GoverningDocument.objects.select_for_update().get(pk=governing.pk)
    if not rules.can(actor, rules.EXTEND_VALIDITY, governing):
        raise ValidationError(rules.NOT_ALLOWED)
    errors = {}
    if governing.valid_until and valid_until <= governing.valid_until:
        errors["valid_until"] = str(rules.EXTENSION_DATE % {"d": governing.valid_until})
    if not reason.strip():
        errors["reason"] = _("Skriv skälet till förlängningen, t.ex. beslutet som förlängde den.")
    if errors:
        raise ValidationError(errors)
    extension = ValidityExtension(
        document=governing,
        valid_until=valid_until,
        previous_until=governing.valid_until,
        reason=reason.strip()[:500],
        by=actor,
    )
    extension.save()
    governing.valid_until = valid_until
    audit.save(governing, actor=actor, reason=_("Giltighet förlängd"))
    return extension
