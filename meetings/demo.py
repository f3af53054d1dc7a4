"""Demo meetings shaped like the seeds: the reference group's start-up meeting (2026-01-28, timed agenda), the
dialogue meeting of 2026-03-05 with published minutes (their history dated as the story goes: agenda in February,
justerade and published in March), and a planned meeting on the Thursday 8–14 days after the day the demo is seeded
(before the review round's deadline). Idempotent: found by body and title, since the planned meeting's date moves with
the calendar."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import audit
from governance.demo import weekday_ahead
from governance.models import Body, Person, Subregion

from . import services
from .models import Attendance, Meeting

D, T = datetime.date, datetime.time
PLANNED_TITLE = "Arbetsmöte om förvaltningsplanen 2027"

STARTUP_AGENDA = [  # (time, title, purpose, presenters)
    (T(9, 30), "Inledning och kort historik för grupp och struktur", "information", "GITS"),
    (T(9, 50), "Uppdragsbeskrivningen: genomgång och dialog om innebörd och tolkning", "discussion", "GITS"),
    (T(10, 15), "Fikapaus", "information", ""),
    (T(10, 30), "Fortsättning uppdragshandlingen", "discussion", "GITS"),
    (T(11, 5), "Fortsatt ambitionsnivå: vad vill vi göra, förändra och utveckla?", "discussion", "Alla"),
    (T(11, 45), "Lunch", "information", ""),
    (
        T(12, 45),
        "Habilitering och Hälsa: planering för breddinförande av SAMSA",
        "information",
        "Habilitering och Hälsa",
    ),
    (T(13, 15), "Samtliga målgrupper: uppdraget i relation till alla berörda verksamheter", "discussion", "Alla"),
    (T(13, 45), "Fikapaus", "information", ""),
    (T(14, 0), "Undergrupperingar för att genomföra förvaltningsplanen", "discussion", "GITS"),
    (T(14, 30), "Kommande möten och medskick till dialogen med beredningsansvariga 5 mars", "decision", "Ordföranden"),
    (T(14, 50), "Summering av dagen", "information", "Ordföranden"),
]

DIALOGUE_ITEMS = [  # (title, presenters, discussion, decisions [(kind, text)], actions [(text, owner, due, subregion)])
    (
        "Välkommen och introduktion",
        "Ordföranden och sekreteraren",
        "<p>Ordföranden hälsar välkommen och går igenom dagens agenda. Alla presenterar sig.</p>",
        [("noted", "Dagordningen fastställs.")],
        [],
    ),
    (
        "SITIV:s avtal och uppdraget samordnad hälsa, vård och omsorg",
        "Beredningsansvariga SITIV",
        "<p>Genomgång av organisationsstrukturen och det gemensamma avtalet från 2011. SITIV styr och leder arbetet "
        "kring de it-stöd som är gemensamma för kommunerna och regionen.</p>",
        [
            (
                "noted",
                "Informationen noteras. GITS får sitt uppdrag från SITIV som arbetar på uppdrag av regionen och "
                "de 49 kommunerna.",
            )
        ],
        [],
    ),
    (
        "VVG:s uppdrag och beslutsprocess samt Referensgrupp SHVO:s uppdrag",
        "Beredningsansvariga VVG",
        "<p>VVG är styrgrupp för förvaltningsobjekt SHVO och tar ställning till den årliga förvaltningsplanen. "
        "Gruppen diskuterar vikten av klarspråk i besluten och följsamhet till gemensamt fattade beslut.</p>",
        [
            (
                "decision",
                "Huvuduppgiften ska bli tydlig i förvaltningsplanen 2027; GITS tar fram ett förslag till "
                "formulering inför nästa möte.",
            )
        ],
        [
            (
                "Ta fram förslag till formulering av huvuduppgiften i förvaltningsplanen 2027",
                "GITS",
                D(2026, 4, 15),
                None,
            )
        ],
    ),
    (
        "Gruppdiskussion: hur arbetar vi mellan mötena?",
        "Alla",
        "<p>Delregionerna beskriver hur information förs till och från respektive område. Flera önskar en gemensam "
        "backlogg för frågor som gruppen ska hantera.</p>",
        [
            ("decision", "En gemensam backlogg för gruppens frågor införs i portalen."),
            (
                "escalation",
                "Frågan om nya målgrupper (tandvården, barn och unga) lyfts till VVG för ställningstagande.",
            ),
        ],
        [
            (
                "Förankra förslaget om gemensam backlogg i den delregionala vårdsamverkan",
                "Representanterna för Fyrbodal",
                D(2026, 4, 30),
                "Fyrbodal",
            ),
            (
                "Förankra förslaget om gemensam backlogg i den delregionala vårdsamverkan",
                "Representanterna för Skaraborg",
                D(2026, 4, 30),
                "Skaraborg",
            ),
            ("Utse representant till den vakanta platsen", "SIMBA", D(2026, 5, 31), "SIMBA"),
        ],
    ),
]


def _user(username):
    return get_user_model().objects.get(username=username)


def planned_date(today: datetime.date) -> datetime.date:
    """The planned meeting: a Thursday 8–14 days ahead, before the 2027 round's deadline (documents.demo)."""
    return weekday_ahead(today, days=8, weekday=3)


