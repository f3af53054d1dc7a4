"""Meetings built the way a secretary builds them, only through meetings.services (for the PDF and calendar tests)."""

import datetime

from django.contrib.auth import get_user_model

from governance.models import Body, Person, Subregion
from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting

D, T = datetime.date, datetime.time
MIDSUMMER = D(2026, 6, 17)

DISCUSSION = (
    "<p>Gruppen går igenom förändringsönskemålen för SAMSA. Överföringen av vårdplaner fungerar, men "
    "återkopplingen till öppenvården är för långsam.</p><script>alert('x')</script>"
)
DECISION = "Referensgruppen ställer sig bakom förslaget; åtgärderna för äldre förtydligas i avsnitt 4."
NOTED = "Informationen om SAMSA-förvaltningens ärendeläge noteras."
ESCALATION = "Frågan om nya målgrupper (tandvården, barn och unga) lyfts till VVG för ställningstagande."
ACTION_TEXT = "Sammanställa synpunkter från Fyrbodal på överföringsrutinen"
ACTION_OWNER = "Maria Ek"
ACTION_DUE = D(2026, 7, 1)
SECOND_ACTION = "Återkoppla förslaget till den delregionala vårdsamverkan i Södra Älvsborg"


def person(user):
    return Person.objects.get(user=user)


def adjuster_with_user() -> tuple[Person, object]:
    """Per Åström sits in the reference group without a login; give him one to justera with."""
    adjuster = Person.objects.get(first_name="Per", last_name="Åström")
    if adjuster.user_id is None:
        adjuster.user = get_user_model().objects.create_user("per.astrom")
        adjuster.save()
    return adjuster, adjuster.user


def planned_meeting(
    secretary, chair, body=None, *, date=MIDSUMMER, title="Arbetsmöte om överföringsrutinen", adjusters=()
) -> Meeting:
    body = body or Body.objects.get(slug="referensgrupp-shvo")
    meeting = Meeting(
        body=body,
        date=date,
        title=title,
        start_time=T(13),
        end_time=T(16, 30),
        mode="hybrid",
        place="Regionens hus, Vänersborg",
        video_link="https://video.example.se/referensgrupp",
        secretary=person(secretary),
        chair=person(chair),
    )
    return services.meeting_create(actor=secretary, meeting=meeting, adjusters=list(adjusters))


def add_item(secretary, meeting, title, **fields) -> AgendaItem:
    return services.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title=title, **fields))


def full_minutes(secretary, chair, body=None, *, date=MIDSUMMER, title="Arbetsmöte om överföringsrutinen"):
    """A meeting with attendance (incl. a substitute), notes with å/ä/ö, three decisions, two actions, justerad by
    the chair and a justerare, and an approved correction. Returns (meeting, decisions, actions, adjuster_user)."""
    adjuster, adjuster_user = adjuster_with_user()
    meeting = planned_meeting(secretary, chair, body, date=date, title=title, adjusters=[adjuster])
    rutin = add_item(
        secretary,
        meeting,
        "Rutin för överföring av vårdplaner",
        start_time=T(13, 15),
        purpose="decision",
        presenters="Elin Sjöberg, GITS",
        documents="Förslag till reviderad rutin (version 2.1)\nhttps://example.se/rutin.pdf",
    )
    info = add_item(
        secretary,
        meeting,
        "Ärendeläget i SAMSA-förvaltningen",
        start_time=T(14, 30),
        purpose="information",
        presenters="Förvaltningsledare SAMSA",
    )
    services.agenda_publish(actor=secretary, meeting=meeting)
    services.attendance_fill(actor=secretary, meeting=meeting)
    absent = meeting.attendance.filter(person__last_name="Forsberg").first()  # in the reference group
    if absent:
        absent.status = Attendance.Status.ABSENT
        services.attendance_save(actor=secretary, attendance=absent)
        stand_in = Person.objects.create(first_name="Åsa", last_name="Lindström", title="Enhetschef")
        services.attendance_save(
            actor=secretary,
            attendance=Attendance(
                meeting=meeting,
                person=stand_in,
                status=Attendance.Status.SUBSTITUTE,
                substitute_for=absent.person,
                subregion=Subregion.objects.get(short_name="Södra Älvsborg"),
                role_label="Ersättare",
            ),
        )
    services.item_minutes_save(actor=secretary, item=rutin, discussion=DISCUSSION)
    services.item_minutes_save(actor=secretary, item=info, discussion="<p>Kort lägesbild; inga frågor.</p>")
    decisions = [
        services.decision_add(actor=secretary, item=rutin, kind="decision", text=DECISION),
        services.decision_add(actor=secretary, item=info, kind="noted", text=NOTED),
        services.decision_add(
            actor=secretary, item=info, kind="escalation", text=ESCALATION, escalated_to=Body.objects.get(slug="vvg")
        ),
    ]
    actions = [
        services.action_add(
            actor=secretary,
            item=rutin,
            text=ACTION_TEXT,
            owner=ACTION_OWNER,
            due_date=max(ACTION_DUE, date + datetime.timedelta(days=14)),  # never before the meeting
            subregion=Subregion.objects.get(short_name="Fyrbodal"),
        ),
        services.action_add(actor=secretary, item=rutin, text=SECOND_ACTION, owner="Ingrid Strand"),
    ]
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    services.minutes_respond(actor=adjuster_user, meeting=meeting, approve=True)
    correction = services.correction_add(
        actor=secretary, meeting=meeting, item=info, text="Rättelse: förvaltningsledaren heter Östen Åberg."
    )
    services.correction_approve(actor=chair, correction=correction)
    return meeting, decisions, actions, adjuster_user
