"""Governing documents for tests (issue 13), built through the real services: a county-wide routine of Referensgrupp
SHVO in force, revisions of every class, the subregions' positions, and the decision that approves a revision in a
meeting whose minutes are justerade by its chair and justerare."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from documents import governing
from governance.models import Body, Membership, Person, Subregion
from tests.factories import make_meeting, make_minutes_in_state

_n = itertools.count(1)
PASSWORD = "styrdokument-losen-1"
SECTIONS = [
    {"key": "syfte", "title": "Syfte", "body": "<p>Rutinen gäller vid utskrivning från sluten vård.</p>"},
    {"key": "ansvar", "title": "Ansvar", "body": "<p>Kommunen ansvarar för insatser efter utskrivning.</p>"},
    {"key": "it-stod", "title": "IT-stöd", "body": "<p>Meddelanden skickas i IT-tjänsten.</p>"},
]


def user(username):
    return get_user_model().objects.get(username=username)


def ref() -> Body:
    return Body.objects.get(slug="referensgrupp-shvo")


def sections(**changes) -> list[dict]:
    """SECTIONS with the bodies named by key replaced."""
    return [{**s, "body": changes.get(s["key"], s["body"])} for s in SECTIONS]


def make_routine(*, title: str | None = None, owner: Body | None = None, actor=None):
    """A county-wide routine registered as in force (since last year) by the coordinator."""
    return governing.document_register(
        actor=actor or user("samordnare"),
        owner=owner or ref(),
        kind="routine",
        title=title or f"Testrutin {next(_n)}",
        sections=[dict(s) for s in SECTIONS],
        in_force_reference="VVG 2022-11-25, § 41",
        in_force_from=timezone.localdate() - datetime.timedelta(days=365),
    )


def propose(doc, *, change_class="editorial", actor=None, body="<p>Meddelanden skickas i SAMSA.</p>", base=None):
    base_number = base if base is not None else governing.rules.newest_approved(doc).number
    return governing.revision_propose(
        actor=actor or user("samordnare"),
        governing=doc,
        sections=sections(**{"it-stod": body}),
        change_class=change_class,
        rationale="<p>Tjänsten heter SAMSA.</p>",
        base_number=base_number,
    )


def rep_user(subregion: Subregion, *, body: Body | None = None, exclude=()):
    """A user for a representative of the subregion in the body (the reference group by default): a demo user when
    one has a login, else the person is given one."""
    seats = (
        Membership.objects.current()
        .filter(body=body or ref(), subregion=subregion, role__in=Membership.REPRESENTATIVE_ROLES)
        .select_related("person__user")
        .order_by("pk")
    )
    for seat in seats:
        person = seat.person
        if person.user_id and person.user.username in exclude:
            continue
        if person.user_id is None:
            person.user = get_user_model().objects.create_user(f"rep-{subregion.slug}-{person.pk}", password=PASSWORD)
            Person.objects.filter(pk=person.pk).update(user=person.user)
        return person.user
    raise AssertionError(f"{subregion} has no representative in {body or ref()}")


def all_agree(revision, *, except_for=()):
    """Every subregion in the consultation agrees, through a representative who did not propose it."""
    proposer = revision.proposed_by.user.username if revision.proposed_by.user_id else ""
    for subregion in revision.subregions.all():
        if subregion.short_name in except_for:
            continue
        governing.position_take(
            actor=rep_user(subregion, exclude=[proposer]), revision=revision, subregion=subregion, stance="agree"
        )


def on_agenda(revision, body: Body | None = None, *, secretary=None):
    """The body's meeting (today) with the revision's case on its agenda: the agenda item."""
    from meetings import services as meeting_services

    body = body or revision.document.owner
    if secretary is None:
        seat = Membership.objects.current().filter(body=body, role="secretary", person__user__isnull=False).first()
        secretary = seat.person.user if seat else None
    chair = Membership.objects.current().filter(body=body, role="chair").select_related("person").first()
    if chair is not None and chair.person.user_id is None:  # e.g. VVG's chair: she signs the minutes
        chair.person.user = get_user_model().objects.create_user(f"ordf-{body.slug}", password=PASSWORD)
        Person.objects.filter(pk=chair.person.pk).update(user=chair.person.user)
    meeting = make_meeting(body, secretary=secretary, date=timezone.localdate())
    return meeting_services.agenda_item_add_case(actor=meeting.secretary.user, meeting=meeting, case=revision.case)


def decide(revision, body: Body | None = None, *, kind="decision", secretary=None, justera=True, item=None, **more):
    """The body decides the revision on its meeting's agenda item (a new meeting today unless `item` is given); the
    minutes are justerade by its chair and justerare (or left a draft). Returns the decision."""
    from meetings import services as meeting_services

    item = item or on_agenda(revision, body, secretary=secretary)
    made = meeting_services.decision_add(
        actor=item.meeting.secretary.user, item=item, kind=kind, text="Beslutet om revisionen.", **more
    )
    if justera:
        make_minutes_in_state(item.meeting, "justerat")
    return made


# --- the POST matrix's objects (tests/test_action_matrix.py) -------------------------------------------------------


def revision_in(state: str) -> dict:
    """A revision proposed by the coordinator (so no representative is its proposer) in a state: open editorial,
    open principled, or approved (editorial, agreed by all, decided by the reference group)."""
    doc = make_routine()
    revision = propose(doc, change_class="principled" if state == "principled" else "editorial")
    if state == "approved":
        all_agree(revision)
        decide(revision)
        revision.refresh_from_db()
    # What a de-escalation cites: a justerad decision of the reference group taken since the change became
    # principled (today's), or the demo's older one where the state refuses anyway.
    decision = ref_decision() if state == "principled" else governing.rules.owner_decisions(doc).first()
    return {"doc": doc, "revision": revision, "decision": decision}


def comment_on(revision, *, username="fyrbodal", section_key="ansvar", quote="", text="Vem ansvarar för hemtjänsten?"):
    """A comment in the revision's consultation (on the section Ansvar by default), through the service."""
    return governing.comment_add(
        actor=user(username), revision=revision, text=text, section_key=section_key, quote=quote
    )


