"""Demo plans shaped like seed 003: the 2026 plan in force (VVG's position 2026-03-24; its history dated as the story
goes, January to March) and the 2027 draft in an open review round whose deadline is the Friday 15–21 days after the
day the demo is seeded.
Idempotent: found by managed object and year."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import audit
from governance.demo import weekday_ahead
from governance.models import Body, Subregion

from . import reviews, services
from .models import AllocationKey, BudgetLine, Goal, ManagedObject, ManagementPlan, PlanSection

D = datetime.date


def review_deadline(today: datetime.date) -> datetime.date:
    """The open round's last day to answer: a Friday 15–21 days ahead, after the planned meeting (meetings.demo)."""
    return weekday_ahead(today, days=15, weekday=4)


SECTIONS_2026 = {
    "introduction": "<p>VVG tar ställning till den årliga förvaltningsplanen och ansvarar för att den genomförs med "
    "stöd av GITS. SITIV beslutar om budgeten för genomförandet. GITS ansvarar för det operativa arbetet "
    "tillsammans med Referensgrupp SHVO, verksamhetsnära och partsneutralt.</p>",
    "purpose": "<p>Planen klargör vad som ska göras i förvaltningen av samordnad hälsa, vård och omsorg under året, "
    "med strategisk styrning från VVG. Den är VVG:s uppdrag till GITS.</p>",
    "period": "<p>Planen gäller för perioden 2026-01-01 – 2026-12-31.</p>",
    "mandate": "<p>GITS ska säkerställa förvaltning och utveckling av systemstöd och rutiner för att uppfylla målen i "
    "de fyra länsgemensamma styrdokumenten:</p><ul><li>Överenskommelsen om samverkan vid in- och utskrivning "
    "från sluten hälso- och sjukvård</li><li>Riktlinjen om in- och utskrivning</li><li>Riktlinjen för "
    "samordnad individuell plan (SIP)</li><li>Riktlinjen för öppenvårdsprocessen</li></ul>",
    "goals": "<p>Målen är grupperade som vidmakthållande, nödvändig vidareutveckling för att kunna vidmakthålla, och "
    "vidareutveckling. Varje mål följs upp under året.</p>",
    "budget": "<p>Budgeten beslutas av SITIV. Kostnaderna fördelas enligt fördelningsnycklarna: lönekostnader 50/50 "
    "mellan regionen och kommunerna; it-tjänst, drift, utveckling och support 70/30.</p>",
    "operations": "<p>SAMSA IT-tjänst ska ha en tillgänglighet på 99,9 % enligt leverantörsavtal och SLA. GITS "
    "förvaltar SLA och OLA för drift, support och tilläggstjänster.</p>",
    "related_systems": "<table><thead><tr><th>System</th><th>Beroende</th></tr></thead><tbody>"
    "<tr><td>ELVIS</td><td>Integrationen påverkar all utveckling och test</td></tr>"
    "<tr><td>NPÖ</td><td>Uthopp från SAMSA</td></tr>"
    "<tr><td>Västfolket</td><td>Folkbokföringsuppgifter</td></tr>"
    "<tr><td>SIP till 1177</td><td>Överföring av SIP</td></tr>"
    "<tr><td>Millennium/SAMVY</td><td>Samexistens och kommande utveckling</td></tr>"
    "</tbody></table>",
    "resources": "<p>Nya arbetssätt kräver fortsatt utbildning av ny och erfaren personal. Delregional och lokal "
    "utbildning sker med stöd av regionalt framtaget material.</p>",
    "organisation": "<p>Forumtabellen nedan hämtas från portalens uppgifter om organen.</p>",
}

GOALS = [
    (
        "maintenance",
        "Vidmakthålla rutiner och funktionalitet i SAMSA",
        "Avtalsuppföljning, informationsklassning, support och systemadministration.",
    ),
    ("maintenance", "Säkerställa stöd- och utbildningsmaterial", ""),
    ("necessary", "Systematiskt informationssäkerhetsarbete", "Hantera identifierade säkerhetsrisker."),
    ("necessary", "Anpassa till nya versioner av operativsystem och klientplattformar", ""),
    (
        "development",
        "Förbättra stödet för SIP och öppenvårdsprocessen",
        "Stäms av med Millennium/SAMVY inför prioritering.",
    ),
]


