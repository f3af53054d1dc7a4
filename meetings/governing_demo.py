"""Demo governing documents (issue 13, item 7), told as a story through the real services:

- The county-wide discharge routine (in- och utskrivning), owned by Referensgrupp SHVO: version 1 registered as in
  force since 2023 (decided before the portal); version 2 an editorial revision (references to SAMSA updated)
  proposed in February 2026, agreed by every subregion, decided by the reference group on 2026-03-18 and in force
  from the day its minutes were justerade on paper; version 3 an open editorial proposal, proposed a few days before
  the demo is seeded, with two subregions agreed and one objecting.
- Göteborgsområdet's local supplement to the routine, written against version 1 and decided by its ledningsgrupp
  (LGS) in January 2026, so the page warns that the routine has a newer version in force.
- The SIP guideline, in force, with a principled proposal (changed responsibility for calling a SIP meeting)
  prepared by Gemensam beredning and waiting for VVG.

Idempotent: found by slug."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import audit
from documents import governing
from documents.governing_models import GoverningDocument, Revision
from governance.case_models import Process
from governance.models import Body, Person, Subregion

D = datetime.date
T = datetime.time

ROUTINE_SLUG = "rutin-for-in-och-utskrivning"
SIP_SLUG = "riktlinje-for-sip"

ROUTINE_V1 = [
    (
        "Syfte",
        "<p>Rutinen beskriver hur kommunerna och regionen samverkar när en patient skrivs in i och ut från sluten "
        "hälso- och sjukvård, så att insatser efter utskrivningen är planerade när patienten lämnar sjukhuset.</p>",
    ),
    (
        "Inskrivning",
        "<p>Slutenvården skickar ett inskrivningsmeddelande inom 24 timmar från inskrivningen till berörda enheter "
        "i kommunen och primärvården. Meddelandet skickas i IT-tjänsten.</p>",
    ),
    (
        "Planering inför utskrivning",
        "<p>Den fast vårdkontakten i primärvården kallar till samordnad individuell planering när patienten "
        "behöver insatser från flera huvudmän.</p><ul><li>Planeringen dokumenteras i IT-tjänsten.</li>"
        "<li>Patienten och närstående ges möjlighet att delta.</li></ul>",
    ),
    (
        "Utskrivning",
        "<p>Slutenvården meddelar utskrivningsklar i IT-tjänsten. Kommunen och primärvården bekräftar att de "
        "tagit emot meddelandet.</p>",
    ),
    (
        "Ansvar",
        "<table><thead><tr><th>Part</th><th>Ansvar</th></tr></thead><tbody>"
        "<tr><td>Slutenvården</td><td>Inskrivningsmeddelande, utskrivningsklar</td></tr>"
        "<tr><td>Primärvården</td><td>Fast vårdkontakt, kallelse till planering</td></tr>"
        "<tr><td>Kommunen</td><td>Insatser efter utskrivning</td></tr></tbody></table>",
    ),
]


def _v2(sections):
    """Version 2: the IT service named as it is (SAMSA) and a clearer sentence; nothing else changes."""
    out = []
    for title, body in sections:
        body = body.replace("i IT-tjänsten", "i SAMSA")
        if title == "Utskrivning":
            body = body.replace(
                "bekräftar att de tagit emot meddelandet", "bekräftar i SAMSA att de har tagit emot meddelandet"
            )
        out.append((title, body))
    return out


def _v3(sections):
    """Version 3 (open): a clearer heading and an updated reference to the guideline."""
    out = []
    for title, body in sections:
        if title == "Planering inför utskrivning":
            title = "Samordnad planering inför utskrivning"
        if title == "Syfte":
            body += (
                "<p>Rutinen tillämpar den länsgemensamma riktlinjen om in- och utskrivning från sluten hälso- och "
                "sjukvård.</p>"
            )
        out.append((title, body))
    return out


SIP_V1 = [
    (
        "Syfte",
        "<p>Riktlinjen beskriver när och hur en samordnad individuell plan (SIP) upprättas för den som behöver "
        "insatser från både kommunen och regionen.</p>",
    ),
    (
        "Kallelse",
        "<p>Den huvudman som först uppmärksammar behovet kallar till SIP-möte inom tre veckor.</p>",
    ),
    ("Dokumentation", "<p>Planen dokumenteras i SAMSA och delas med den enskilde via 1177.</p>"),
]

SIP_V2_PRINCIPLED = [
    SIP_V1[0],
    (
        "Kallelse",
        "<p>Kommunen ansvarar för att kalla till SIP-möte inom två veckor, oavsett vilken huvudman som "
        "uppmärksammat behovet.</p>",
    ),
    SIP_V1[2],
]

SUPPLEMENT = [
    (
        "Tillägg för Göteborgsområdet",
        "<p>I Göteborgsområdet kallar stadsdelens biståndshandläggare till planeringen när patienten har "
        "hemtjänst sedan tidigare.</p><p>Kontaktvägar till kommunernas mottagningsenheter finns på "
        '<a href="https://www.vardsamverkan.se">vardsamverkan.se</a>.</p>',
    ),
]


def _sections(pairs):
    return [{"key": "", "title": t, "body": b} for t, b in pairs]


def _user(username):
    return get_user_model().objects.get(username=username)


def _rep_user(subregion: Subregion, ref: Body, *, exclude=()):
    """A representative of the subregion in the reference group, as a user (a demo person without a login gets
    none: positions are taken by people who can sign in)."""
    return (
        get_user_model()
        .objects.filter(
            person__memberships__body=ref,
            person__memberships__subregion=subregion,
            person__memberships__end_date__isnull=True,
        )
        .exclude(username__in=exclude)
        .first()
    )


def _decide(*, body: Body, actor, title: str, day: datetime.date, revision: Revision, text: str, paper_day):
    """A meeting of the body that decides the revision (its case on the agenda), justerad on paper."""
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from meetings.signatories import minutes_record_paper_justering, signatories

    meeting = Meeting(body=body, title=title, date=day, start_time=T(9, 0), end_time=T(11, 0), mode="digital")
    chair = body.memberships.filter(role="chair", end_date__isnull=True).select_related("person").first()
    secretary = body.memberships.filter(role="secretary", end_date__isnull=True).select_related("person").first()
    meeting.chair = chair.person if chair else None
    meeting.secretary = secretary.person if secretary else None
    meeting_services.meeting_create(actor=actor, meeting=meeting)
    item = meeting_services.agenda_item_add_case(actor=actor, meeting=meeting, case=revision.case)
    audit.story_time(audit.story_moment(day, 10))
    meeting_services.decision_add(actor=actor, item=item, kind="decision", text=text)
    audit.story_time(audit.story_moment(paper_day, 10))
    minutes_record_paper_justering(actor=actor, meeting=meeting, date=paper_day, signers=list(signatories(meeting)))
    return meeting


def seed() -> None:
    if GoverningDocument.objects.filter(slug=ROUTINE_SLUG).exists():
        return
    ref = Body.objects.get(slug="referensgrupp-shvo")
    lgs = Body.objects.get(slug="lgs-goteborgsomradet")
    processes = {p.slug: p for p in Process.objects.all()}
    coordinator, secretary, admin = _user("samordnare"), _user("sekreterare"), _user("admin")
    fyrbodal_user = _user("fyrbodal")
    goteborg = Subregion.objects.get(slug="goteborgsomradet")
    today = timezone.localdate()

    # The routine in force since 2023, registered with the decision it was taken by.
    with audit.story_clock(audit.story_moment(D(2025, 3, 3), 9)):
        routine = governing.document_register(
            actor=coordinator,
            owner=ref,
            kind="routine",
            title="Rutin för in- och utskrivning",
            sections=_sections(ROUTINE_V1),
            process=processes.get("in-och-utskrivning"),
            rationale="<p>Rutinen förs in i portalen från Word-dokumentet.</p>",
            in_force_reference="VVG 2022-11-25, § 41",
            in_force_from=D(2023, 1, 1),
        )
        assert routine.slug == ROUTINE_SLUG

        # Göteborgsområdet's supplement, written against version 1, decided by LGS in 2025.
        audit.story_time(audit.story_moment(D(2026, 1, 19), 10))
        supplement = governing.supplement_propose(
            actor=_user("goteborg"),
            parent=routine,
            subregion=goteborg,
            sections=_sections(SUPPLEMENT),
            rationale="<p>Arbetssättet i Göteborgsområdet när patienten redan har hemtjänst.</p>",
        )
        _decide(
            body=lgs,
            actor=admin,
            title="LGS: tillägg till rutinen för in- och utskrivning",
            day=D(2026, 1, 26),
            revision=supplement,
            text="LGS fastställer Göteborgsområdets tillägg till rutinen för in- och utskrivning.",
            paper_day=D(2026, 1, 30),
        )

    # Version 2: an editorial revision agreed by every subregion and decided by the reference group.
    with audit.story_clock(audit.story_moment(D(2026, 2, 2), 10)):
        v2 = governing.revision_propose(
            actor=fyrbodal_user,
            governing=routine,
            sections=_sections(_v2(ROUTINE_V1)),
            change_class="editorial",
            rationale="<p>Hänvisningarna till IT-tjänsten uppdateras till SAMSA, som tjänsten heter.</p>",
            base_number=1,
        )
        audit.story_time(audit.story_moment(D(2026, 2, 9), 10))
        for subregion in v2.subregions.all():
            user = _rep_user(subregion, ref, exclude=["fyrbodal"])
            if user is not None:
                governing.position_take(actor=user, revision=v2, subregion=subregion, stance="agree")
        # Subregions without a representative who can sign in let the window pass (14 days).
        audit.story_time(audit.story_moment(D(2026, 3, 2), 10))
        _decide(
            body=ref,
            actor=secretary,
            title="Referensgrupp SHVO: revidering av rutinen för in- och utskrivning",
            day=D(2026, 3, 18),
            revision=v2,
            text="Referensgruppen fastställer den redaktionella revideringen av rutinen för in- och utskrivning "
            "(version 2): hänvisningarna till IT-tjänsten uppdateras till SAMSA.",
            paper_day=D(2026, 3, 25),
        )

    # Version 3: an open editorial proposal, proposed five days ago.
    with audit.story_clock(audit.story_moment(today - datetime.timedelta(days=5), 10)):
        v3 = governing.revision_propose(
            actor=_user("skaraborg"),
            governing=routine,
            sections=_sections(_v3(_v2(ROUTINE_V1))),
            change_class="editorial",
            rationale="<p>Tydligare rubrik för planeringen och en hänvisning till den länsgemensamma riktlinjen.</p>",
            base_number=2,
        )
        audit.story_time(audit.story_moment(today - datetime.timedelta(days=3), 14))
        governing.position_take(
            actor=fyrbodal_user, revision=v3, subregion=Subregion.objects.get(slug="fyrbodal"), stance="agree"
        )
        governing.position_take(
            actor=_user("goteborg"),
            revision=v3,
            subregion=goteborg,
            stance="object",
            reason="<p>Hänvisningen bör gå till överenskommelsen, inte till riktlinjen.</p>",
        )

    # The SIP guideline in force, with a principled proposal prepared by Gemensam beredning for VVG.
    with audit.story_clock(audit.story_moment(today - datetime.timedelta(days=20), 9)):
        sip = governing.document_register(
            actor=coordinator,
            owner=ref,
            kind="guideline",
            title="Riktlinje för SIP",
            sections=_sections(SIP_V1),
            process=processes.get("sip"),
            rationale="<p>Riktlinjen förs in i portalen från Word-dokumentet.</p>",
            in_force_reference="VVG 2021-09-24, § 52",
            in_force_from=D(2022, 1, 1),
        )
        audit.story_time(audit.story_moment(today - datetime.timedelta(days=12), 10))
        governing.revision_propose(
            actor=fyrbodal_user,
            governing=sip,
            sections=_sections(SIP_V2_PRINCIPLED),
            change_class="principled",
            rationale="<p>Kommunen får ansvaret för att kalla till SIP-möte, och tiden kortas till två veckor.</p>",
            base_number=1,
        )
    assert Person.objects.filter(user__username="goteborg").exists()
