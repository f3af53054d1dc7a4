"""Small factories beside the seeded world: plain functions that build bodies, people, seats, meetings and minutes
in any lifecycle state, through the real services (so every rule the services enforce also holds for what they build).

Dates are relative to `timezone.localdate()`. Actors are the factory superuser for structure (bodies, seats, plans)
and the body's secretary for meetings; the chair and justerare are separate Persons with user accounts, and nobody
but the secretary writes the minutes (so justering always has signatories who did not write them).
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from documents import services as document_services
from documents.models import ManagedObject
from governance import services as governance_services
from governance.models import Body, Membership, Person
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting, Minutes

DAY = datetime.timedelta(days=1)
STATES = [s.value for s in Minutes.Status]  # draft, in_justering, justerat, published (in lifecycle order)
_AUTO = object()  # "make one for me" (None means "none at all")
_n = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def superuser():
    """The administrator that sets up structure (bodies, seats, plans): a user without a Person or memberships."""
    user, created = get_user_model().objects.get_or_create(
        username="fabrik-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def make_body(name: str | None = None, *, kind: str = Body.Kind.WORKING, **fields) -> Body:
    n = next(_n)
    name = name or f"Fabriksorgan {n}"
    body = Body(name=name, short_name=fields.pop("short_name", name), slug=f"fabriksorgan-{n}", kind=kind, **fields)
    return governance_services.body_save(actor=superuser(), body=body)


def make_person(*, user: bool = True, first_name: str = "Testa", last_name: str | None = None, **fields) -> Person:
    n = next(_n)
    account = get_user_model().objects.create_user(f"fabrik-person-{n}") if user else None
    return Person.objects.create(
        first_name=first_name, last_name=last_name or f"Fabriksson {n}", user=account, **fields
    )


def make_membership(
    *,
    body: Body,
    person: Person | None = None,
    role: str = Membership.Role.MEMBER,
    subregion=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    party=None,
    actor=None,
) -> Membership:
    """A seat appointed through governance.services.membership_save (by the superuser unless an actor is given).
    The term starts a year ago and runs on unless told otherwise."""
    membership = Membership(
        body=body,
        person=person or make_person(),
        role=role,
        subregion=subregion,
        party=party,
        start_date=start or today() - 365 * DAY,
        end_date=end,
    )
    return governance_services.membership_save(actor=actor or superuser(), membership=membership)


def make_secretary(body: Body, **membership):
    """A user holding a secretary seat (no subregion) in the body: the actor for its meetings."""
    person = make_person(first_name="Sekreterare")
    make_membership(body=body, person=person, role=Membership.Role.SECRETARY, **membership)
    return person.user


def body_chair(body: Body) -> Person:
    """The body's running chair (a Person with a login), appointed when it has none."""
    seat = (
        Membership.objects.current()
        .filter(body=body, role=Membership.Role.CHAIR, person__user__isnull=False)
        .select_related("person")
        .first()
    )
    if seat:
        return seat.person
    return make_membership(body=body, person=make_person(first_name="Ordförande"), role=Membership.Role.CHAIR).person


def make_justerare(body: Body) -> Person:
    """A member of the body with a login, to be a meeting's justerare."""
    return make_membership(body=body, person=make_person(first_name="Justerare")).person


def make_meeting(
    body: Body | None = None,
    *,
    secretary=None,
    chair=_AUTO,
    adjusters=_AUTO,
    date: datetime.date | None = None,
    title: str | None = None,
    **fields,
) -> Meeting:
    """A meeting planned by the body's secretary (a user) through meetings.services.meeting_create. The chair is
    the body's chair and there is one justerare unless told otherwise; chair=None plans it without a chair."""
    body = body or make_body()
    secretary = secretary or make_secretary(body)
    chair = body_chair(body) if chair is _AUTO else chair
    adjusters = [make_justerare(body)] if adjusters is _AUTO else list(adjusters)
    defaults = {
        "start_time": datetime.time(9),
        "end_time": datetime.time(12),
        "mode": Meeting.Mode.DIGITAL,
        "video_link": "https://video.example.se/fabrik",
    }
    meeting = Meeting(
        body=body,
        date=date or today(),
        title=title or f"Fabriksmöte {next(_n)}",
        secretary=Person.objects.get(user=secretary),
        chair=chair,
        **(defaults | fields),
    )
    return meeting_services.meeting_create(actor=secretary, meeting=meeting, adjusters=adjusters)


def secretary_of(meeting: Meeting):
    return meeting.secretary.user


def add_item(meeting: Meeting, title: str = "Punkt", **fields) -> AgendaItem:
    return meeting_services.agenda_item_save(
        actor=secretary_of(meeting), item=AgendaItem(meeting=meeting, title=title, **fields)
    )


