"""Demo data for the governance structure: the real bodies and subregions from the seeds, fictional people.

Idempotent: every row is found by its natural key first, so a second run writes nothing.
"""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from guardian.shortcuts import assign_perm

from .models import (
    Body,
    BodyRename,
    BodyStatusChange,
    Charter,
    CompositionRule,
    Membership,
    Organisation,
    Person,
    PopulationFigure,
    Subregion,
    Vacancy,
)

DEMO_PASSWORD = "shvo-demo-2026"
D = datetime.date


def weekday_ahead(today: datetime.date, *, days: int, weekday: int) -> datetime.date:
    """The first `weekday` (0 = Monday) at least `days` after today: the demo's upcoming dates follow the calendar
    and land on a working day, so seed_demo tells the same story whenever it runs."""
    day = today + datetime.timedelta(days=days)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


# (short name, full name, slug, label in vg_municipalities.csv)
SUBREGIONS = [
    ("Fyrbodal", "Vårdsamverkan Fyrbodal", "fyrbodal", "Vårdsamverkan Fyrbodal"),
    (
        "Göteborgsområdet",
        "Vårdsamverkan i Göteborgsområdet",
        "goteborgsomradet",
        "Vårdsamverkan i Göteborgsområdet (VGO)",
    ),
    ("SAMLA", "SAMLA", "samla", "SAMLA"),
    ("SIMBA", "SIMBA", "simba", "SIMBA"),
    ("Skaraborg", "Vårdsamverkan Skaraborg", "skaraborg", "Vårdsamverkan Skaraborg"),
    ("Södra Älvsborg", "Närvårdssamverkan Södra Älvsborg", "sodra-alvsborg", "Närvårdssamverkan Södra Älvsborg"),
]


def municipalities_csv() -> Path:
    """shared/data beside the project in a checkout; a copy in the project for a lone clone."""
    for candidate in (
        settings.BASE_DIR.parent / "shared" / "data" / "vg_municipalities.csv",
        settings.BASE_DIR / "governance" / "data" / "vg_municipalities.csv",
    ):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("vg_municipalities.csv hittades inte")


def _get(model, defaults=None, **keys):
    obj = model.objects.filter(**keys).first()
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        obj._change_reason = "Demodata"
        obj.save()
    return obj