def seed() -> None:
    User = get_user_model()
    coordinator = User.objects.get(username="samordnare")
    preparer = User.objects.get(username="beredning")
    shvo = ManagedObject.objects.filter(slug="shvo").first()
    if shvo is None:
        shvo = ManagedObject.objects.create(
            name="Samordnad hälsa, vård och omsorg",
            short_name="SHVO",
            slug="shvo",
            steering_body=Body.objects.get(slug="vvg"),
            budget_body=Body.objects.get(slug="sitiv"),
        )
        shvo.bodies.set(
            Body.objects.filter(
                slug__in=["vvg", "sitiv", "gemensam-beredning", "gits-team-shvo", "referensgrupp-shvo", "ag-utveckling"]
            )
        )
    _seed_keys(coordinator)
    if not ManagementPlan.objects.filter(managed_object=shvo, year=2026).exists():
        # The story's own dates, so the plan's history shows them: written in January, decided by VVG in March.
        with audit.story_clock(audit.story_moment(D(2026, 1, 12), 9)):
            plan = services.plan_create(actor=coordinator, managed_object=shvo, year=2026)
            for section in plan.sections.all():
                services.section_save(
                    actor=coordinator, section=section, body=SECTIONS_2026[section.key], base_version=section.revision
                )
            audit.story_time(audit.story_moment(D(2026, 1, 19), 10))
            for category, title, description in GOALS:
                services.goal_save(
                    actor=coordinator, goal=Goal(plan=plan, category=category, title=title, description=description)
                )
            _seed_budget(plan, coordinator)
            audit.story_time(audit.story_moment(D(2026, 3, 2), 10))
            services.plan_submit(actor=coordinator, plan=plan)
            audit.story_time(audit.story_moment(D(2026, 3, 24), 15))
            services.plan_record_position(actor=preparer, plan=plan, date=D(2026, 3, 24), reference="§ 7/2026")
    if not ManagementPlan.objects.filter(managed_object=shvo, year=2027).exists():
        _seed_2027(shvo, coordinator)


# Seed 003's allocation keys (the region's share: "70/30 VGR/VGK" means VGR pays 70 %).
KEYS = [
    ("Lönekostnader 50/50", "50"),
    ("IT-tjänsten 70/30", "70"),
    ("Utveckling och support 70/30", "70"),
]
_HEADING = "Vidmakthållande, nödvändig vidareutveckling och vidareutveckling"
# Seed 003's budget table: heading, name, amount, key (or None), own region share (when no key).
BUDGET_2026 = [
    (_HEADING, "Drift och licens", "7746000", "IT-tjänsten 70/30", None),
    (_HEADING, "Processledare/Funktionskoordinatorer (400%)", "3620000", "Lönekostnader 50/50", None),
    (_HEADING, "Utveckling inkluderat teknisk resurs", "900000", "Utveckling och support 70/30", None),
    (_HEADING, "Support (ta höjd för ev. ökat behov under året)", "2698000", "Utveckling och support 70/30", None),
    (_HEADING, "Möten, utbildning, kommunikation", "350000", None, "70"),
]


def _seed_keys(coordinator) -> dict[str, AllocationKey]:
    keys = {}
    for name, percent in KEYS:
        key = AllocationKey.objects.filter(name=name).first()
        if key is None:
            key = audit.create(
                AllocationKey,
                actor=coordinator,
                reason="Fördelningsnyckel enligt förvaltningsplanen",
                name=name,
                region_percent=Decimal(percent),
                valid_from=D(2024, 1, 1),
            )
        keys[name] = key
    return keys


def _seed_budget(plan, coordinator) -> None:
    keys = {key.name: key for key in AllocationKey.objects.filter(name__in=[name for name, _ in KEYS])}
    for heading, name, amount, key, own in BUDGET_2026:
        line = BudgetLine(heading=heading, name=name, amount=Decimal(amount), key=keys.get(key or ""))
        line.own_region_percent = Decimal(own) if own else None
        services.budget_line_save(actor=coordinator, plan=plan, line=line)