def planned_meeting() -> Meeting:
    """The reference group's planned demo meeting, wherever the calendar has put it."""
    return Meeting.objects.get(body__slug="referensgrupp-shvo", title=PLANNED_TITLE)


def _meeting(body, title, **fields):
    existing = Meeting.objects.filter(body=body, title=title).first()
    return existing, Meeting(body=body, title=title, **fields)


def seed() -> None:
    ref = Body.objects.get(slug="referensgrupp-shvo")
    secretary, chair = _user("sekreterare"), _user("ordforande")
    secretary_p, chair_p = Person.objects.get(user=secretary), Person.objects.get(user=chair)
    adjuster = Person.objects.get(user__username="fyrbodal")

    existing, startup = _meeting(
        ref,
        "Uppstartsmöte",
        date=D(2026, 1, 28),
        start_time=T(9, 30),
        end_time=T(15, 0),
        mode="physical",
        place="Göteborg",
        secretary=secretary_p,
        chair=chair_p,
    )
    if not existing:
        with audit.story_clock(audit.story_moment(D(2026, 1, 14), 10)):  # the story's dates, shown in its history
            services.meeting_create(actor=secretary, meeting=startup, adjusters=[adjuster])
            for time, title, purpose, presenters in STARTUP_AGENDA:
                item = startup.items.model(
                    meeting=startup, start_time=time, title=title, purpose=purpose, presenters=presenters
                )
                services.agenda_item_save(actor=secretary, item=item)
            audit.story_time(audit.story_moment(D(2026, 1, 21), 10))
            services.agenda_publish(actor=secretary, meeting=startup)

    existing, dialogue = _meeting(
        ref,
        "Dialogmöte med beredningen för SITIV och VVG",
        date=D(2026, 3, 5),
        start_time=T(13, 0),
        end_time=T(16, 0),
        mode="physical",
        place="Tågvärden, Stationshuset, Göteborg",
        secretary=secretary_p,
        chair=chair_p,
    )
    if not existing:
        with audit.story_clock(audit.story_moment(D(2026, 2, 12), 10)):  # the story's dates, shown in its history
            _seed_dialogue(dialogue, secretary, chair, adjuster)

    existing, planned = _meeting(
        ref,
        PLANNED_TITLE,
        date=planned_date(timezone.localdate()),
        start_time=T(9, 0),
        end_time=T(12, 0),
        mode="digital",
        video_link="https://video.example.se/referensgrupp-shvo",
        secretary=secretary_p,
        chair=chair_p,
    )
    if not existing:
        services.meeting_create(actor=secretary, meeting=planned, adjusters=[adjuster])