def seed_structure() -> dict:
    subregions = {}
    for short, name, slug, _label in SUBREGIONS:
        subregions[short] = _get(Subregion, {"name": name, "short_name": short}, slug=slug)
    by_label = {label: subregions[short] for short, _n, _s, label in SUBREGIONS}

    vgr = _get(
        Organisation,
        {"name": "Västra Götalandsregionen", "kind": "region", "org_number": "232100-0131"},
        slug="vastra-gotalandsregionen",
    )
    vastkom = _get(
        Organisation, {"name": "VästKom", "kind": "association", "org_number": "858501-2084"}, slug="vastkom"
    )
    municipalities = {}
    with municipalities_csv().open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            org = _get(
                Organisation,
                {
                    "name": row["name"],
                    "slug": slugify(row["name"].replace("å", "a").replace("ä", "a").replace("ö", "o")),
                    "kind": "municipality",
                    "subregion": by_label[row["subregion"]],
                    "kommunalforbund": row["kommunalforbund"],
                },
                code=row["code"],
            )
            _get(
                PopulationFigure,
                {"population": int(row["population"])},
                organisation=org,
                year=int(row["population_year"]),
            )
            municipalities[row["name"]] = org

    def body(slug, **fields):
        parties = fields.pop("parties", [])
        b = _get(Body, fields, slug=slug)
        if parties and not b.mandate_parties.exists():
            b.mandate_parties.set(parties)
        return b

    vvg = body(
        "vvg",
        name="Vårdsamverkan Västra Götaland",
        short_name="VVG",
        kind="collaboration",
        sort_order=10,
        parties=[vgr, vastkom],
        target_meetings_min=8,
        target_meetings_max=10,
        description="Samverkansforum för de 49 kommunerna och regionen i länsgemensamma strategiska frågor "
        "inom hälso- och sjukvård, omsorg och socialtjänst; styrgrupp för förvaltningsobjekt SHVO.",
    )
    sitiv = body(
        "sitiv",
        name="Styrgrupp IT i Väst",
        short_name="SITIV",
        kind="steering",
        sort_order=20,
        parties=[vgr, vastkom],
        target_meetings_min=4,
        target_meetings_max=6,
        description="Styr och leder arbetet kring de it-stöd som är gemensamma för kommunerna och regionen; "
        "beslutar om budget.",
    )
    gits = body(
        "gits",
        name="Gemensam information och tjänstesamordning",
        short_name="GITS",
        kind="coordination",
        mandate_giver=sitiv,
        sort_order=30,
        description="Organisationsneutral förvaltningsfunktion för de gemensamma it-tjänsterna.",
    )
    team = body(
        "gits-team-shvo",
        name="GITS Team SHVO",
        short_name="Team SHVO",
        kind="operative",
        mandate_giver=gits,
        sort_order=31,
        description="Funktionskoordinatorerna som förvaltar SAMSA och förvaltningsplan SHVO.",
    )
    beredning = body(
        "gemensam-beredning",
        name="Gemensam beredning VVG och SITIV",
        short_name="Gemensam beredning",
        kind="preparation",
        mandate_giver=vvg,
        sort_order=40,
        description="Bereder gemensamma frågor till VVG och SITIV.",
    )
    _get(
        BodyRename,
        {"note": "VVG:s ställningstagande vid uppföljningen av ledningsrådets pausning"},
        body=beredning,
        previous_name="GITS utökad ledningsgrupp",
        renamed_on=D(2024, 1, 29),
    )
    ref = body(
        "referensgrupp-shvo",
        name="Referensgrupp SHVO",
        short_name="Referensgrupp SHVO",
        kind="reference",
        mandate_giver=vvg,
        convener=gits,
        target_meetings_min=6,
        target_meetings_max=8,
        sort_order=50,
        description="Länsgemensam referensgrupp för samordnad hälsa, vård och omsorg; stöd till GITS i "
        "uppdraget enligt förvaltningsplan SHVO.",
    )
    forvaltningsgrupp = body(
        "forvaltningsgrupp-shvo",
        name="Förvaltningsgrupp SHVO",
        short_name="Förvaltningsgrupp",
        kind="reference",
        mandate_giver=vvg,
        sort_order=55,
        description="Föregångare till Referensgrupp SHVO.",
    )
    ledningsrad = body(
        "ledningsrad-shvo",
        name="Ledningsråd SHVO",
        short_name="Ledningsråd",
        kind="council",
        mandate_giver=vvg,
        sort_order=60,
        description="Ledningsråd för samordnad hälsa, vård och omsorg.",
    )
    groups = {}
    for slug, name, giver, closed, note in [
        ("ag-utveckling", "AG Utveckling", ref, D(2025, 12, 31), "Få förändringsönskemål; ses som avslutad."),
        (
            "ag-rutin",
            "AG Rutin",
            forvaltningsgrupp,
            D(2024, 8, 31),
            "Rutin för öppenvårdsprocessen rapporterad till VVG.",
        ),
        ("au-dokumentation", "AU Dokumentation", forvaltningsgrupp, D(2019, 12, 31), ""),
        ("au-utbildning", "AU Utbildning", forvaltningsgrupp, D(2019, 12, 31), ""),
        ("au-anvandbarhet", "AU Användbarhet", forvaltningsgrupp, D(2019, 12, 31), ""),
    ]:
        g = body(slug, name=name, short_name=name, kind="working", mandate_giver=giver, sort_order=70)
        _get(BodyStatusChange, {"status": "active"}, body=g, effective_from=D(2015, 1, 1))
        _get(BodyStatusChange, {"status": "closed", "note": note}, body=g, effective_from=closed)
        groups[slug] = g
    lgs = body(
        "lgs-goteborgsomradet",
        name="Ledningsgrupp för samverkan Göteborgsområdet",
        short_name="LGS",
        kind="subregional",
        level="subregional",
        subregion=subregions["Göteborgsområdet"],
        sort_order=80,
        parties=[vgr],
        description="Delregional ledningsgrupp för vårdsamverkan i Göteborgsområdet.",
    )

    _get(BodyStatusChange, {"status": "active"}, body=ledningsrad, effective_from=D(2018, 1, 1))
    _get(
        BodyStatusChange,
        {"status": "paused", "note": "VVG ställde sig bakom att pausa ledningsrådet."},
        body=ledningsrad,
        effective_from=D(2023, 3, 1),
    )
    _get(BodyStatusChange, {"status": "active"}, body=forvaltningsgrupp, effective_from=D(2016, 1, 1))
    _get(
        BodyStatusChange,
        {"status": "closed", "note": "Ersatt av Referensgrupp SHVO."},
        body=forvaltningsgrupp,
        effective_from=D(2026, 1, 1),
    )
    _get(
        BodyStatusChange,
        {"status": "active", "note": "Uppstartsmöte 2026-01-28."},
        body=ref,
        effective_from=D(2026, 1, 1),
    )

    _get(
        Charter,
        {
            "valid_from": D(2026, 1, 1),
            "purpose": "Uppdraget ges av VVG och utgår från den årliga förvaltningsplanen SHVO. Gruppen stöder GITS i "
            "förvaltning och utveckling av it-stödet och tillämpningen av de länsgemensamma rutinerna, och "
            "ansvarar för revideringar av redaktionell karaktär i dem.",
            "tasks": "Delta i att ta fram förslag till förvaltningsplan SHVO.\nFölja upp förvaltningsplanen löpande.\n"
            "Redovisa resultat och utvecklingsbehov till VVG.\nTa ställning i konsensus; annars lyfta frågan "
            "via delregional vårdsamverkan till VVG.\nFöra information till och från sin delregion.",
            "composition": "En till två representanter per delregionalt vårdsamverkansområde; Göteborgsområdet upp till "
            "fyra. GITS sammankallar och säkerställer ordförande och sekreterare. Jämn fördelning mellan "
            "kommun och region eftersträvas.",
            "competence_criteria": "Kunskap om de regionala överenskommelserna, riktlinjerna och rutinerna.\n"
            "Kunskap om SAMSA och hur tjänsten används.\nVana att arbeta i samverkan.",
            "meeting_frequency": "6–8 möten per år",
            "economy": "Uppdraget utgår från delregional vårdsamverkan; ingen ersättning från länsnivå.",
        },
        body=ref,
        version=1,
    )
    _get(CompositionRule, {"min_count": 1, "max_count": 2}, body=ref, kind="per_subregion", subregion=None)
    _get(
        CompositionRule,
        {"min_count": 1, "max_count": 4},
        body=ref,
        kind="per_subregion",
        subregion=subregions["Göteborgsområdet"],
    )
    _get(CompositionRule, {"min_count": 0, "max_count": None}, body=ref, kind="party_balance", subregion=None)

    return {
        "subregions": subregions,
        "vgr": vgr,
        "vastkom": vastkom,
        "municipalities": municipalities,
        "bodies": {
            "vvg": vvg,
            "sitiv": sitiv,
            "gits": gits,
            "team": team,
            "beredning": beredning,
            "ref": ref,
            "forvaltningsgrupp": forvaltningsgrupp,
            "ledningsrad": ledningsrad,
            "lgs": lgs,
            **groups,
        },
    }