def signatories(meeting: Meeting) -> list[Person]:
    people = ([meeting.chair] if meeting.chair_id else []) + list(meeting.adjusters.all())
    return list({p.pk: p for p in people}.values())


def make_minutes_in_state(meeting: Meeting, state: str) -> Minutes:
    """Drive the meeting's minutes through the real services to `state` (draft, in_justering, justerat, published):
    the secretary sends them, every signatory approves (justerare first, the chair last), the secretary publishes.
    Publishing writes a PDF: use a temporary MEDIA_ROOT (the `settings` fixture) in the test."""
    if state not in STATES:
        raise ValueError(f"unknown minutes state {state!r}; one of {STATES}")
    secretary = secretary_of(meeting)
    if not meeting.items.exists():
        add_item(meeting)
    # Started on a copy: creating the row would cache the draft on the caller's instance (meeting.minutes).
    meeting_services.minutes_for(Meeting.objects.get(pk=meeting.pk))
    if state != Minutes.Status.DRAFT:
        meeting_services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    if state in Minutes.LOCKED:
        for person in sorted(signatories(meeting), key=lambda p: p.pk == meeting.chair_id):
            meeting_services.minutes_respond(actor=person.user, meeting=meeting, approve=True)
    if state == Minutes.Status.PUBLISHED:
        from meetings.services import minutes_publish

        minutes_publish(actor=secretary, meeting=meeting)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == state, f"the factory reached {minutes.status}, not {state}"
    return minutes


def make_plan(*, year: int | None = None, actor=None):
    """A draft management plan of a new managed object, created through documents.services.plan_create."""
    n = next(_n)
    managed = ManagedObject.objects.create(
        name=f"Fabriksobjekt {n}",
        short_name=f"FO{n}",
        slug=f"fabriksobjekt-{n}",
        steering_body=make_body(),
        budget_body=Body.objects.filter(slug="sitiv").first(),  # SITIV decides its budget, as in the demo
    )
    return document_services.plan_create(
        actor=actor or superuser(), managed_object=managed, year=year or today().year + 1
    )


def sitiv_decision(*, day=None, text: str = "SITIV fastställer budgeten.", justerad: bool = True, kind="decision"):
    """A decision (§) of SITIV at a meeting on `day` (default: today, so it decides budgets written before it), its
    minutes justerade on paper by the chair the next day at the latest today (or left a draft), all through
    meetings' services, kept by the administrator."""
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from meetings.signatories import minutes_record_paper_justering

    sitiv = Body.objects.get(slug="sitiv")
    day = day or today()
    chair = sitiv.memberships.filter(role="chair").select_related("person").first()
    admin = superuser()
    meeting = Meeting(
        body=sitiv,
        title=f"SITIV {next(_n)}",
        date=day,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(15, 0),
        mode="digital",
        chair=chair.person if chair else None,
    )
    meeting_services.meeting_create(actor=admin, meeting=meeting)
    item = meeting.items.model(meeting=meeting, title="Budget", purpose="decision")
    meeting_services.agenda_item_save(actor=admin, item=item)
    decision = meeting_services.decision_add(actor=admin, item=item, kind=kind, text=text)
    if justerad:
        signed = min(day + datetime.timedelta(days=1), today())
        minutes_record_paper_justering(
            actor=admin, meeting=meeting, date=signed, signers=[chair.person] if chair else []
        )
    return decision


def plan_with_line(coordinator, *, amount=1000, year=None):
    """A draft plan (make_plan) with one budget line written by `coordinator`: Drift och licens, 70 % VGR."""
    from documents.models import BudgetLine

    plan = make_plan(actor=coordinator, year=year)
    line = document_services.budget_line_save(
        actor=coordinator,
        plan=plan,
        line=BudgetLine(heading="Drift", name="Drift och licens", amount=amount, own_region_percent=70),
    )
    return plan, line


def signed_in(user):
    """A test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- issue 12: backlog and forums ------------------------------------------------------------------
# The processes and their forums exist only here (the demo's are the lead's): In- och utskrivning, SIP, Öppenvård.
PROCESSES = [("In- och utskrivning", "in-och-utskrivning"), ("SIP", "sip"), ("Öppenvård", "oppenvard")]


def make_process(name: str = "SIP", slug: str | None = None):
    from governance.case_models import Process

    slug = slug or dict(PROCESSES).get(name) or f"process-{next(_n)}"
    process, _ = Process.objects.get_or_create(slug=slug, defaults={"name": name})
    return process


def make_forum(process_name: str = "SIP", *, bodies=(), convener: Person | None = None):
    """A process's forum (get or create), with the bodies that take part and its convener."""
    from governance.case_models import Forum

    forum, _ = Forum.objects.get_or_create(process=make_process(process_name))
    if convener is not None:
        forum.convener = convener
        forum.save()
    if bodies:
        forum.bodies.add(*bodies)
    return forum


