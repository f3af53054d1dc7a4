"""Demo data for issue 12: the three processes, the reference group's backlog from the wish list of its start-up
meeting (seed 000), and one forum per process with a first topic (the questions seed 000 suggests). Written through
the services, on the story's dates (core.audit.story_clock). Idempotent: found by title or slug."""

import datetime

from django.contrib.auth import get_user_model

from core import audit

from . import backlog
from .case_models import BacklogItem, Forum, Process
from .models import Body, Person, Subregion

D = datetime.date

PROCESSES = [
    (
        "In- och utskrivning",
        "in-och-utskrivning",
        "Samordnad vård- och omsorgsplanering vid in- och utskrivning från sluten hälso- och sjukvård.",
        10,
    ),
    ("SIP", "sip", "Samordnad individuell plan.", 20),
    ("Öppenvård", "oppenvard", "Samordnad planering i öppenvårdsprocessen.", 30),
]

# The wish list of the start-up meeting: (title, description, process slug or None, author, supported by).
BACKLOG = [
    (
        "Gemensam rutin för loggning",
        "Hur följer vi upp loggar i IT-tjänsten, och kan vi ha en länsgemensam rutin för det?",
        None,
        "fyrbodal",
        ["skaraborg"],
    ),
    (
        "Livscykelhantering av behörigheter",
        "Hur tas behörigheter bort när någon byter uppdrag eller slutar? Ett gemensamt arbetssätt behövs.",
        None,
        "skaraborg",
        ["fyrbodal"],
    ),
    (
        "Reservrutin när IT-tjänsten inte fungerar",
        "En gemensam reservrutin för planering vid utskrivning när tjänsten ligger nere.",
        "in-och-utskrivning",
        "fyrbodal",
        [],
    ),
    (
        "Makulering av felaktiga uppgifter",
        "Hur hanteras uppgifter som registrerats fel i IT-tjänsten?",
        None,
        "skaraborg",
        [],
    ),
    (
        "Nya målgrupper: tandvården, barn och unga",
        "Ska fler verksamheter och målgrupper använda tjänsten, och i vilken ordning?",
        "sip",
        "fyrbodal",
        [],
    ),
]

# One topic per forum: (process slug, title, author, first post, replies by).
TOPICS = [
    (
        "in-och-utskrivning",
        "Planeringsmötet, behövs det?",
        "fyrbodal",
        "Hos oss hålls planeringsmötet allt mer sällan. Hur gör ni, och vad skulle vi förlora utan det?",
        ["skaraborg"],
    ),
    (
        "sip",
        "Samtycke för barn och unga i SIP-processen",
        "skaraborg",
        "Vem lämnar samtycke när barnet är tolv år, och hur dokumenterar ni det?",
        ["fyrbodal"],
    ),
    (
        "oppenvard",
        "Vilken nytta har skolan av öppenvårdsprocessen?",
        "fyrbodal",
        "Skolan är ofta med i samverkan kring barn. Kan den ha nytta av planeringen i IT-tjänsten?",
        [],
    ),
]
REPLIES = {
    "skaraborg": "Vi har samma fråga i Skaraborg och vill gärna jämföra arbetssätt.",
    "fyrbodal": "I Fyrbodal har vi en lokal rutin som vi kan dela inför nästa möte.",
}


def _user(username):
    return get_user_model().objects.get(username=username)


def _subregion_of(username) -> Subregion | None:
    person = Person.objects.get(user__username=username)
    seat = person.memberships.filter(subregion__isnull=False).select_related("subregion").first()
    return seat.subregion if seat else None


def seed_processes() -> dict[str, Process]:
    processes = {}
    for name, slug, description, order in PROCESSES:
        process = Process.objects.filter(slug=slug).first()
        if process is None:
            process = audit.create(
                Process,
                actor=None,
                reason="Demodata",
                name=name,
                slug=slug,
                description=description,
                sort_order=order,
            )
        processes[slug] = process
    return processes


def seed_backlog(processes: dict[str, Process]) -> None:
    ref = Body.objects.get(slug="referensgrupp-shvo")
    if BacklogItem.objects.filter(body=ref).exists():
        return
    with audit.story_clock(audit.story_moment(D(2026, 2, 4), 10)):
        for n, (title, description, process, author, supporters) in enumerate(BACKLOG):
            audit.story_time(audit.story_moment(D(2026, 2, 4 + n), 10))
            item = backlog.backlog_add(
                actor=_user(author),
                body=ref,
                title=title,
                description=f"<p>{description}</p>",
                process=processes.get(process) if process else None,
                proposed_by=_subregion_of(author),
            )
            for supporter in supporters:
                backlog.backlog_support(
                    actor=_user(supporter),
                    item=item,
                    note=f"Vi i {_subregion_of(supporter)} har samma behov.",
                )
            if n == 0:
                backlog.backlog_comment(
                    actor=_user("skaraborg"),
                    item=item,
                    text="<p>Vi loggar i dag stickprov en gång i månaden. Vi kan berätta hur på nästa möte.</p>",
                )
                backlog.backlog_prioritise(actor=_user("sekreterare"), item=item, priority=BacklogItem.Priority.HIGH)


def seed_forums(processes: dict[str, Process]) -> None:
    ref = Body.objects.get(slug="referensgrupp-shvo")
    convener = Person.objects.get(user__username="samordnare")
    with audit.story_clock(audit.story_moment(D(2026, 3, 10), 9)):
        for slug, process in processes.items():
            forum = Forum.objects.filter(process=process).first()
            if forum is None:
                forum = audit.create(
                    Forum,
                    actor=None,
                    reason="Demodata",
                    process=process,
                    convener=convener,
                    description=f"Öppet forum för frågor i processen {process.name.lower()}.",
                )
                with audit.recording(actor=None, reason="Demodata"):
                    forum.bodies.add(ref)
            if forum.topics.exists():
                continue
            for topic_slug, title, author, text, repliers in TOPICS:
                if topic_slug != slug:
                    continue
                topic = backlog.forum_topic_create(actor=_user(author), forum=forum, title=title, text=f"<p>{text}</p>")
                for replier in repliers:
                    backlog.forum_post(actor=_user(replier), topic=topic, text=f"<p>{REPLIES[replier]}</p>")


def seed() -> None:
    processes = seed_processes()
    seed_backlog(processes)
    seed_forums(processes)