# Fictional people: (username or None, first, last, title, organisation name, [(body, role, subregion, party, start, end)])
def _people(s) -> list:
    b, sr, m, vgr = s["bodies"], s["subregions"], s["municipalities"], s["vgr"]
    start = D(2026, 1, 1)
    return [
        (
            "samordnare",
            "Sara",
            "Lind",
            "Funktionskoordinator",
            vgr,
            [
                (b["gits"], "member", None, None, D(2020, 1, 1), None),
                (b["team"], "member", None, None, D(2020, 1, 1), None),
            ],
        ),
        (
            None,
            "Jonas",
            "Berg",
            "Funktionskoordinator",
            vgr,
            [
                (b["gits"], "member", None, None, D(2019, 1, 1), None),
                (b["team"], "chair", None, None, D(2019, 1, 1), None),
            ],
        ),
        (
            "sekreterare",
            "Elin",
            "Sjöberg",
            "Verksamhetsutvecklare",
            vgr,
            [
                (b["ref"], "secretary", None, None, start, None),
                (b["beredning"], "secretary", None, None, D(2024, 2, 1), None),
            ],
        ),
        ("ordforande", "Anders", "Holm", "Strateg", vgr, [(b["ref"], "chair", None, None, start, None)]),
        (
            "fyrbodal",
            "Maria",
            "Ek",
            "Enhetschef",
            m["Uddevalla"],
            [(b["ref"], "member", sr["Fyrbodal"], m["Uddevalla"], start, None)],
        ),
        (None, "Per", "Åström", "Avdelningschef", vgr, [(b["ref"], "member", sr["Fyrbodal"], vgr, start, None)]),
        (
            "skaraborg",
            "Karin",
            "Öberg",
            "Utvecklingsledare",
            m["Skövde"],
            [(b["ref"], "member", sr["Skaraborg"], m["Skövde"], start, None)],
        ),
        (None, "Lars", "Nyström", "Vårdenhetschef", vgr, [(b["ref"], "member", sr["Skaraborg"], vgr, start, None)]),
        (
            "goteborg",
            "Eva",
            "Dahl",
            "Samordnare",
            m["Göteborg"],
            [(b["ref"], "member", sr["Göteborgsområdet"], m["Göteborg"], start, None)],
        ),
        (None, "Johan", "Ärlig", "Sektionschef", vgr, [(b["ref"], "member", sr["Göteborgsområdet"], vgr, start, None)]),
        (
            None,
            "Lena",
            "Björk",
            "Utvecklare",
            m["Mölndal"],
            [(b["ref"], "member", sr["Göteborgsområdet"], m["Mölndal"], start, None)],
        ),
        (
            None,
            "Ola",
            "Svensson",
            "Processledare",
            m["Partille"],
            [(b["ref"], "member", sr["Göteborgsområdet"], m["Partille"], start, None)],
        ),
        (
            None,
            "Anna",
            "Wik",
            "Enhetschef",
            m["Alingsås"],
            [(b["ref"], "member", sr["SAMLA"], m["Alingsås"], start, None)],
        ),
        (
            None,
            "Nils",
            "Forsberg",
            "Verksamhetsutvecklare",
            m["Borås"],
            [(b["ref"], "member", sr["Södra Älvsborg"], m["Borås"], start, None)],
        ),
        (
            None,
            "Ingrid",
            "Strand",
            "Avdelningschef",
            vgr,
            [(b["ref"], "member", sr["Södra Älvsborg"], vgr, start, None)],
        ),
        (
            None,
            "Gustav",
            "Ahl",
            "Enhetschef",
            m["Trollhättan"],
            [(b["forvaltningsgrupp"], "member", sr["Fyrbodal"], m["Trollhättan"], D(2022, 1, 1), D(2025, 12, 31))],
        ),
        (
            "beredning",
            "Helena",
            "Kvist",
            "Beredningsansvarig",
            vgr,
            [
                (b["beredning"], "preparer", None, None, D(2024, 2, 1), None),
                (b["vvg"], "preparer", None, None, D(2024, 2, 1), None),
                (b["sitiv"], "preparer", None, None, D(2024, 2, 1), None),
            ],
        ),
        (
            None,
            "Mikael",
            "Roos",
            "Beredningsansvarig",
            m["Göteborg"],
            [
                (b["beredning"], "preparer", None, None, D(2024, 2, 1), None),
                (b["sitiv"], "preparer", None, None, D(2024, 2, 1), None),
            ],
        ),
        (
            None,
            "Birgitta",
            "Falk",
            "Förvaltningschef",
            m["Lerum"],
            [(b["vvg"], "chair", None, m["Lerum"], D(2025, 1, 1), None)],
        ),
        (
            None,
            "Tomas",
            "Ljung",
            "Hälso- och sjukvårdsdirektör",
            vgr,
            [
                (b["vvg"], "vice_chair", None, vgr, D(2025, 1, 1), None),
                (b["sitiv"], "chair", None, vgr, D(2025, 1, 1), None),
            ],
        ),
        (
            None,
            "Sofia",
            "Lund",
            "Ordförande",
            m["Mölndal"],
            [(b["lgs"], "chair", sr["Göteborgsområdet"], m["Mölndal"], D(2023, 1, 1), None)],
        ),
        ("admin-fyrbodal", "Ulla", "Wester", "Samordnare Vårdsamverkan Fyrbodal", m["Vänersborg"], []),
        (
            "sekreterare-vvg",
            "Lena",
            "Dahl",
            "Nämndsekreterare",
            vgr,
            [(b["vvg"], "secretary", None, None, D(2024, 1, 1), None)],
        ),
    ]