def withdraw(revision, *, username="samordnare", reason="Ändringen behövs inte längre."):
    return governing.revision_withdraw(actor=user(username), revision=revision, reason=reason)


def revision_state(state: str) -> dict:
    """A revision of the POST matrix (revision_in: editorial, principled, approved), or an editorial one on the
    reference group's agenda (its meeting today), or one its proposer took back."""
    if state not in ("on_agenda", "withdrawn"):
        return revision_in(state)
    ctx = revision_in("editorial")
    if state == "on_agenda":
        on_agenda(ctx["revision"])
    else:
        withdraw(ctx["revision"])
    ctx["revision"].refresh_from_db()
    return ctx


def comment_in(state: str) -> dict:
    """Fyrbodal's comment on a revision proposed by the coordinator: open (unanswered), answered (by the proposer), or
    unanswered on a revision since approved or withdrawn."""
    ctx = revision_in("editorial")
    revision = ctx["revision"]
    comment = comment_on(revision)
    if state == "answered":
        governing.comment_answer(actor=user("samordnare"), comment=comment, disposition="accepted", reason="")
    elif state == "approved":
        all_agree(revision)
        decide(revision)
    elif state == "withdrawn":
        withdraw(revision)
    revision.refresh_from_db()
    comment.refresh_from_db()
    return {**ctx, "comment": comment}


def is_withdrawn(ctx) -> bool:
    """The revision is withdrawn and its case closed with it."""
    from documents.governing_models import Revision

    revision = Revision.objects.select_related("case").get(pk=ctx["revision"].pk)
    return revision.status == Revision.Status.WITHDRAWN and revision.case.status == "closed"


def has_new_comment(ctx) -> bool:
    return ctx["revision"].comments.filter(section_key="ansvar", quote="Kommunen ansvarar").exists()


def is_answered_partly(ctx) -> bool:
    ctx["comment"].refresh_from_db()
    return ctx["comment"].disposition == "partly" and "nästa version" in ctx["comment"].disposition_reason


def ref_decision():
    """A decision of the reference group today, its minutes justerade."""
    from meetings import services as meeting_services
    from tests.factories import add_item

    meeting = make_meeting(ref(), secretary=user("sekreterare"), date=timezone.localdate())
    item = add_item(meeting, "Revideringens karaktär", purpose="decision")
    decision = meeting_services.decision_add(
        actor=user("sekreterare"), item=item, kind="decision", text="Ändringen är redaktionell."
    )
    make_minutes_in_state(meeting, "justerat")
    return decision


def subregional_body_for(slug: str) -> Body:
    """A subregional body for the subregion (Fyrbodal has none in the demo): who decides its supplements."""
    subregion = Subregion.objects.get(slug=slug)
    return Body.objects.create(
        name=f"Delregional ledningsgrupp {subregion.short_name}",
        slug=f"lg-{slug}",
        kind=Body.Kind.SUBREGIONAL,
        level=Body.Level.SUBREGIONAL,
        subregion=subregion,
    )


def supplement_state(state: str) -> dict:
    doc = make_routine()
    if state == "-":
        subregional_body_for("fyrbodal")
    return {"doc": doc}


def sections_form(sections_list, **extra) -> dict:
    """The sections form as the page posts it: every section's key, place, title and text (and an empty new one)."""
    data = {}
    for n, section in enumerate(sections_list, start=1):
        data |= {f"key_{n}": section["key"], f"position_{n}": str(n), f"title_{n}": section["title"],
                 f"body_{n}": section["body"]}  # fmt: skip
    n = len(sections_list) + 1
    data |= {f"key_{n}": "", f"position_{n}": str(n), f"title_{n}": "", f"body_{n}": ""}
    return data | extra


def propose_form(ctx) -> dict:
    return sections_form(
        sections(**{"it-stod": "<p>Meddelanden skickas i SAMSA.</p>"}),
        change_class="editorial",
        rationale="Tjänsten heter SAMSA.",
        base_number="1",
    )


def supplement_form(ctx) -> dict:
    return sections_form(
        [{"key": "", "title": "Tillägg för Fyrbodal", "body": "<p>Så gör vi i Fyrbodal.</p>"}],
        rationale="Vårt arbetssätt.",
        base_number="",
    )


def import_confirm_form(ctx, role) -> dict:
    """The import's confirm form, signed as the preview page signs it for the user who posts it."""
    from django.core import signing

    from documents.governing_import_views import IMPORT_SALT

    username = "lasare" if role == "reader" else role
    users = get_user_model().objects.filter(username=username)
    payload = {
        "user": users.first().pk if users.exists() else None,
        "owner": ref().pk,
        "kind": "routine",
        "title": "Importerad rutin",
        "process": None,
        "in_force_reference": "",
        "in_force_from": "",
        "sections": [dict(s) for s in SECTIONS],
    }
    return {"payload": signing.dumps(payload, salt=IMPORT_SALT, compress=True)}