def _seed_2027(shvo, coordinator) -> None:
    User = get_user_model()
    current = ManagementPlan.objects.get(managed_object=shvo, year=2026)
    plan = services.plan_start_next_year(actor=coordinator, plan=current)
    # The draft's budget starts from this year's, uplifted by vårdprisindex 2,5 % and rounded to the thousand.
    services.budget_uplift(actor=coordinator, plan=plan, percent=Decimal("2.5"), rounding="thousand")
    goals = plan.sections.get(key=PlanSection.Key.GOALS)
    services.section_save(
        actor=coordinator,
        section=goals,
        base_version=goals.revision,
        body=goals.body + "<p>Huvuduppgiften för 2027 är att förbereda samexistensen mellan SAMSA och SAMVY.</p>",
    )
    review = reviews.round_open(
        actor=coordinator,
        plan=plan,
        deadline=review_deadline(timezone.localdate()),
        subregions=list(Subregion.objects.all()),
        message="Lämna synpunkter per avsnitt och ett gemensamt svar per delregion.",
    )
    fyrbodal, skaraborg = User.objects.get(username="fyrbodal"), User.objects.get(username="skaraborg")
    first = reviews.comment_add(
        actor=fyrbodal,
        round_=review,
        section_key=PlanSection.Key.OPERATIONS,
        quote="99,9 %",
        text="Hur följs tillgängligheten upp, och vem rapporterar avvikelser?",
    )
    reviews.comment_add(
        actor=coordinator,
        round_=review,
        parent=first,
        text="GITS redovisar tillgängligheten kvartalsvis till referensgruppen.",
    )
    reviews.comment_add(
        actor=skaraborg,
        round_=review,
        section_key=PlanSection.Key.RESOURCES,
        text="Önskar ett gemensamt utbildningspaket för nya medarbetare inom hemsjukvården.",
    )
    response = review.responses.get(subregion__short_name="Fyrbodal")
    reviews.response_save(
        actor=fyrbodal,
        response=response,
        base_version=response.version,
        text="<p>Fyrbodal ställer sig i huvudsak bakom förslaget. Utkast – diskuteras i delregionen före inskick.</p>",
    )


# --- SITIV's decision on the 2026 budget, and its follow-up (the meeting is meetings.demo's) ----------------------

# Two quarters of outcome (utfall) for the 2026 budget's lines, by name: kronor in Q1 and Q2.
OUTCOME_2026 = {
    "Drift och licens": ("1936500", "1936500"),
    "Processledare/Funktionskoordinatorer (400%)": ("871200", "918400"),
    "Utveckling inkluderat teknisk resurs": ("142300", "260150"),
    "Support (ta höjd för ev. ökat behov under året)": ("702250", "731800"),
    "Möten, utbildning, kommunikation": ("61400", "118900"),
}


def seed_budget_decision(decision) -> None:
    """The preparer records SITIV's decision on the 2026 budget (`decision`: § 1/2026 of SITIV's meeting on
    2026-02-12, after the coordinator wrote the budget in January; meetings.demo.sitiv_budget_decision), which locks
    the budget; two quarters of 2026 outcome follow. Idempotent."""
    from .models import Budget, BudgetOutcome

    User = get_user_model()
    plan = ManagementPlan.objects.filter(managed_object__slug="shvo", year=2026).first()
    found = Budget.objects.filter(plan=plan).first() if plan else None
    if found is None or found.is_decided or decision is None:
        return
    with audit.story_clock(audit.story_moment(D(2026, 2, 20), 9)):
        services.budget_decide(actor=User.objects.get(username="beredning"), plan=plan, decision=decision)
    coordinator = User.objects.get(username="samordnare")
    _complete_population_year(coordinator)
    for quarter, day in ((1, D(2026, 4, 10)), (2, D(2026, 7, 10))):
        with audit.story_clock(audit.story_moment(day, 10)):
            for line in found.lines.all():
                amounts = OUTCOME_2026.get(line.name)
                if amounts and not BudgetOutcome.objects.filter(line=line, quarter=quarter).exists():
                    audit.create(
                        BudgetOutcome,
                        actor=coordinator,
                        reason=f"Utfall kvartal {quarter}",
                        line=line,
                        quarter=quarter,
                        amount=Decimal(amounts[quarter - 1]),
                    )


def _complete_population_year(actor) -> None:
    """The invoicing basis needs a year with figures for all 49 municipalities; the demo's SCB figures end in 2024
    for most and in 2023 or 2021 for a few. For the demo only, those few get their latest known figure for 2024 too,
    marked as such in the figure's source (real figures are imported at /folkmangd/importera/)."""
    from governance.models import Organisation, PopulationFigure

    latest = PopulationFigure.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return
    for org in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(
        population_figures__year=latest
    ):
        known = org.population_figures.order_by("-year").first()
        if known is not None:
            audit.create(
                PopulationFigure,
                actor=actor,
                reason="Demodata: senast kända folkmängd",
                organisation=org,
                year=latest,
                population=known.population,
                source=f"Demodata: folkmängd {known.year}",
            )