def _seed_dialogue(meeting, secretary, chair, adjuster) -> None:
    subregions = {s.short_name: s for s in Subregion.objects.all()}
    services.meeting_create(actor=secretary, meeting=meeting, adjusters=[adjuster])
    for title, presenters, discussion, decisions, actions in DIALOGUE_ITEMS:
        audit.story_time(audit.story_moment(D(2026, 2, 12), 10))  # the agenda, three weeks ahead
        item = meeting.items.model(
            meeting=meeting,
            title=title,
            presenters=presenters,
            purpose="decision" if decisions and decisions[0][0] == "decision" else "information",
        )
        services.agenda_item_save(actor=secretary, item=item)
        audit.story_time(audit.story_moment(D(2026, 3, 5), 13))  # the minutes, at the meeting
        services.item_minutes_save(actor=secretary, item=item, discussion=discussion)
        for kind, text in decisions:
            services.decision_add(
                actor=secretary,
                item=item,
                kind=kind,
                text=text,
                escalated_to=Body.objects.get(slug="vvg") if kind == "escalation" else None,
            )
        for text, owner, due, subregion in actions:
            services.action_add(
                actor=secretary, item=item, text=text, owner=owner, due_date=due, subregion=subregions.get(subregion)
            )
    audit.story_time(audit.story_moment(D(2026, 2, 19), 10))
    services.agenda_publish(actor=secretary, meeting=meeting)
    audit.story_time(audit.story_moment(D(2026, 3, 5), 16))
    services.attendance_fill(actor=secretary, meeting=meeting)
    absent = meeting.attendance.filter(person__last_name="Forsberg").first()
    if absent:
        absent.status = Attendance.Status.ABSENT
        services.attendance_save(actor=secretary, attendance=absent)
    audit.story_time(audit.story_moment(D(2026, 3, 9), 10))
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    audit.story_time(audit.story_moment(D(2026, 3, 10), 9))
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    audit.story_time(audit.story_moment(D(2026, 3, 11), 14))
    services.minutes_respond(actor=adjuster.user, meeting=meeting, approve=True)
    audit.story_time(audit.story_moment(D(2026, 3, 12), 10))
    services.minutes_publish(actor=secretary, meeting=meeting)


SITIV_BUDGET_TITLE = "SITIV:s beslut om budgeten 2026"


def sitiv_budget_decision():
    """SITIV meets on 2026-02-12 and decides the 2026 budget of SHVO (§ 1/2026), its minutes justerade on paper a
    week later by the chair; kept by the administrator. Returns the decision (documents.demo records it on the
    budget). Idempotent: found by body and title."""
    sitiv = Body.objects.get(slug="sitiv")
    meeting = Meeting.objects.filter(body=sitiv, title=SITIV_BUDGET_TITLE).first()
    if meeting is None:
        from .signatories import minutes_record_paper_justering

        admin = _user("admin")
        chair = sitiv.memberships.filter(role="chair").select_related("person").first()
        with audit.story_clock(audit.story_moment(D(2026, 1, 29), 10)):
            meeting = Meeting(
                body=sitiv,
                title=SITIV_BUDGET_TITLE,
                date=D(2026, 2, 12),
                start_time=T(13, 0),
                end_time=T(15, 0),
                mode="digital",
                chair=chair.person if chair else None,
            )
            services.meeting_create(actor=admin, meeting=meeting)
            item = meeting.items.model(
                meeting=meeting, title="Budget 2026 för förvaltningsobjektet SHVO", purpose="decision"
            )
            services.agenda_item_save(actor=admin, item=item)
            audit.story_time(audit.story_moment(D(2026, 2, 12), 14))
            services.decision_add(
                actor=admin,
                item=item,
                kind="decision",
                text="SITIV fastställer budgeten 2026 för SHVO, 15 314 000 kr, fördelad enligt fördelningsnycklarna "
                "i förvaltningsplanen.",
            )
            audit.story_time(audit.story_moment(D(2026, 2, 19), 10))
            signers = [chair.person] if chair else []
            minutes_record_paper_justering(actor=admin, meeting=meeting, date=D(2026, 2, 19), signers=signers)
    return meeting.items.get().decisions.first()