def seed_people(s: dict) -> None:
    User = get_user_model()
    for username, first, last, title, org, memberships in _people(s):
        person = _get(
            Person,
            {"title": title, "organisation": org, "email": f"{slugify(first)}.{slugify(last)}@example.se"},
            first_name=first,
            last_name=last,
        )
        if username and person.user_id is None:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name, user.last_name, user.email = first, last, person.email
            _set_demo_password(user)
            user.save()
            person.user = user
            person._change_reason = "Demodata: inloggning"
            person.save()
        for body, role, subregion, party, start, end in memberships:
            _get(
                Membership,
                {"subregion": subregion, "party": party, "end_date": end},
                person=person,
                body=body,
                role=role,
                start_date=start,
            )
    admin_fyrbodal = User.objects.get(username="admin-fyrbodal")
    if not admin_fyrbodal.has_perm("governance.manage_seats", s["subregions"]["Fyrbodal"]):
        assign_perm("governance.manage_seats", admin_fyrbodal, s["subregions"]["Fyrbodal"])
    if not User.objects.filter(username="admin").exists():
        admin = User(username="admin", is_staff=True, is_superuser=True, email="admin@example.se")
        _set_demo_password(admin)
        admin.save()
    _get(
        Vacancy,
        {"note": "Delregionen har inte utsett någon representant."},
        body=s["bodies"]["ref"],
        subregion=s["subregions"]["SIMBA"],
        role="member",
        since=D(2026, 1, 1),
    )


def _set_demo_password(user) -> None:
    # Known demo passwords only where nobody can reach them: a development server (DEBUG).
    if settings.DEBUG:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()


def seed() -> dict:
    structure = seed_structure()
    seed_people(structure)
    return structure
