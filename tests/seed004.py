"""Seed 004 (the minutes of a subregional management group, LGS Göteborgsområdet, 2023-11-30) entered the way a
secretary enters an earlier year's minutes, only through the real services: the group and its seats, the
attendance with titles as they were (present, förhinder, one adjungerad, two invited guests typed on the spot who
are not in the portal), the 15 numbered items with their ställningstaganden and actions (owners, deadlines), the
justering that happened on paper on 2023-12-05 by the chair and the vice chair, and the publishing as PDF.

The seed's facts and structure are kept (dates, titles, the agenda, who decided what and by when); its people are
fictional, and its prose is not copied (the notes and positions are short paraphrases).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from governance import services as governance_services
from governance.models import Body, Membership, Person
from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting, Minutes
from tests.factories import superuser

D, T = datetime.date, datetime.time
MEETING_DAY = D(2023, 11, 30)
JUSTERAT_ON_PAPER = D(2023, 12, 5)
SEATS_FROM = D(2023, 1, 1)

# (first name, last name, title at the meeting, membership role, the role as the minutes write it)
PRESENT = [
    ("Sofia", "Lund", "Förvaltningsdirektör, ÄVO, Göteborg", Membership.Role.CHAIR, "LGS ordf."),  # the demo's chair
    ("Ylva", "Persson", "T.f. Avd. chef myndighet/socialpsykiatri, FFS, Göteborg", Membership.Role.MEMBER, ""),
    ("Lena", "Nordin", "Verksamhetschef, ANS/Sjukhusen i väster", Membership.Role.MEMBER, ""),
    ("Margareta", "Tell", "Områdeschef, 6, SU", Membership.Role.MEMBER, ""),
    ("Åsa", "Strand", "Områdeschef, 3, SU", Membership.Role.MEMBER, ""),
    ("Henrik", "af Sandberg", "Verksamhetschef Västerläkarna, PrimÖR", Membership.Role.MEMBER, ""),
    ("Anna-Sofia", "Rydén", "Avdelningschef Koncernstab strategisk Hälso- och sjukvård", Membership.Role.MEMBER, ""),
    ("Karin", "Melander", "Avdelningschef Hälso- och sjukvård Göteborgs stad", Membership.Role.MEMBER, ""),
    ("Carl-Johan", "Aspelin", "Chefläkare, Kvarterskliniken- Medtanken Group, PrimÖR", Membership.Role.MEMBER, ""),
    ("Majken", "Berg", "Regionområdeschef, barnläkare, Spec. BoU Regionhälsan", Membership.Role.MEMBER, ""),
    ("Malin", "Tornell", "Socialchef, Öckerö kommun", Membership.Role.MEMBER, ""),
    (
        "Agnes",
        "Fredriksson",
        "Samordningsansvarig processledare Pol. Samråd, LGS",
        Membership.Role.SECRETARY,
        "LGS processledare",
    ),
    ("Marita", "Lind", "Planeringsledare, GR, Social välfärd", Membership.Role.CO_OPTED, "adj."),
]
ABSENT = [
    ("Annika", "Lindahl", "Primärvårdschef, Område 5 Närhälsan", Membership.Role.VICE_CHAIR, "LGS vice ordf."),
    ("Henrika", "Almér", "Primärvårdschef, Område 4 Närhälsan", Membership.Role.MEMBER, ""),
    ("Anneli", "Wass", "Verksamhetschef, Habilitering Vuxen, VGR", Membership.Role.MEMBER, ""),
    ("Anna", "Ljunggren", "Förvaltningsdirektör, IFO, Göteborg Sydväst", Membership.Role.MEMBER, ""),
    ("Erika", "Hägglund", "Förvaltningschef, vård och omsorg, Partille kommun", Membership.Role.MEMBER, ""),
    ("Helena", "Gunnarsdotter", "Chefläkare sjukhusledningen SU", Membership.Role.MEMBER, ""),
    ("Marie", "Rosén", "Verksamhetschef enligt HSL grundskoleförvaltningen", Membership.Role.MEMBER, ""),
    ("Ulrika", "Nyfält", "Tandvårdschef Allmäntandvård VGR", Membership.Role.MEMBER, ""),
]
# Invited, not in the portal: typed on the attendance page (name, title, organisation).
GUESTS = [
    ("Cecilia Lundgren", "Processledare TG Äldre och Rehab/Habilitering", "Samverkanskontoret Göteborgsområdet"),
    ("Ingvar Bergström", "Lokalt processtöd vårdssamverkan/SU, UG SAMSA", "Sahlgrenska Universitetssjukhuset"),
]
SECRETARY = "Agnes Fredriksson"
CHAIR = "Sofia Lund"
VICE_CHAIR = "Annika Lindahl"

# The 15 items: (title, presenters, notes, [(kind, ställningstagande)], [(action, owner, deadline)])
ITEMS = [
    (
        "Inledning",
        CHAIR,
        "<p>Ordföranden hälsar välkommen. Två nya ledamöter presenterar sig: Anna-Sofia Rydén och Majken Berg.</p>",
        [("decision", "Dagordningen fastställs med en övrig fråga. Föregående protokoll läggs till handlingarna.")],
        [],
    ),
    (
        "Länsgemensam uppföljning God och nära vård",
        "Agnes Fredriksson",
        "<p>VVG ber varje delregionalt vårdsamverkansområde om ett gemensamt svar. Materialet följer en annan "
        "geografisk indelning än vårdsamverkansområdena och mäter lite av själva samverkan. Processledaren har tagit "
        "fram ett förslag till svar.</p>",
        [
            (
                "decision",
                "Synpunkter på förslaget till gemensamt enkätsvar om God och nära vård lämnas till processledaren "
                "senast 2023-12-10; hon skickar därefter in det gemensamma svaret.",
            )
        ],
        [
            ("Lämna synpunkter på förslaget till gemensamt enkätsvar", "LGS ledamöter", D(2023, 12, 10)),
            ("Skicka in det gemensamma svaret till VästKom och koncernkontoret", SECRETARY, D(2023, 12, 15)),
        ],
    ),
    (
        "Primärvårdens förmåga i krig, PFIK",
        "Anna-Sofia Rydén",
        "<p>Projektet utreder hur primärvård, slutenvård, kommunal hemsjukvård och omsorg samverkar vid höjd "
        "beredskap och krig, och söker deltagare från de delregionala samverkansområdena (diarienummer "
        "RS 2023-02196).</p>",
        [
            (
                "decision",
                "LGS deltar i arbetet med PFIK. Förslag på personer från kommunal hälso- och sjukvård och "
                "biståndsenheten prioriteras, gärna från Göteborgs stad; namnen skickas till processledaren senast "
                "2023-12-04.",
            )
        ],
        [("Skicka förslag på personer till arbetet med PFIK", "LGS ledamöter", D(2023, 12, 4))],
    ),
    (
        "Temagrupperna",
        "Agnes Fredriksson",
        "<p>Förslaget är att handlingsplanerna gäller i två år, med uppföljning under året och slutrapport i "
        "årsrapporten.</p>",
        [
            (
                "decision",
                "LGS ställer sig bakom att temagruppernas handlingsplaner gäller i två år. Planerna justeras efter "
                "dagens beslut och förs över till den nya mallen.",
            )
        ],
        [("Justera handlingsplanerna och för över dem till den nya mallen", "Temagrupperna", None)],
    ),
    (
        "Uppföljning Utvecklingsgrupp SAMSA",
        "Cecilia Lundgren och Ingvar Bergström",
        "<p>Delmål 1 om in- och utskrivningsprocessen återremitteras till beredningsgruppen. GITS föreslår att "
        "frågan tas in i sin reviderade uppdragsbeskrivning för 2024–2025 inför övergången till Millennium.</p>",
        [
            (
                "decision",
                "LGS ställer sig bakom beredningsgruppens förslag: UG SAMSA:s ordförande lämnar förslag till en "
                "tidsbegränsad, reviderad uppdragshandling och handlingsplan, och en uppdaterad offert på "
                "tjänstedesign tas fram.",
            )
        ],
        [
            (
                "Lämna förslag till reviderad uppdragshandling och handlingsplan för UG SAMSA",
                "UG SAMSA:s ordförande",
                None,
            ),
            ("Ta fram uppdaterad offert på tjänstedesign för processbeskrivning", "LGS beredningsgrupp", None),
        ],
    ),
    (
        "Utveckling av LGS arbetssätt",
        "Agnes Fredriksson",
        "<p>Utvecklingsområdena från workshopen våren 2022 gås igenom. Ledamöterna föredrar planerade halvdagar "
        "framför heldagar.</p>",
        [
            (
                "decision",
                "LGS börjar, som ett första steg i ett förändrat arbetssätt, med regelbundna informationsutskick för "
                "att frigöra mötestid till dialog.",
            )
        ],
        [],
    ),
    (
        "Avvikelser i samverkan",
        "Agnes Fredriksson",
        "<p>Andelen avvikelser om bristande informationsöverföring och följsamhet till rutiner är fortsatt hög.</p>",
        [
            (
                "decision",
                "En analysgrupp tar med stöd av TG och NOSAM fram underlag om förbättringsarbete kring avvikelserna "
                "och återkommer till LGS.",
            )
        ],
        [("Ta fram fördjupad analys av avvikelserna i samverkan", "Analysgruppen", None)],
    ),
    (
        "Information VVG",
        "Anna-Sofia Rydén",
        "<p>Den regionala politiska organisationen som gäller från 2023-01-01 och VVG:s möte 2023-11-17 redovisas.</p>",
        [("noted", "LGS noterar informationen från VVG.")],
        [],
    ),
    (
        "Statistiksammanställning In- och utskrivningsprocessen",
        "Agnes Fredriksson",
        "<p>Statistiken bekräftar lägesbilden; avvikelserna hänger samman med bristande följsamhet till rutinen "
        "för in- och utskrivning från slutenvården.</p>",
        [
            (
                "decision",
                "UG SAMSA får i uppdrag att ta fram en delregional rutin för in- och utskrivningsprocessen och att "
                "ta del av andra delregioners erfarenheter.",
            )
        ],
        [("Ta fram förslag till delregional rutin för in- och utskrivning", "UG SAMSA", None)],
    ),
    ("Dialogfrågor", "", "<p>Inga frågor har kommit in.</p>", [], []),
    (
        "Temagrupp BoU",
        "",
        "<p>Temagruppen lyfter att förskola och skola i låg grad använder SAMSA, vilket gör att barn och unga inte "
        "når sin SIP via 1177.</p>",
        [("noted", "LGS tar med sig medskicket att uppmana chefer i förskola och skola att ansluta till SAMSA.")],
        [],
    ),
    (
        "Budgetuppföljning",
        "Agnes Fredriksson",
        "<p>Delårsrapporten visar en positiv budgetavvikelse till och med oktober, främst genom vakanta tjänster.</p>",
        [("noted", "LGS noterar budgetuppföljningen; budget 2024 räknas upp med 2,5 % till 5 613 tkr.")],
        [],
    ),
    (
        "Uppföljning politiskt samråd",
        "Agnes Fredriksson",
        "<p>Politiskt samråd har antagit Samverkansplan 2024–2025 med ändrade fokusområden.</p>",
        [("noted", "LGS noterar informationen om Samverkansplan 2024–2025.")],
        [],
    ),
    (
        "Övriga frågor",
        "",
        "<p>a) En ledamot i TG BoU avgår. b) Uppdaterad kontaktlista skickas ut. c) Reservrutinen i SAMSA förutsätter "
        "fax, som en kommun har tagit bort. d) Frågan om vem som bär kostnaden för läkemedelsautomater.</p>",
        [],
        [
            ("Utse ny ledamot i TG BoU", "Anna Ljunggren", None),
            ("Skicka ut uppdaterad kontaktlista inför jul och nyår", SECRETARY, None),
        ],
    ),
    (
        "Sammanfattning och fortsatt hantering",
        CHAIR,
        "<p>Ställningstagandena sammanfattas i slutet av protokollet. Ordföranden tackar och avslutar mötet.</p>",
        [],
        [],
    ),
]


@dataclass
class Seed004:
    meeting: Meeting
    minutes: Minutes
    secretary: object  # the user who entered the minutes
    people: dict[str, Person] = field(default_factory=dict)  # by full name
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)


def _seat(body, first, last, title, role) -> Person:
    """The group's seats on the meeting day: the demo's chair (Sofia Lund), and a seat for everyone else from
    2023 on (the subregion's seats; the secretary's is a staff seat, with a login)."""
    if role == Membership.Role.CHAIR:
        return Membership.objects.get(body=body, role=role, person__last_name=last).person
    staff = role == Membership.Role.SECRETARY
    user = get_user_model().objects.create_user("agnes.fredriksson") if staff else None
    person = Person.objects.create(first_name=first, last_name=last, title=title, user=user)
    seat = Membership(
        body=body, person=person, role=role, start_date=SEATS_FROM, subregion=None if staff else body.subregion
    )
    governance_services.membership_save(actor=superuser(), membership=seat)
    return person


def build(*, publish: bool = True) -> Seed004:
    """Seed 004 entered and (publish=True) published. Publishing renders the PDF: use a temporary MEDIA_ROOT."""
    body = Body.objects.get(slug="lgs-goteborgsomradet")  # the demo's LGS, chaired by Sofia Lund since 2023
    people = {
        f"{first} {last}": _seat(body, first, last, title, role) for first, last, title, role, _ in PRESENT + ABSENT
    }
    secretary = people[SECRETARY].user
    meeting = services.meeting_create(
        actor=secretary,
        meeting=Meeting(
            body=body,
            date=MEETING_DAY,
            start_time=T(9),
            end_time=T(12),
            mode=Meeting.Mode.DIGITAL,  # no video link: digital meetings may be held without one in the portal
            secretary=people[SECRETARY],
            chair=people[CHAIR],
        ),
        adjusters=[people[VICE_CHAIR]],
    )
    # Attendance: the group's seats on the meeting day (titles from the people), then as the minutes say it.
    services.attendance_fill(actor=secretary, meeting=meeting)
    absent = {f"{first} {last}" for first, last, *_ in ABSENT}
    labels = {f"{first} {last}": label for first, last, _, _, label in PRESENT + ABSENT if label}
    titles = {f"{first} {last}": title for first, last, title, _, _ in PRESENT + ABSENT}
    for row in meeting.attendance.select_related("person"):
        name = str(row.person)
        if name in absent:
            row.status = Attendance.Status.ABSENT
        if name == "Marita Lind":
            row.status = Attendance.Status.CO_OPTED
        row.role_label = labels.get(name, row.role_label)
        row.title = titles.get(name, row.title)  # the title at the meeting, whatever the person's is today
        services.attendance_save(actor=secretary, attendance=row)
    for name, title, organisation in GUESTS:
        services.attendance_save(
            actor=secretary,
            attendance=Attendance(
                meeting=meeting,
                guest_name=name,
                title=title,
                guest_organisation=organisation,
                status=Attendance.Status.GUEST,
                group_label="Inbjudna",
            ),
        )
    built = Seed004(meeting=meeting, minutes=services.minutes_for(meeting, actor=secretary), secretary=secretary)
    built.people = people
    # The agenda is rebuilt from the seed: no standing items (the group has no earlier meeting in the portal).
    assert not meeting.items.exists()
    for title, presenters, notes, decisions, actions in ITEMS:
        item = services.agenda_item_save(
            actor=secretary,
            item=AgendaItem(
                meeting=meeting,
                title=title,
                presenters=presenters,
                purpose=AgendaItem.Purpose.DECISION if decisions else AgendaItem.Purpose.INFORMATION,
            ),
        )
        services.item_minutes_save(actor=secretary, item=item, discussion=notes)
        for kind, text in decisions:
            built.decisions.append(services.decision_add(actor=secretary, item=item, kind=kind, text=text))
        for text, owner, due in actions:
            built.actions.append(services.action_add(actor=secretary, item=item, text=text, owner=owner, due_date=due))
    services.minutes_record_paper_justering(
        actor=secretary, meeting=meeting, date=JUSTERAT_ON_PAPER, signers=[people[CHAIR], people[VICE_CHAIR]]
    )
    if publish:
        services.minutes_publish(actor=secretary, meeting=meeting)
    built.minutes = Minutes.objects.get(meeting=meeting)
    return built