VVG_PROPOSALS_TITLE = "Uppföljning av ledningsrådets pausning"
# Seed 001: four proposed positions prepared for VVG (title, description, outcome kind, decision text, follow-up).
VVG_PROPOSALS = [
    (
        "Uppdrag att bereda gemensamma frågor till VVG och SITIV",
        "GITS utökade ledningsgrupp får ett förtydligat uppdrag att bereda gemensamma frågor kopplade till VVG och "
        "SITIV.",
        "decision",
        "VVG ger gruppen uppdraget att bereda gemensamma frågor till VVG och SITIV. Arbetssättet följs upp under "
        "hösten 2024, och VVG tar då ställning till om ledningsrådet ska avslutas.",
        (D(2024, 10, 31), "Följs upp under hösten 2024: ska ledningsrådet avslutas?"),
    ),
    (
        "Mandat för revideringar av redaktionell karaktär i rutinerna",
        "Förvaltningsgruppen får mandat att revidera rutinen för in- och utskrivning och den kommande rutinen för "
        "öppenvårdsprocessen när ändringarna är av redaktionell karaktär.",
        "referral",
        "Ärendet återremitteras till beredningen: beskriv vad en revidering av redaktionell karaktär omfattar innan "
        "mandatet ges.",
        None,
    ),
    (
        "Översyn av grupperingarna avvaktas",
        "En översyn av samtliga grupperingar görs när hela vårdsamverkansstrukturen ses över.",
        "decision",
        "VVG avvaktar med översynen av grupperingarna tills hela vårdsamverkansstrukturen ses över.",
        None,
    ),
    (
        "Nytt namn: Gemensam beredning VVG och SITIV",
        "GITS utökade ledningsgrupp byter namn till Gemensam beredning VVG och SITIV, och sammansättningen tydliggörs.",
        "decision",
        "Gruppen byter namn till Gemensam beredning VVG och SITIV. Sammansättningen beskrivs i uppdragsbeskrivningen.",
        None,
    ),
]


def seed_vvg_proposals() -> Meeting:
    """VVG's meeting of 2024-01-29 (seed 001): the four proposals raised by GITS as cases, prepared by Gemensam
    beredning, put on VVG's agenda by its secretary, decided (one with a follow-up date) or referred back, the minutes
    justerade on paper a week later, which records each outcome on its case. Idempotent: found by body and title."""
    from governance import cases
    from governance.models import Case

    from .signatories import minutes_record_paper_justering

    vvg = Body.objects.get(slug="vvg")
    existing = Meeting.objects.filter(body=vvg, title=VVG_PROPOSALS_TITLE).first()
    if existing:
        return existing
    gits, beredning = Body.objects.get(slug="gits"), Body.objects.get(slug="gemensam-beredning")
    coordinator, secretary = _user("samordnare"), _user("sekreterare-vvg")
    chair = vvg.memberships.filter(role="chair").select_related("person").first()
    with audit.story_clock(audit.story_moment(D(2024, 1, 8), 10)):
        raised: list[Case] = []
        for title, description, _kind, _text, _follow in VVG_PROPOSALS:
            case = cases.case_raise(actor=coordinator, body=gits, title=title, description=f"<p>{description}</p>")
            raised.append(
                cases.case_send_for_preparation(
                    actor=coordinator, case=case, preparing_body=beredning, deciding_body=vvg
                )
            )
        audit.story_time(audit.story_moment(D(2024, 1, 15), 10))
        meeting = Meeting(
            body=vvg,
            title=VVG_PROPOSALS_TITLE,
            date=D(2024, 1, 29),
            start_time=T(9, 0),
            end_time=T(12, 0),
            mode="digital",
            secretary=Person.objects.get(user=secretary),
            chair=chair.person if chair else None,
        )
        services.meeting_create(actor=secretary, meeting=meeting)
        items = [services.agenda_item_add_case(actor=secretary, meeting=meeting, case=case) for case in raised]
        audit.story_time(audit.story_moment(D(2024, 1, 29), 11))
        for item, (_title, _description, kind, text, follow) in zip(items, VVG_PROPOSALS, strict=True):
            follow_up = {"follow_up_on": follow[0], "follow_up_note": follow[1]} if follow else {}
            services.decision_add(actor=secretary, item=item, kind=kind, text=text, **follow_up)
        audit.story_time(audit.story_moment(D(2024, 2, 5), 10))
        signers = [chair.person] if chair else []
        minutes_record_paper_justering(actor=secretary, meeting=meeting, date=D(2024, 2, 5), signers=signers)
    return meeting
