"""Benchmark data: the demo structure plus "a realistic decade" of governance, at a chosen scale.

    generate(scale)  # after governance.demo.seed() (it calls seed() itself; seed is idempotent)

Scale 1 is a realistic decade (2016 until today): about 300 people and 3 000 memberships with turnover,
34 extra working groups and subregional groups with status changes, renames, charter versions, composition
rules and vacancies, and population figures 2015–2024 for the 49 municipalities. Scale 10 multiplies
people, memberships and groups by ten. The running core demo bodies (VVG, SITIV, GITS, Referensgrupp …) also get
`scale` times as many seats and the GITS coordinators are secretaries of every generated working group, so
the detail pages of a body, a person, an organisation and a subregion grow with the scale too; a page whose
query count grows between scales then shows up in bench/run.py.

Everything is written with bulk_create (no simple-history rows, no model validation); the data still keeps
the rules of the model and services: memberships end on or after they start, one chair and one vice chair
at a time, nobody holds two overlapping seats in the same body, and a seat's next holder either replaces the
previous one the next day (`replaces`) or follows a vacancy that was filled on the day they started.

Generation is deterministic for a given scale and seed. It is organised per app: GENERATORS lists one
function per app, run in order with a shared Context; issues that add meetings, plans or documents add their
own function there. Governing documents (issue 13): twelve county-wide documents per unit of scale with 3–8
versions each over the decade and two local supplements each, plus one 40-page routine in two approved versions
(LONG_ROUTINE_SLUG) for the comparison page.

CLI:  .venv/bin/python bench/generate.py --scale 10   (uses DATABASE_URL like manage.py)
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
D = datetime.date
DAY = datetime.timedelta(days=1)

# The decade the generated memberships cover, and the years of the population figures.
DECADE_START = D(2016, 1, 1)
POPULATION_YEARS = range(2015, 2025)

# Per unit of scale.
PEOPLE_PER_SCALE = 300
WORKING_GROUPS_PER_SCALE = 28
SUBREGIONAL_GROUPS_PER_SCALE = 6
BATCH = 2000

FIRST_NAMES = [
    "Agnes",
    "Albin",
    "Alice",
    "Alma",
    "Anders",
    "Anna",
    "Annika",
    "Arvid",
    "Astrid",
    "Axel",
    "Birgitta",
    "Björn",
    "Camilla",
    "Carl",
    "Cecilia",
    "Daniel",
    "Ebba",
    "Elias",
    "Elin",
    "Elsa",
    "Emil",
    "Emma",
    "Erik",
    "Eva",
    "Fredrik",
    "Frida",
    "Gustav",
    "Hanna",
    "Helena",
    "Henrik",
    "Ida",
    "Ingrid",
    "Isak",
    "Jenny",
    "Johan",
    "Johanna",
    "Jonas",
    "Josefin",
    "Karin",
    "Karl",
    "Kerstin",
    "Lars",
    "Lena",
    "Linnea",
    "Linus",
    "Lisa",
    "Magnus",
    "Maja",
    "Malin",
    "Maria",
    "Martin",
    "Mats",
    "Mikael",
    "Moa",
    "Nils",
    "Olof",
    "Oskar",
    "Per",
    "Petra",
    "Sara",
    "Siv",
    "Sofia",
    "Stina",
    "Sven",
    "Therese",
    "Tove",
    "Ulf",
    "Ulrika",
    "Viktor",
    "Åsa",
    "Östen",
]
LAST_NAMES = [
    "Andersson",
    "Axelsson",
    "Berg",
    "Bergström",
    "Björklund",
    "Blom",
    "Dahlberg",
    "Ek",
    "Ekström",
    "Eriksson",
    "Falk",
    "Forsberg",
    "Gustafsson",
    "Hansson",
    "Hedlund",
    "Holm",
    "Isaksson",
    "Jakobsson",
    "Johansson",
    "Jonsson",
    "Karlsson",
    "Larsson",
    "Lindberg",
    "Lindqvist",
    "Ljungberg",
    "Lundgren",
    "Lundin",
    "Magnusson",
    "Mattsson",
    "Nilsson",
    "Nordin",
    "Nyberg",
    "Olsson",
    "Persson",
    "Pettersson",
    "Sandberg",
    "Sjöberg",
    "Strand",
    "Sundberg",
    "Svensson",
    "Söderberg",
    "Torstensson",
    "Wallin",
    "Wikström",
    "Åberg",
    "Åkesson",
    "Öberg",
    "Östlund",
]
TITLES = [
    "Enhetschef",
    "Verksamhetsutvecklare",
    "Utvecklingsledare",
    "Avdelningschef",
    "Sektionschef",
    "Samordnare",
    "Processledare",
    "Förvaltningschef",
    "Socialchef",
    "Medicinskt ansvarig sjuksköterska",
    "Vårdenhetschef",
    "Systemförvaltare",
    "Strateg",
    "IT-samordnare",
    "Informationssäkerhetssamordnare",
    "Kvalitetsutvecklare",
]
THEMES = [
    "Läkemedel",
    "Informationsöverföring",
    "Utskrivningsklara",
    "SIP",
    "Hemsjukvård",
    "Rehabilitering",
    "Psykiatri",
    "Barn och unga",
    "Äldres hälsa",
    "Demens",
    "Palliativ vård",
    "Digitala tjänster",
    "Journalsystem",
    "Utbildning",
    "Statistik",
    "Avvikelser",
    "Kommunikation",
    "Juridik",
    "Informationssäkerhet",
    "Nationell patientöversikt",
    "Egenvård",
    "Nära vård",
    "Beroende",
    "Vårdplanering",
    "Förskrivning",
    "Hjälpmedel",
    "Nutrition",
    "Munhälsa",
    "Suicidprevention",
    "Våld i nära relationer",
]
CHARTER_PURPOSE = (
    "Gruppen har i uppdrag att {verb} arbetet med {theme} i länet, i samverkan mellan kommunerna och regionen, "
    "och redovisar till uppdragsgivaren."
)


@dataclass
class Context:
    """What the generators share: the random source, the scale, the seeded demo structure, counts per model."""

    rng: random.Random
    scale: int
    today: datetime.date
    structure: dict
    counts: Counter = field(default_factory=Counter)
    data: dict = field(default_factory=dict)  # objects one app's generator leaves for the next

    def bulk(self, model, objs: list, batch_size: int = BATCH) -> list:
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        self.counts[model._meta.label] += len(created)
        return created


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o"))


def _add_years(d: datetime.date, years: int) -> datetime.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --- governance --------------------------------------------------------------------------------


def generate_governance(ctx: Context) -> None:
    _population(ctx)
    people = _people(ctx)
    groups = _groups(ctx)
    _charters_and_rules(ctx, groups)
    _memberships(ctx, people, groups)


def _population(ctx: Context) -> None:
    """SCB-like figures 2015–2024 per municipality, derived from the seeded figure with a steady growth rate."""
    from governance.models import PopulationFigure

    rng = ctx.rng
    have = set(PopulationFigure.objects.values_list("organisation_id", "year"))
    rows = []
    for org in ctx.structure["municipalities"].values():
        base = org.population_figures.order_by("-year").first()
        if base is None:
            continue
        growth = rng.uniform(-0.004, 0.012)
        for year in POPULATION_YEARS:
            if (org.pk, year) not in have:
                population = round(base.population * (1 + growth) ** (year - base.year))
                rows.append(PopulationFigure(organisation=org, year=year, population=population))
    ctx.bulk(PopulationFigure, rows)


@dataclass
class GenPerson:
    person: object
    home: object  # the subregion the person can represent


def _people(ctx: Context) -> list[GenPerson]:
    """People from the region (≈40 %), the municipalities (≈57 %, by population) and VästKom."""
    from governance.models import Person

    rng, s = ctx.rng, ctx.structure
    subregions = list(s["subregions"].values())
    municipalities = list(s["municipalities"].values())
    weights = [max(1, m.population_figures.order_by("-year").first().population) for m in municipalities]
    drafts = []
    for i in range(PEOPLE_PER_SCALE * ctx.scale):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        roll = rng.random()
        if roll < 0.40:
            org, home = s["vgr"], rng.choice(subregions)
        elif roll < 0.97:
            org = rng.choices(municipalities, weights)[0]
            home = org.subregion
        else:
            org, home = s["vastkom"], rng.choice(subregions)
        person = Person(
            first_name=first,
            last_name=last,
            title=rng.choice(TITLES),
            organisation=org,
            email=f"{_slug(first)}.{_slug(last)}.{i}@example.se",
        )
        drafts.append(GenPerson(person, home))
    ctx.bulk(Person, [p.person for p in drafts])
    return drafts


@dataclass
class GenBody:
    body: object
    start: datetime.date
    end: datetime.date | None  # last day it runs; None while it runs
    core: bool = False  # a body of the demo structure


def _lifetime(body, changes: list) -> tuple[datetime.date, datetime.date | None]:
    """From the first active status change (or the decade's start) until the latest change if it is not active."""
    changes = sorted(changes, key=lambda c: c.effective_from)
    start = next((c.effective_from for c in changes if c.status == "active"), DECADE_START)
    end = None
    if changes and changes[-1].status != "active":
        end = changes[-1].effective_from - DAY
    return max(start, DECADE_START), end


def _groups(ctx: Context) -> list[GenBody]:
    """The demo bodies, plus working groups and subregional groups that start, pause, close and get renamed."""
    from governance.models import Body, BodyRename, BodyStatusChange

    rng, s, today = ctx.rng, ctx.structure, ctx.today
    b = s["bodies"]
    changes_by_body: dict = {}
    for c in BodyStatusChange.objects.all():
        changes_by_body.setdefault(c.body_id, []).append(c)
    bodies = [GenBody(body, *_lifetime(body, changes_by_body.get(body.pk, [])), core=True) for body in b.values()]

    used_names = set(Body.objects.values_list("name", flat=True))

    def unique(name: str) -> str:
        n, candidate = 1, name
        while candidate in used_names:
            n += 1
            candidate = f"{name} {n}"
        used_names.add(candidate)
        return candidate

    givers = [b["ref"], b["forvaltningsgrupp"], b["vvg"], b["sitiv"], b["gits"], b["beredning"]]
    new: list[tuple[object, datetime.date, datetime.date | None, list]] = []
    subregions = list(s["subregions"].values())
    for i in range(WORKING_GROUPS_PER_SCALE * ctx.scale):
        theme = THEMES[i % len(THEMES)]
        name = unique(f"AG {theme}")
        nested = [g for g, _s, _e, _c in new if g.kind == "working"]
        giver = rng.choice(nested) if nested and rng.random() < 0.2 else rng.choice(givers)
        lo = rng.randint(2, 8)
        body = Body(
            name=name,
            short_name=name[:40],
            slug=f"gen-{i}-{_slug(name)}"[:50].rstrip("-"),
            kind="working",
            mandate_giver=giver,
            convener=b["gits"] if rng.random() < 0.5 else None,
            sort_order=70,
            target_meetings_min=lo,
            target_meetings_max=lo + rng.randint(0, 4),
            description=f"Arbetsgrupp för {theme.lower()} inom samordnad hälsa, vård och omsorg.",
        )
        new.append((body, *_group_timeline(rng, today, giver, b)))
    for i in range(SUBREGIONAL_GROUPS_PER_SCALE * ctx.scale):
        subregion = subregions[i % len(subregions)]
        theme = THEMES[(i * 7) % len(THEMES)]
        name = unique(f"Delregional grupp {theme} {subregion.short_name}")
        body = Body(
            name=name,
            short_name=name[:40],
            slug=f"gen-s{i}-{_slug(name)}"[:50].rstrip("-"),
            kind="subregional",
            level="subregional",
            subregion=subregion,
            sort_order=80,
            description=f"Delregional samverkan om {theme.lower()} i {subregion.name}.",
        )
        new.append((body, *_group_timeline(rng, today, None, b)))

    # Level by level: a nested group points at a generated group, which must have its pk first.
    pending = [g for g, _s, _e, _c in new]
    while pending:
        ready = [g for g in pending if g.mandate_giver is None or g.mandate_giver.pk is not None]
        ctx.bulk(Body, ready)
        pending = [g for g in pending if g.pk is None]

    changes, renames, parties = [], [], []
    Through = Body.mandate_parties.through
    for body, start, end, timeline in new:
        for status, day, note in timeline:
            changes.append(BodyStatusChange(body=body, status=status, effective_from=day, note=note))
        if rng.random() < 0.2:
            renamed = start + datetime.timedelta(days=rng.randint(200, 900))
            if renamed < (end or today):
                renames.append(
                    BodyRename(
                        body=body,
                        previous_name=f"{body.name} (tidigare namn)",
                        renamed_on=renamed,
                        note="Namnbyte efter översyn av uppdraget.",
                    )
                )
        if body.kind == "subregional":
            parties.append(Through(body_id=body.pk, organisation_id=s["vgr"].pk))
            parties += [
                Through(body_id=body.pk, organisation_id=m.pk)
                for m in s["municipalities"].values()
                if m.subregion_id == body.subregion_id
            ]
        bodies.append(GenBody(body, start, end))
    ctx.bulk(BodyStatusChange, changes)
    ctx.bulk(BodyRename, renames)
    ctx.bulk(Through, parties)
    return bodies


def _group_timeline(rng, today, giver, b) -> tuple[datetime.date, datetime.date | None, list]:
    """Start, last running day and status changes of a generated group: started, maybe paused, maybe closed."""
    start = DECADE_START + datetime.timedelta(days=rng.randint(0, (today - DECADE_START).days - 120))
    timeline = [("active", start, "Uppstart.")]
    end = None
    latest_close = D(2025, 12, 31) if giver is not None and giver == b["forvaltningsgrupp"] else today
    roll = rng.random()
    if roll < 0.3 or latest_close < today:  # closed after one to five years
        closed = start + datetime.timedelta(days=rng.randint(365, 5 * 365))
        closed = min(closed, latest_close)
        if closed > start + DAY and closed <= today:
            timeline.append(("closed", closed, "Uppdraget är slutfört."))
            end = closed - DAY
    elif roll < 0.55:  # paused for a while, then active again
        paused = start + datetime.timedelta(days=rng.randint(200, 1500))
        resumed = paused + datetime.timedelta(days=rng.randint(60, 400))
        if resumed < today:
            timeline += [("paused", paused, "Pausat i väntan på nytt uppdrag."), ("active", resumed, "Återupptaget.")]
        elif paused < today:
            timeline.append(("paused", paused, "Pausat i väntan på nytt uppdrag."))
            end = paused - DAY
    return start, end, timeline


def _charters_and_rules(ctx: Context, bodies: list[GenBody]) -> None:
    """One to four charter versions per body without one; composition rules on half the working groups."""
    from governance.models import Charter, CompositionRule

    rng, today = ctx.rng, ctx.today
    have = set(Charter.objects.values_list("body_id", flat=True))
    charters, rules = [], []
    for g in bodies:
        body = g.body
        if body.pk not in have:
            valid_from = g.start
            theme = body.name.removeprefix("AG ").removeprefix("Delregional grupp ")
            for version in range(1, rng.randint(1, 4) + 1):
                if valid_from > today:
                    break
                charters.append(
                    Charter(
                        body=body,
                        version=version,
                        valid_from=valid_from,
                        purpose=CHARTER_PURPOSE.format(
                            verb=rng.choice(["samordna", "utveckla", "följa upp"]), theme=theme.lower()
                        ),
                        tasks="Ta fram förslag.\nFölja upp beslut.\nRedovisa resultat och behov.",
                        composition="En till två representanter per delregion; jämn fördelning kommun–region.",
                        competence_criteria="Kunskap om området och vana att arbeta i samverkan.",
                        meeting_frequency=f"{rng.randint(4, 10)} möten per år",
                        economy="Ingen särskild ersättning.",
                    )
                )
                valid_from = _add_years(valid_from, rng.randint(1, 3))
        if not g.core and body.kind == "working" and rng.random() < 0.5:
            rules.append(CompositionRule(body=body, kind="per_subregion", min_count=1, max_count=2))
            if rng.random() < 0.5:
                rules.append(CompositionRule(body=body, kind="party_balance", min_count=0))
    ctx.bulk(Charter, charters)
    ctx.bulk(CompositionRule, rules)


@dataclass
class Seat:
    body: GenBody
    role: str
    subregion: object = None
    pool: list | None = None  # GenPerson candidates; None = anybody
    party_from_person: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None  # last day the seat exists (before the body's end)
    fixed_person: object = None  # one person holds the seat for the whole period


def _seats(ctx: Context, bodies: list[GenBody], people: list[GenPerson]) -> list[Seat]:
    from governance.models import Membership

    rng, s, scale = ctx.rng, ctx.structure, ctx.scale
    subregions = list(s["subregions"].values())
    by_home: dict = {}
    for p in people:
        by_home.setdefault(p.home.pk, []).append(p)
    coordinators = list(Membership.objects.filter(body=s["bodies"]["team"]).values_list("person_id", flat=True))
    # A single-holder role the demo already fills: the generated chain stops the day before the demo holder starts.
    demo_first = {}
    for body_id, role, start in Membership.objects.values_list("body_id", "role", "start_date"):
        key = (body_id, role)
        demo_first[key] = min(start, demo_first.get(key, start))

    seats = []
    for g in bodies:
        body = g.body

        def seat(role, subregion=None, pool=None, party=False, fixed=None, g=g, body=body):
            end = g.end
            if role in Membership.SINGLE_HOLDER_ROLES and (body.pk, role) in demo_first:
                end = min(end or D.max, demo_first[(body.pk, role)] - DAY)
            if end is not None and end < g.start:
                return
            seats.append(Seat(g, role, subregion, pool, party, g.start, end, fixed))

        seat("chair", party=True)
        if g.core or rng.random() < 0.5:
            seat("vice_chair", party=True)
        if not g.core and body.kind == "working" and coordinators:
            seat("secretary", fixed=coordinators[body.pk % len(coordinators)])  # GITS convenes and keeps minutes
        else:
            seat("secretary")
        # The running core bodies grow with the scale (their pages then show more); closed ones keep their size.
        grow = scale if g.core and g.end is None else 1
        if body.kind == "subregional":
            pool = by_home.get(body.subregion_id, [])
            for _ in range(rng.randint(6, 10) * grow):
                seat("member", body.subregion, pool, party=True)
            continue
        if body.kind in ("coordination", "operative"):  # staff functions: members without a subregion
            for _ in range(rng.randint(2, 4) * grow):
                seat("member")
            continue
        # Representatives per subregion: one or two (a core body: `scale` times as many), each with a substitute.
        # Referensgrupp SHVO has its members from the demo and composition rules; it gets substitutes only.
        # Two per subregion at 1×; 38 at 10×, which also makes up for the closed core bodies keeping their size,
        # so that the memberships grow about as much as the scale.
        per_subregion = 4 * grow - 2 if g.core else rng.randint(1, 2)
        roles = ["substitute"] if body.slug == "referensgrupp-shvo" else ["member", "substitute"]
        for subregion in subregions:
            pool = by_home.get(subregion.pk, [])
            for _ in range(per_subregion):
                for role in roles:
                    seat(role, subregion, pool, party=True)
        for _ in range(rng.randint(0, 2) * grow):
            seat("co_opted")
    return seats


def _memberships(ctx: Context, people: list[GenPerson], bodies: list[GenBody]) -> None:
    """Each seat is a chain of terms over the body's life: ten months to three years each; the next holder replaces
    the previous one the next day, or (one time in ten) after a vacancy that is filled when they start."""
    from governance.models import Membership, Vacancy

    rng, today = ctx.rng, ctx.today
    everybody = people
    busy: dict = {}  # (body pk, person pk) -> [(start, end)] for the no-overlap rule
    chains: list[list[Membership]] = []
    vacancies = []

    def free(body_pk, person_pk, start, end) -> bool:
        for s0, e0 in busy.get((body_pk, person_pk), ()):
            if s0 <= (end or D.max) and start <= (e0 or D.max):
                return False
        return True

    for seat in _seats(ctx, bodies, people):
        body = seat.body.body
        chain: list[Membership] = []
        start = seat.start + datetime.timedelta(days=rng.randint(0, 90))
        limit = seat.end  # None: the seat runs on
        while start <= today and (limit is None or start <= limit):
            if seat.fixed_person:
                end = limit
                person_pk, party = seat.fixed_person, None
            else:
                end = start + datetime.timedelta(days=rng.randint(300, 3 * 365)) - DAY
                if limit is not None and end >= limit:
                    end = limit
                pool = seat.pool or everybody
                person = None
                for _ in range(20):  # bounded: a seat may stay empty when the pool is busy
                    candidate = rng.choice(pool)
                    if free(body.pk, candidate.person.pk, start, end if end <= today else None):
                        person = candidate
                        break
                if person is None:
                    break
                person_pk = person.person.pk
                party = person.person.organisation if seat.party_from_person else None
                if party is not None and party.kind not in ("region", "municipality"):
                    party = None
            running = end is None or end > today
            if running and end is not None and rng.random() < 0.7:
                end = None  # a running term usually has no end date yet
            m = Membership(
                person_id=person_pk,
                body=body,
                role=seat.role,
                subregion=seat.subregion,
                party=party,
                start_date=start,
                end_date=end,
                replaces=chain[-1] if chain and chain[-1].end_date and chain[-1].end_date == start - DAY else None,
            )
            assert m.end_date is None or m.end_date >= m.start_date
            busy.setdefault((body.pk, person_pk), []).append((start, end))
            chain.append(m)
            if end is None or end >= today or (limit is not None and end >= limit):
                break
            if rng.random() < 0.1:  # a vacancy before the next holder
                filled = end + DAY + datetime.timedelta(days=rng.randint(30, 200))
                if limit is not None and filled > limit:
                    break  # the body closes before the seat would be filled
                open_ = filled > today
                vacancies.append(
                    Vacancy(
                        body=body,
                        subregion=seat.subregion,
                        role=seat.role,
                        since=end + DAY,
                        filled_on=None if open_ else filled,
                        note="Delregionen har inte utsett någon efterträdare.",
                    )
                )
                if open_:
                    break
                start = filled
            else:
                start = end + DAY
        if chain:
            chains.append(chain)

    # Level by level so that `replaces` points at a membership that already has its pk.
    depth = max((len(c) for c in chains), default=0)
    for level in range(depth):
        ctx.bulk(Membership, [c[level] for c in chains if len(c) > level])
    ctx.bulk(Vacancy, vacancies)


# --- documents: a decade of plans with budgets, outcome and invoicing plans ---------------------------------------

MANAGED_OBJECTS_PER_SCALE = 1
PLAN_YEARS = range(2016, 2026)
BUDGET_LINES = 8


def generate_documents(ctx: Context) -> None:
    """Per unit of scale one more managed object (decided by SITIV) with a plan a year 2016–2025, archived but the
    last in force, each with a budget of eight lines (seed 003's shape, keys and own shares), four quarters of
    outcome, an invoicing plan, and the budget decided by a generated SITIV decision."""
    from documents.models import (
        AllocationKey,
        Budget,
        BudgetLine,
        BudgetOutcome,
        Document,
        InvoicingPlan,
        ManagedObject,
        ManagementPlan,
    )
    from governance.models import Body
    from meetings.models import AgendaItem, Decision, Meeting, Minutes

    rng = ctx.rng
    keys = list(AllocationKey.objects.order_by("pk"))
    vvg, sitiv = Body.objects.get(slug="vvg"), Body.objects.get(slug="sitiv")
    objects = ctx.bulk(
        ManagedObject,
        [
            ManagedObject(
                name=f"Genererat förvaltningsobjekt {n}",
                short_name=f"GEN{n}",
                slug=f"gen-objekt-{n}",
                steering_body=vvg,
                budget_body=sitiv,
            )
            for n in range(1, MANAGED_OBJECTS_PER_SCALE * ctx.scale + 1)
        ],
    )
    pairs = [(o, y) for o in objects for y in PLAN_YEARS]
    documents = ctx.bulk(
        Document, [Document(kind=Document.Kind.MANAGEMENT_PLAN, title=f"Förvaltningsplan {o} {y}") for o, y in pairs]
    )
    last = max(PLAN_YEARS)
    plans = ctx.bulk(
        ManagementPlan,
        [
            ManagementPlan(
                document=d,
                managed_object=o,
                year=y,
                status=ManagementPlan.Status.IN_FORCE if y == last else ManagementPlan.Status.ARCHIVED,
            )
            for d, (o, y) in zip(documents, pairs, strict=True)
        ],
    )
    meetings = ctx.bulk(
        Meeting,
        [
            Meeting(
                body=sitiv,
                title=f"SITIV budget {p.managed_object.short_name} {p.year}",
                date=D(p.year - 1, 11, 20),
                start_time=datetime.time(13, 0),
                end_time=datetime.time(15, 0),
            )
            for p in plans
        ],
    )
    ctx.bulk(Minutes, [Minutes(meeting=m, status=Minutes.Status.JUSTERAT) for m in meetings])
    items = ctx.bulk(AgendaItem, [AgendaItem(meeting=m, title="Budget", position=1) for m in meetings])
    numbers: Counter = Counter()
    decisions = []
    for item, p in zip(items, plans, strict=True):
        numbers[p.year - 1] += 1
        decisions.append(
            Decision(
                item=item, body=sitiv, year=p.year - 1, number=1000 + numbers[p.year - 1], text="Budget fastställd."
            )
        )
    decisions = ctx.bulk(Decision, decisions)
    budgets = ctx.bulk(Budget, [Budget(plan=p, decision=d) for p, d in zip(plans, decisions, strict=True)])
    lines = []
    for b, d in zip(budgets, decisions, strict=True):
        for n in range(BUDGET_LINES):
            key = keys[n % len(keys)] if keys and n % 4 != 3 else None
            lines.append(
                BudgetLine(
                    budget=b,
                    heading="Vidmakthållande" if n < 5 else "Utveckling",
                    position=n + 1,
                    name=f"Budgetrad {n + 1}",
                    amount=rng.randrange(100, 80_000) * 100,
                    key=key,
                    own_region_percent=None if key else 70,
                    decision=d,
                )
            )
    lines = ctx.bulk(BudgetLine, lines)
    ctx.bulk(
        BudgetOutcome,
        [
            BudgetOutcome(line=line, quarter=q, amount=round(line.amount * rng.uniform(0.15, 0.32)))
            for line in lines
            for q in range(1, 5)
        ],
    )
    ctx.bulk(InvoicingPlan, [InvoicingPlan(budget=b) for b in budgets])


# --- cases, backlog and forums (issue 12) -------------------------------------------------------------------------

CASES_PER_YEAR = 60
BACKLOG_PER_YEAR = 40
FORUM_TOPICS_PER_MONTH = 3
POSTS_PER_TOPIC = 5


def generate_cases(ctx: Context) -> None:
    """Per unit of scale and year of the decade: ≈60 cases across the core bodies with 3–6 steps each, ≈40 backlog
    items of the reference group with supports and comments, a few forum topics a month with ≈5 posts each."""
    from governance.case_models import (
        BacklogComment,
        BacklogItem,
        BacklogSupport,
        Case,
        CaseStep,
        Forum,
        ForumPost,
        ForumTopic,
        Process,
    )
    from governance.models import Membership

    rng, b = ctx.rng, ctx.structure["bodies"]
    subregions = list(ctx.structure["subregions"].values())
    people = list(Membership.objects.filter(body=b["ref"]).values_list("person_id", flat=True).distinct()) or list(
        Membership.objects.values_list("person_id", flat=True)[:50]
    )
    processes = []
    for n, name in enumerate(["In- och utskrivning", "SIP", "Öppenvård"], start=1):
        processes.append(Process.objects.get_or_create(slug=_slug(name), defaults={"name": name, "sort_order": n})[0])
    years = range(DECADE_START.year, ctx.today.year + 1)
    raisers = [b["ref"], b["gits"], b["sitiv"], b["vvg"]]
    cases, paths = [], []
    kinds = [
        CaseStep.Kind.RAISED,
        CaseStep.Kind.PREPARING,
        CaseStep.Kind.ON_AGENDA,
        CaseStep.Kind.DECIDED,
        CaseStep.Kind.REPORTED_BACK,
        CaseStep.Kind.CLOSED,
    ]
    statuses = [
        Case.Status.RAISED,
        Case.Status.PREPARING,
        Case.Status.ON_AGENDA,
        Case.Status.DECIDED,
        Case.Status.REPORTED_BACK,
        Case.Status.CLOSED,
    ]
    for year in years:
        for n in range(CASES_PER_YEAR * ctx.scale):
            length = rng.randint(3, 6)
            raised = D(year, rng.randint(1, 12), rng.randint(1, 28))
            cases.append(
                Case(
                    title=f"{rng.choice(THEMES)}: ärende {n + 1}/{year}",
                    process=rng.choice(processes),
                    raised_by=rng.choice(raisers),
                    owner=b["vvg"],
                    preparing_body=b["beredning"],
                    status=statuses[length - 1],
                    follow_up_on=raised + 180 * DAY if length >= 4 and rng.random() < 0.3 else None,
                )
            )
            paths.append((raised, length))
    cases = ctx.bulk(Case, cases)
    ctx.bulk(
        CaseStep,
        [
            CaseStep(
                case=c,
                kind=kinds[i],
                from_body=c.raised_by,
                to_body=b["vvg"],
                happened_on=raised + i * 14 * DAY,
                reference=f"VVG {raised + i * 14 * DAY}, § {i + 1}" if kinds[i] == CaseStep.Kind.DECIDED else "",
            )
            for c, (raised, length) in zip(cases, paths, strict=True)
            for i in range(length)
        ],
    )
    items = ctx.bulk(
        BacklogItem,
        [
            BacklogItem(
                body=b["ref"],
                title=f"{rng.choice(THEMES)}: önskemål {n + 1}/{year}",
                process=rng.choice(processes),
                proposed_by=rng.choice(subregions),
                author_id=rng.choice(people),
                status=rng.choice([BacklogItem.Status.OPEN] * 3 + [BacklogItem.Status.CLOSED]),
            )
            for year in years
            for n in range(BACKLOG_PER_YEAR * ctx.scale)
        ],
    )
    ctx.bulk(
        BacklogSupport,
        [
            BacklogSupport(item=i, subregion=sr, person_id=rng.choice(people))
            for i in items
            for sr in rng.sample(subregions, rng.randint(0, min(3, len(subregions))))
        ],
    )
    ctx.bulk(
        BacklogComment,
        [
            BacklogComment(item=i, person_id=rng.choice(people), text="Vi har samma behov.")
            for i in items
            for _ in range(2)
        ],
    )
    forums = []
    for p in processes:
        forum = Forum.objects.filter(process=p).first() or Forum.objects.create(process=p)
        forum.bodies.add(b["ref"])
        forums.append(forum)
    months = len(years) * 12
    topics = ctx.bulk(
        ForumTopic,
        [
            ForumTopic(
                forum=rng.choice(forums), title=f"Tråd {n + 1}: {rng.choice(THEMES)}", author_id=rng.choice(people)
            )
            for n in range(months * FORUM_TOPICS_PER_MONTH * ctx.scale)
        ],
    )
    ctx.bulk(
        ForumPost,
        [
            ForumPost(topic=t, author_id=rng.choice(people), text="Ett inlägg.")
            for t in topics
            for _ in range(POSTS_PER_TOPIC)
        ],
    )
    from django.db.models import Max

    latest = dict(ForumPost.objects.filter(topic__in=topics).values_list("topic").annotate(Max("created_at")))
    for t in topics:
        t.last_post_at = latest.get(t.pk)  # as governance.backlog.forum_post writes it
    ForumTopic.objects.bulk_update(topics, ["last_post_at"], batch_size=1000)


# --- governing documents (issue 13) -------------------------------------------------------------------------------

# The four county-wide documents the reference group's charter names (seed 000), then guidelines, routines and
# agreements of the same kind: twelve documents per unit of scale.
GOVERNING_DOCUMENTS = [
    ("agreement", "Överenskommelse om samverkan vid in- och utskrivning från sluten hälso- och sjukvård"),
    ("guideline", "Länsgemensam riktlinje om in- och utskrivning från sluten hälso- och sjukvård"),
    ("guideline", "Riktlinje för samordnad individuell plan (SIP) för kommunerna och regionen"),
    ("guideline", "Länsgemensam riktlinje för öppenvårdsprocessen"),
    ("routine", "Rutin för informationsöverföring i SAMSA"),
    ("routine", "Rutin för fast vårdkontakt i primärvården"),
    ("routine", "Rutin vid avvikelser i samverkan"),
    ("routine", "Reservrutin vid driftstopp i IT-tjänsten"),
    ("routine", "Rutin för läkemedel vid utskrivning"),
    ("guideline", "Riktlinje för hjälpmedel i samverkan"),
    ("agreement", "Överenskommelse om hemsjukvård"),
    ("routine", "Rutin för samordnad planering för barn och unga"),
]
SUPPLEMENTS_PER_DOCUMENT = 2
OPEN_PROPOSAL_SHARE = 0.25  # of the documents: the newest version is a proposal in consultation
# One routine of 40 pages (bench/routine.py) in two approved versions, for the comparison page at that size.
LONG_ROUTINE_SLUG = "gen-rutin-40-sidor"
LONG_ROUTINE_PAGES = 40


@dataclass
class _GovVersion:
    sections: list
    status: str
    change_class: str
    proposed_at: datetime.datetime
    in_force_from: datetime.date | None = None
    parent_number: int | None = None  # a supplement: the parent's version it was written against


def generate_governing(ctx: Context) -> None:
    """Per unit of scale twelve county-wide governing documents, each with 3–8 versions over the decade (approved
    with their in-force dates, a quarter with an open proposal in consultation and some positions), two local
    supplements each decided by a subregional body; and once, a 40-page routine in two approved versions."""
    from bench.routine import edited_routine, generated_routine
    from documents.governing_models import GoverningDocument, Revision, RevisionPosition
    from documents.models import Document, DocumentVersion
    from governance.case_models import Process
    from governance.models import Body, Membership

    rng, b, today = ctx.rng, ctx.structure["bodies"], ctx.today
    subregions = list(ctx.structure["subregions"].values())
    local_bodies: dict[int, object] = {}
    for body in Body.objects.filter(level="subregional", subregion__isnull=False).order_by("sort_order", "pk"):
        local_bodies.setdefault(body.subregion_id, body)
    people = list(Membership.objects.filter(body=b["ref"]).values_list("person_id", flat=True).distinct()[:200])
    processes = list(Process.objects.order_by("pk"))
    span = (today - DECADE_START).days

    def moment(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)

    plans = []  # (GoverningDocument, Document, [_GovVersion])
    for i in range(len(GOVERNING_DOCUMENTS) * ctx.scale):
        kind, title = GOVERNING_DOCUMENTS[i % len(GOVERNING_DOCUMENTS)]
        if i >= len(GOVERNING_DOCUMENTS):
            title = f"{title} ({i // len(GOVERNING_DOCUMENTS) + 1})"
        sections = generated_routine(pages=rng.randint(2, 12), seed=rng.randrange(10**6))
        count = rng.randint(3, 8)
        open_last = rng.random() < OPEN_PROPOSAL_SHARE
        approved = count - 1 if open_last else count
        first = DECADE_START + datetime.timedelta(days=rng.randint(0, span // 4))
        step = max(30, (today - datetime.timedelta(days=30) - first).days // max(1, approved))
        versions = []
        for n in range(count):
            if n:
                sections = edited_routine(sections, seed=rng.randrange(10**6), changed=rng.randint(1, 5))
            if n < approved:
                day = first + datetime.timedelta(days=n * step + rng.randint(0, step // 3))
                cls = "new" if n == 0 else rng.choice(["editorial", "editorial", "principled"])
                proposed = moment(day - datetime.timedelta(days=rng.randint(30, 90)))
                versions.append(_GovVersion(sections, "approved", cls, proposed, in_force_from=day))
            else:
                proposed = moment(today - datetime.timedelta(days=rng.randint(1, 20)))
                versions.append(
                    _GovVersion(sections, "open", rng.choice(["editorial", "editorial", "principled"]), proposed)
                )
        owner = b["vvg"] if kind == "agreement" else b["ref"]
        doc = Document(kind=kind, title=title)
        governing = GoverningDocument(
            slug=f"gen-styr-{i}-{_slug(title)}"[:80].rstrip("-"),
            owner=owner,
            process=processes[i % len(processes)] if processes else None,
            valid_until=_add_years(today, rng.randint(1, 3)) if rng.random() < 0.5 else None,
        )
        plans.append((governing, doc, versions))
        for subregion in rng.sample(subregions, min(SUPPLEMENTS_PER_DOCUMENT, len(subregions))):
            body = local_bodies.get(subregion.pk)
            if body is None:
                continue
            written = [v for v in versions if v.status == "approved"]
            local = []
            for n in range(rng.randint(1, 2)):
                against_index = min(len(written) - 1, rng.randint(0, len(written) - 1) + n)
                against = written[against_index]
                day = max(against.in_force_from, today - datetime.timedelta(days=span // 2)) + datetime.timedelta(
                    days=rng.randint(20, 200) * (n + 1)
                )
                day = min(day, today - datetime.timedelta(days=1))
                text = f"<p>I {subregion.name} gäller dessutom följande, version {n + 1}.</p>" + "".join(
                    f"<p>{rng.choice(THEMES)}: kontaktvägar och ansvar inom delregionen.</p>" for _ in range(3)
                )
                local.append(
                    _GovVersion(
                        [{"key": "tillagg", "title": f"Tillägg för {subregion.name}", "body": text}],
                        "approved",
                        "local",
                        moment(day - datetime.timedelta(days=30)),
                        in_force_from=day,
                        parent_number=against_index + 1,
                    )
                )
            supplement = GoverningDocument(
                slug=f"gen-styr-{i}-tillagg-{subregion.slug}"[:80],
                owner=body,
                scope="local",
                subregion=subregion,
                parent=governing,  # its pk is read when the supplements are written, after the parents
                process=governing.process,
            )
            plans.append((supplement, Document(kind=kind, title=f"{title} – tillägg för {subregion.name}"), local))

    first_version = generated_routine(pages=LONG_ROUTINE_PAGES, seed=1)
    long_routine = GoverningDocument(
        slug=LONG_ROUTINE_SLUG, owner=b["ref"], process=processes[0] if processes else None
    )
    plans.append(
        (
            long_routine,
            Document(kind="routine", title=f"Rutin för samordnad utskrivning ({LONG_ROUTINE_PAGES} sidor, genererad)"),
            [
                _GovVersion(first_version, "approved", "new", moment(D(2019, 11, 4)), in_force_from=D(2020, 1, 1)),
                _GovVersion(
                    edited_routine(first_version, seed=2),
                    "approved",
                    "editorial",
                    moment(D(2023, 10, 2)),
                    in_force_from=D(2024, 1, 1),
                ),
            ],
        )
    )

    documents = ctx.bulk(Document, [d for _g, d, _v in plans])
    for (governing, _d, _v), doc in zip(plans, documents, strict=True):
        governing.document = doc
    ctx.bulk(GoverningDocument, [g for g, _d, _v in plans if g.scope == "county"])
    ctx.bulk(GoverningDocument, [g for g, _d, _v in plans if g.scope == "local"])

    rows = [
        DocumentVersion(document=g.document, number=n, content={"sections": v.sections}, note=v.change_class)
        for g, _d, versions in plans
        for n, v in enumerate(versions, start=1)
    ]
    rows = iter(ctx.bulk(DocumentVersion, rows, batch_size=100))  # large JSON: smaller batches
    stored = {id(g): [next(rows) for _ in versions] for g, _d, versions in plans}

    revisions, consulted = [], []
    for governing, _d, versions in plans:
        mine = stored[id(governing)]
        parent_versions = stored[id(governing.parent)] if governing.scope == "local" else []
        for n, (v, row) in enumerate(zip(versions, mine, strict=True)):
            approved = v.status == "approved"
            # A supplement by its subregional body, an editorial revision by the owner, the rest by VVG.
            decider = governing.owner if v.change_class in ("local", "editorial") else b["vvg"]
            revision = Revision(
                document=governing,
                version=row,
                base=mine[n - 1] if n else None,
                parent_version=parent_versions[v.parent_number - 1] if v.parent_number else None,
                change_class=v.change_class,
                rationale=f"<p>{rng.choice(THEMES)}: texten uppdateras efter översyn.</p>",
                proposed_by_id=rng.choice(people),
                proposed_at=v.proposed_at,
                status=v.status,
                approved_by_body=decider if approved else None,
                approved_reference=f"{decider.short_name or decider.name} {v.in_force_from}, § {n + 10}"
                if approved
                else "",
                justerad_at=moment(v.in_force_from - datetime.timedelta(days=7)) if approved else None,
                in_force_from=v.in_force_from,
            )
            revisions.append(revision)
            if v.change_class == "editorial":
                consulted.append(revision)
    ctx.bulk(Revision, revisions)
    Through = Revision.subregions.through
    ctx.bulk(Through, [Through(revision_id=r.pk, subregion_id=s.pk) for r in consulted for s in subregions])
    positions = []
    for revision in consulted:
        if revision.status != "open":
            continue
        for subregion in rng.sample(subregions, rng.randint(1, min(4, len(subregions)))):
            stance = "object" if rng.random() < 0.25 else "agree"
            reason = "<p>Formuleringen om ansvaret behöver ses över före beslut.</p>" if stance == "object" else ""
            positions.append(
                RevisionPosition(
                    revision=revision, subregion=subregion, stance=stance, reason=reason, by_id=rng.choice(people)
                )
            )
    ctx.bulk(RevisionPosition, positions)


# --- registry ----------------------------------------------------------------------------------

# One generator per app, in dependency order. Meetings, plans and documents add theirs here.
GENERATORS = [
    ("governance", generate_governance),
    ("documents", generate_documents),
    ("cases", generate_cases),
    ("governing", generate_governing),
]


def generate(scale: int = 1, *, seed: int = 2026, today: datetime.date | None = None) -> Counter:
    """Seed the demo (idempotent), then add the benchmark data for `scale`. Returns rows written per model."""
    from django.db import transaction
    from django.utils import timezone

    from governance import demo
    from governance.models import Body

    if scale < 1:
        raise ValueError("scale must be at least 1")
    with transaction.atomic():
        structure = demo.seed()
        if Body.objects.filter(slug__startswith="gen-").exists():
            raise RuntimeError("The database already holds generated benchmark data; use a fresh database.")
        ctx = Context(
            rng=random.Random(seed * 1000 + scale),
            scale=scale,
            today=today or timezone.localdate(),
            structure=structure,
        )
        for _app, generator in GENERATORS:
            generator(ctx)
    return ctx.counts


def setup_django() -> None:
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shvo.settings")
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")  # like `make demo`: the development settings
    import django

    django.setup()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Lägg in demodata och benchmarkdata i databasen (DATABASE_URL).")
    parser.add_argument("--scale", type=int, default=1, help="1 = ett realistiskt decennium, 10 = tio gånger så mycket")
    parser.add_argument("--seed", type=int, default=2026, help="slumpfrö (samma frö ger samma data)")
    args = parser.parse_args(argv)
    setup_django()
    started = time.perf_counter()
    counts = generate(args.scale, seed=args.seed)
    for label, n in sorted(counts.items()):
        print(f"{label:40} {n:>8}")
    print(f"scale {args.scale}: {sum(counts.values())} rows in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