def make_forums(*, bodies=(), convener: Person | None = None) -> list:
    return [make_forum(name, bodies=bodies, convener=convener) for name, _slug in PROCESSES]


def person_of_user(username: str) -> Person:
    return Person.objects.get(user__username=username)


def make_backlog_item(
    body: Body | None = None,
    *,
    author: str = "fyrbodal",
    proposed_by: str | None = "Fyrbodal",
    title: str | None = None,
    process=None,
):
    """A backlog item added through governance.backlog.backlog_add by `author` (a username with a seat in the body)."""
    from governance import backlog
    from governance.models import Subregion

    body = body or Body.objects.get(slug="referensgrupp-shvo")
    return backlog.backlog_add(
        actor=get_user_model().objects.get(username=author),
        body=body,
        title=title or f"Önskemål {next(_n)}",
        description="Vi behöver en gemensam rutin.",
        process=process,
        proposed_by=Subregion.objects.get(short_name=proposed_by) if proposed_by else None,
    )


def make_topic(forum=None, *, author: str = "fyrbodal", title: str | None = None, replies: int = 0):
    """A topic with its first post (and `replies` replies to it) through governance.backlog."""
    from governance import backlog

    forum = forum or make_forum(bodies=[Body.objects.get(slug="referensgrupp-shvo")])
    actor = get_user_model().objects.get(username=author)
    topic = backlog.forum_topic_create(actor=actor, forum=forum, title=title or f"Tråd {next(_n)}", text="Hur gör ni?")
    first = topic.posts.get()
    for i in range(replies):
        backlog.forum_post(actor=actor, topic=topic, text=f"Svar {i + 1}", parent=first if i % 2 else None)
    return topic


def make_working_group(name: str | None = None) -> Body:
    return make_body(name or f"Arbetsgrupp {next(_n)}", kind=Body.Kind.WORKING)


# --- issue 12: cases ---------------------------------------------------------------------------


def make_case(body: Body | None = None, title: str | None = None, *, actor: str | None = None, **fields):
    """A case raised for `body` (default Referensgrupp SHVO) through governance.cases.case_raise, by the user named
    `actor` (default the factory superuser)."""
    from governance import cases

    return cases.case_raise(
        actor=get_user_model().objects.get(username=actor) if actor else superuser(),
        body=body or Body.objects.get(slug="referensgrupp-shvo"),
        title=title or f"Ärende {next(_n)}",
        **fields,
    )


CASE_STATES = ["raised", "preparing", "on_agenda", "decided", "referred_back", "escalated", "reported_back", "closed"]


def _case_outcome(case, outcome: str, **more):
    from governance import cases

    return cases.case_record_outcome(
        actor=superuser(),
        case=case,
        body=case.owner,
        outcome=outcome,
        text="<p>Beslut.</p>",
        reference="§ 3",
        source=f"test:{next(_n)}",
        on=timezone.localdate(),
        **more,
    )


def case_in(state: str):
    """A case raised by Referensgrupp SHVO, brought to `state` through the services (owned by the group throughout,
    except when it is being prepared for VVG or was escalated to VVG)."""
    from governance import cases
    from governance.case_models import CaseStep

    case = make_case(title=f"Ärende i läget {state}")
    if state == "preparing":
        cases.case_send_for_preparation(
            actor=superuser(),
            case=case,
            preparing_body=Body.objects.get(slug="gemensam-beredning"),
            deciding_body=Body.objects.get(slug="vvg"),
        )
    elif state == "on_agenda":
        cases.case_on_agenda(
            actor=superuser(),
            case=case,
            body=case.owner,
            reference="Möte § 2",
            source=f"test:{next(_n)}",
            on=timezone.localdate(),
        )
    elif state == "decided":
        _case_outcome(case, CaseStep.Kind.DECIDED, follow_up_on=timezone.localdate() + datetime.timedelta(days=30))
    elif state == "referred_back":
        _case_outcome(case, CaseStep.Kind.REFERRED_BACK)
    elif state == "escalated":
        _case_outcome(case, CaseStep.Kind.ESCALATED, escalated_to=Body.objects.get(slug="vvg"))
    elif state == "reported_back":
        _case_outcome(case, CaseStep.Kind.DECIDED)
        cases.case_report_back(actor=superuser(), case=case, text="Beslutet gäller från i dag.")
    elif state == "closed":
        cases.case_close(actor=superuser(), case=case, reason="Löst på annat sätt")
    case.refresh_from_db()
    assert case.status == state
    return case
