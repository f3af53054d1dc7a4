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
