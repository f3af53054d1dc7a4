"""Benchmarks of every page at 1× and 10× data: server time, throughput against a trivial view, query counts,
and the memory of one server worker.

    .venv/bin/python bench/run.py            (or `make bench`)
    .venv/bin/python bench/run.py --scales 1 --requests 50 --no-memory   (a quick look)

For each scale (the largest first) a fresh database is created (PostgreSQL shvo_bench_<scale> on 127.0.0.1:5432;
a temporary SQLite file when PostgreSQL cannot be reached), migrated, seeded (manage.py seed_demo) and filled by
bench/generate.py. A child process per scale then requests every named URL pattern of the project in-process with
django.test.Client, each page right after a block of requests to the baseline /halsa/process/ and one to the template floor
/halsa/sida/ (the base layout with no data). Afterwards a
`manage.py runserver` worker is started against the largest database and every page is requested over HTTP on
127.0.0.1 to read the worker's memory. See bench/README.md for how to read the output.

Nothing here asserts a time: the numbers are printed, together with how they compare to the targets.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"  # git-ignored
PYTHON = sys.executable

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/shvo_bench_{scale}"

# Targets (printed, never asserted).
TARGET_P95_MS = 25.0
TARGET_THROUGHPUT = 0.5  # × the baseline's
TARGET_WORKER_MB = 150.0

# Demo users (governance/demo.py) whose start page shows their own panels: coordinator, secretary, subregion
# administrator, representative, and the administrator (all subregions' seats).
START_PAGE_ROLES = ["admin", "samordnare", "sekreterare", "admin-fyrbodal", "fyrbodal"]
# Pages the administrator may not open, measured as the demo user whose page it is (SITIV's decision on a budget is
# recorded by its preparer, a subregion's supplement to a governing document by its representatives: never by the
# administrator).
ROUTE_USERS = {"documents:budget_decide": "beredning", "documents:supplement_write": "goteborg"}

BASELINE = "liveness"  # /halsa/process/: no database, no template (/halsa/ asks the database)
FLOOR = "floor"  # /halsa/sida/: the base layout rendered with no data, the floor of any page with a template
TARGET_FLOOR = 0.5  # the heaviest page at least half as fast as the template floor


def bench_env(tmp: Path, **extra) -> dict:
    """Production-like settings: DEBUG off, but plain HTTP on 127.0.0.1 (no SSL redirect, no secure cookies);
    static files (collected) and media files (the demo's published PDFs) in the run's temporary directory."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_LOG_LEVEL": "ERROR",
            # Uploaded and published files (minutes PDFs from seed_demo) go to bench's temporary directory.
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "BENCH_STATIC_ROOT": str(tmp / "static"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH", "")])),
        }
    )
    env.pop("PYTEST_VERSION", None)
    env.update(extra)
    return env


# =================================================================================================
# Child: one scale, in-process
# =================================================================================================


def pctl(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _project_apps():
    from django.apps import apps

    return [
        a
        for a in apps.get_app_configs()
        if Path(a.path).resolve().is_relative_to(BASE_DIR)
        and not Path(a.path).resolve().is_relative_to(BASE_DIR / ".venv")
    ]


def walk_patterns():
    """(full name, pattern) for every named URL pattern, depth first, in urls.py order."""
    from django.urls import URLResolver, get_resolver

    def walk(resolver, ns, chain):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, ns + ((p.namespace,) if p.namespace else ()), chain + [p.pattern])
            elif p.name:
                yield ":".join(ns + (p.name,)), chain + [p.pattern]

    seen = set()
    for name, chain in walk(get_resolver(), (), []):
        if name not in seen:  # reverse() uses the first pattern of a name
            seen.add(name)
            yield name, chain


def pattern_params(chain) -> tuple[list[str], int]:
    """Names of the keyword arguments and the number of positional groups of a pattern and its prefixes."""
    from django.urls.resolvers import RegexPattern, RoutePattern

    kw, positional = [], 0
    for pat in chain:
        if isinstance(pat, RoutePattern):
            kw += list(pat.converters)
        elif isinstance(pat, RegexPattern):
            regex = re.compile(pat._regex)
            kw += list(regex.groupindex)
            positional += regex.groups - len(regex.groupindex)
    return kw, positional


def admin_model_for(url_name: str):
    from django.contrib import admin

    best = None
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, model)
    return best[1] if best else None


def portal_model_for(namespace: str | None, url_name: str):
    """governance:body_detail -> governance.Body; governance:charter_detail -> governance.Charter …"""
    configs = _project_apps()
    if namespace:
        own = [a for a in configs if a.label == namespace]
        configs = own + [a for a in configs if a.label != namespace]
    parts = url_name.split("_")
    for exact in (True, False):  # body_detail -> Body; round_detail -> ReviewRound (a suffix) when nothing is exact
        for k in range(len(parts), 0, -1):
            candidate = "".join(parts[:k]).lower()
            for config in configs:
                for model in config.get_models():
                    name = model._meta.model_name
                    if name == candidate if exact else name.endswith(candidate):
                        return model
    return None


# Highest pk per model after the demo data and before the generated data; the pages are measured on demo objects
# (when the model has any) so that every scale shows the same object, only with more data around it.
DEMO_MAX_PK: dict[str, int] = {}


def record_demo_objects() -> None:
    from django.apps import apps
    from django.db.models import Max

    for model in apps.get_models():
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            top = model._base_manager.aggregate(m=Max("pk"))["m"]
            if top is not None:
                DEMO_MAX_PK[model._meta.label_lower] = top


def busiest(model, require: str | None = None):
    """The (demo) instance with the most rows pointing at it, so detail pages show the most data; ties by pk."""
    from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce

    qs = model._default_manager.all()
    if require and require not in ("pk", "id", "object_id"):
        try:
            field = model._meta.get_field(require)
        except Exception:  # noqa: BLE001 – not a field of its own (filled through a relation)
            field = None
        if field is not None and field.concrete:
            missing = Q(**{f"{require}__isnull": True})
            if not field.is_relation and field.get_internal_type() in ("CharField", "SlugField", "TextField"):
                missing |= Q(**{require: ""})
            qs = qs.exclude(missing)
    top = DEMO_MAX_PK.get(model._meta.label_lower)
    if top is not None and qs.filter(pk__lte=top).exists():
        qs = qs.filter(pk__lte=top)
    preferred = {"governance.charter": ("-version", "pk")}
    if model._meta.label_lower in preferred:
        return qs.order_by(*preferred[model._meta.label_lower]).first()
    weight = Value(0, output_field=IntegerField())
    for rel in model._meta.get_fields():
        if rel.one_to_many and rel.auto_created and not rel.concrete and rel.related_name != "+":
            sub = (
                rel.related_model._base_manager.filter(**{rel.field.name: OuterRef("pk")})
                .order_by()
                .values(rel.field.name)
                .annotate(c=Count("*"))
                .values("c")
            )
            weight = weight + Coalesce(Subquery(sub, output_field=IntegerField()), 0)
    return qs.annotate(_bench_weight=weight).order_by("-_bench_weight", "pk").first()


class Skip(Exception):
    pass


def _value(obj, key: str):
    """obj's value for a URL argument: its pk, a field of its own, or a field of an object it points at."""
    from django.db import models

    if key in ("pk", "id", "object_id"):
        return obj.pk
    if hasattr(obj, key) and not callable(getattr(obj, key)):
        value = getattr(obj, key)
        if value is None or value == "":
            raise Skip(f"{obj._meta.label}:{obj.pk} has no <{key}>")
        if isinstance(value, models.Model):  # <slug:subregion> -> the subregion's slug
            return getattr(value, "slug", None) or value.pk
        return value
    for f in obj._meta.concrete_fields:  # e.g. <slug> of a charter is its body's slug
        if f.is_relation and f.related_model is not None and hasattr(f.related_model, key):
            related = getattr(obj, f.name)
            if related is not None:
                return getattr(related, key)
    raise Skip(f"cannot fill <{key}> from {obj._meta.label}")


def _can_supply(model, key: str) -> bool:
    if key in ("pk", "id", "object_id"):
        return True
    names = {f.name for f in model._meta.concrete_fields}
    if key in names:
        return True
    return any(
        f.is_relation and f.related_model is not None and hasattr(f.related_model, key)
        for f in model._meta.concrete_fields
    )


MAX_CANDIDATES = 12


def _fill_response_edit():
    from documents.models import JointResponse

    for r in JointResponse.objects.select_related("subregion").order_by("pk")[:MAX_CANDIDATES]:
        yield [], {"pk": r.round_id, "subregion": r.subregion.slug}, f"documents.JointResponse:{r.pk}"


def _fill_published_pdf():
    from meetings.models import Minutes

    for m in Minutes.objects.exclude(pdf_sha256="").select_related("meeting__body")[:MAX_CANDIDATES]:
        name = f"{m.meeting.body.slug}-{m.meeting.date.isoformat()}"
        yield [], {"sha256": m.pdf_sha256, "name": name}, f"meetings.Minutes:{m.pk}"


def _fill_calendar_feed():
    from governance.models import Person
    from meetings.calendar import feed_token

    person = busiest(Person, "user")  # the person with the most memberships, so the feed grows with the data
    if person is not None and person.user_id:
        yield [], {"token": feed_token(person.user)}, f"auth.User:{person.user_id}"


def _fill_plan_compare():
    from django.db.models import Count, Max, Min

    from documents.models import ManagementPlan

    plans = ManagementPlan.objects.annotate(
        n=Count("document__versions"), lo=Min("document__versions__number"), hi=Max("document__versions__number")
    )
    for plan in plans.filter(n__gte=2).order_by("-n", "pk")[:MAX_CANDIDATES]:
        yield [], {"pk": plan.pk}, f"documents.ManagementPlan:{plan.pk}", f"a={plan.lo}&b={plan.hi}"


def _fill_governing_compare():
    """The generated 40-page routine's two versions (bench/generate.py), the size issue 13 names; else the demo's
    discharge routine."""
    from bench.generate import LONG_ROUTINE_SLUG
    from documents.governing_models import GoverningDocument

    for doc in [*GoverningDocument.objects.filter(slug=LONG_ROUTINE_SLUG), *_governing_documents()]:
        yield [], {"slug": doc.slug}, f"documents.GoverningDocument:{doc.pk}", "a=1&b=2"


def _governing_documents():
    """The demo's discharge routine (the most versions, a supplement, a proposal) first, then the others."""
    from documents.governing_models import GoverningDocument
    from meetings.governing_demo import ROUTINE_SLUG

    rows = GoverningDocument.objects.filter(scope="county").order_by("pk")
    return sorted(rows[:MAX_CANDIDATES], key=lambda d: d.slug != ROUTINE_SLUG)


def _fill_governing(**extra):
    def fill():
        for doc in _governing_documents():
            yield [], {"slug": doc.slug, **extra}, f"documents.GoverningDocument:{doc.pk}"

    return fill


def _fill_revision():
    """The demo routine's version 2 (approved through its case, with the PDF issued then), then other approved
    versions with a PDF, then any approved version (a generated one has no PDF: its PDF page answers 404)."""
    from documents.governing_models import Revision
    from meetings.governing_demo import ROUTINE_SLUG

    rows = Revision.objects.filter(status="approved").select_related("document", "version")
    demo = rows.filter(document__slug=ROUTINE_SLUG, version__number=2)
    with_pdf = rows.exclude(pdf_sha256="").order_by("pk")[:MAX_CANDIDATES]
    for r in [*demo, *with_pdf, *rows.order_by("pk")[:2]]:
        yield [], {"slug": r.document.slug, "number": r.version.number}, f"documents.Revision:{r.pk}"


def _fill_supplement_write():
    """The demo routine's supplement for Göteborgsområdet, written by its representative (ROUTE_USERS)."""
    for doc in _governing_documents()[:1]:
        yield [], {"slug": doc.slug, "subregion": "goteborgsomradet"}, f"documents.GoverningDocument:{doc.pk}"


# Governing documents (issue 13) are addressed by their slug (and a version's number); the generic rules would guess
# a managed object's slug.
GOVERNING_FILLERS = {
    "documents:governing_detail": _fill_governing(),
    "documents:revision_propose": _fill_governing(),
    "documents:governing_compare": _fill_governing_compare,
    "documents:supplement_write": _fill_supplement_write,
    **{
        f"documents:{name}": _fill_revision
        for name in ("revision_detail", "revision_pdf", "revision_position", "revision_escalate")
    },
}


def _plan_year(year: int, **extra):
    """A budget page of the demo's plan for `year` (2026: in force, decided, with outcome; 2027: the draft)."""

    def fill():
        from documents.models import ManagementPlan

        plan = ManagementPlan.objects.filter(managed_object__slug="shvo", year=year).first()
        if plan is not None:
            yield [], {"pk": plan.pk, **extra}, f"documents.ManagementPlan:{plan.pk}"

    return fill


# The budget's pages take the plan's pk (and a quarter); the generic rules would guess the Budget's or a report's.
BUDGET_FILLERS = {
    **{
        f"documents:{name}": _plan_year(2026)
        for name in (
            "budget_followup",
            "invoicing_basis",
            "invoicing_basis_csv",
            "invoicing_basis_xlsx",
            "invoicing_reconciliation",
            "outcome_import",
        )
    },
    **{f"documents:{name}": _plan_year(2026, quarter=2) for name in ("outcome_edit", "quarterly_report")},
    **{
        f"documents:{name}": _plan_year(2027)
        for name in ("budget_import", "budget_uplift", "budget_line_create", "invoicing_plan_edit", "budget_decide")
    },
}


def _fill_forum_detail():
    """A forum is addressed by its process's slug: the forum with the most topics first."""
    from django.db.models import Count

    from governance.models import Forum

    for forum in Forum.objects.annotate(n=Count("topics")).order_by("-n", "pk").select_related("process")[:3]:
        yield [], {"slug": forum.process.slug}, f"governance.Forum:{forum.pk}"


# URLs whose arguments the generic rules cannot work out: name -> candidates (args, kwargs, object label[, query]).
# An app whose new URL shows up under "Not measured" adds its filler here.
FILLERS = {
    "documents:plan_compare": _fill_plan_compare,
    "documents:response_edit": _fill_response_edit,
    "meetings:published_pdf": _fill_published_pdf,
    "meetings:calendar_feed": _fill_calendar_feed,
    "governance:forum_detail": _fill_forum_detail,
    **BUDGET_FILLERS,
    **GOVERNING_FILLERS,
}


def fills(name: str, chain):
    """Candidate arguments for reverse(), best guess first: (args, kwargs, object label).

    The model comes from the URL name (governance:body_detail -> Body, admin:governance_subregion_change ->
    Subregion); when the name says nothing (meetings:item_create <pk>), the models of the URL's app and then of
    the other project apps that can supply the arguments are tried, each with its busiest object.
    """
    from django.contrib import admin

    namespace, _, url_name = name.rpartition(":")
    if name in FILLERS:
        yield from FILLERS[name]()
        return
    kw, positional = pattern_params(chain)
    if not kw and not positional:
        yield [], {}, ""
        return
    is_admin = namespace == "admin"
    guess = admin_model_for(url_name) if is_admin else portal_model_for(namespace or None, url_name)
    models = [guess] if guess is not None else []
    if not is_admin:
        apps_ = _project_apps()
        apps_.sort(key=lambda a: a.label != namespace)
        for config in apps_:
            models += [m for m in config.get_models() if m not in models]
    needed = [k for k in kw if not (k == "app_label" and is_admin)]
    models = [m for m in models if all(_can_supply(m, k) for k in needed)][:MAX_CANDIDATES]
    if not models and (needed or positional):
        raise Skip(f"no model supplies <{'>, <'.join(needed) or positional}>")
    for model in models or [None]:
        obj = busiest(model, needed[0] if needed else None) if model is not None else None
        if obj is None and (needed or positional):
            continue
        args, kwargs = [], {}
        if positional:
            # django-simple-history's admin: <object_id>/history/<history_id>/
            if url_name.endswith("_simple_history") and positional == 2:
                record = obj.history.order_by("-history_id").first()
                if record is None:
                    continue
                args = [obj.pk, record.history_id]
            else:
                raise Skip(f"{positional} positional argument(s) with no filler")
        try:
            for key in kw:
                if key == "app_label" and is_admin:
                    labels = {m._meta.app_label for m in admin.site._registry}
                    own = [a.label for a in _project_apps() if a.label in labels]
                    kwargs[key] = model._meta.app_label if model else (own or sorted(labels))[0]
                else:
                    kwargs[key] = _value(obj, key)
        except Skip:
            continue
        yield args, kwargs, (f"{model._meta.label}:{obj.pk}" if obj is not None else "")


def normalise_sql(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"IN \((?:\?, )*\?\)", "IN (…)", sql)
    return sql


class QueryLog:
    """Every statement the connection executes, via connection.execute_wrapper().

    Not CaptureQueriesContext: that reads connection.queries_log, a deque capped at 9 000 entries, so a page with
    more queries than that would silently count as 0 (the admin's delete page of a big organisation does).
    """

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)


def top_repeat(statements: list[str]) -> tuple[int, str]:
    """The most repeated query shape of a request: a high count is the usual sign of an N+1."""
    counts = Counter(normalise_sql(sql) for sql in statements)
    if not counts:
        return 0, ""
    shape, n = counts.most_common(1)[0]
    return n, shape


def body_size(response) -> int:
    """The body's length, reading a streamed body to its end (and caching it for a second call)."""
    if getattr(response, "_bench_size", None) is None:
        if response.streaming:
            response._bench_size = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
        else:
            response._bench_size = len(response.content)
    return response._bench_size


def child(scale: int, out: Path, args) -> None:
    sys.path.insert(0, str(BASE_DIR))
    import logging

    import django

    django.setup()
    # 4xx responses while the pages are discovered (405 for POST-only views …) are reported in the summary.
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    sys.path.insert(0, str(BENCH_DIR))
    from generate import generate

    result = {"scale": scale, "backend": connection.vendor, "database": str(settings.DATABASES["default"]["NAME"])}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t1 = time.perf_counter()
    try:  # every app's demo data, as `make demo` loads it; generate() seeds the governance demo in any case
        call_command("seed_demo", verbosity=0)
    except Exception as error:  # noqa: BLE001 – report and go on with the governance demo only
        print(
            f"   WARNING: manage.py seed_demo failed ({error.__class__.__name__}: {error}); "
            "going on with governance.demo.seed() only",
            flush=True,
        )
        from django.db import transaction

        from governance import demo

        with transaction.atomic():
            demo.seed()
    record_demo_objects()
    counts = generate(scale)
    t2 = time.perf_counter()
    result["rows"] = dict(counts)
    result["setup_seconds"] = {"migrate": round(t1 - t0, 1), "seed+generate": round(t2 - t1, 1)}
    print(
        f"\n== Scale {scale}× ({connection.vendor}, {result['database']}): migrate {t1 - t0:.1f} s, "
        f"seed + generate {t2 - t1:.1f} s",
        flush=True,
    )
    interesting = [
        "governance.Person",
        "governance.Membership",
        "governance.Body",
        "governance.Vacancy",
        "governance.Charter",
        "governance.PopulationFigure",
    ]
    print("   generated: " + ", ".join(f"{counts.get(k, 0)} {k.split('.')[1]}" for k in interesting), flush=True)

    host = {"HTTP_HOST": "127.0.0.1"}
    anon = Client(**host)
    base_client = Client(**host)
    admin_user = get_user_model().objects.get(username="admin")
    signed_in = Client(**host)
    signed_in.force_login(admin_user)
    clients = {"anon": anon, "admin": signed_in}
    # The start page differs per role ("Väntar på dig"): measured also as each demo role that has its own panels.
    for username in {*START_PAGE_ROLES, *ROUTE_USERS.values()}:
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            clients[username] = Client(**host)
            clients[username].force_login(user)
    baseline_url = reverse(BASELINE)
    floor_url = reverse(FLOOR)

    def timed(client, url):
        start = time.perf_counter()
        response = client.get(url)
        body_size(response)  # a streamed response (a PDF) is produced while it is read
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, response

    # Warm the baseline up.
    for _ in range(20):
        timed(base_client, baseline_url)
        timed(base_client, floor_url)

    def probe(client, url):
        log = QueryLog()
        with connection.execute_wrapper(log):
            t, response = timed(client, url)
        return t, response, log.sql

    pages, skipped, first_samples = [], [], {}
    same_as = {}
    if args.same_as and args.same_as.exists():
        same_as = {p["name"]: p for p in json.loads(args.same_as.read_text(encoding="utf-8"))["pages"]}
    for name, pattern in walk_patterns():
        if name in (BASELINE, FLOOR) or (args.only and not any(part in name for part in args.only)):
            continue
        if name.endswith("logout"):
            skipped.append({"name": name, "reason": "signs the user out"})
            continue
        found, first_failure = None, None

        def candidates(name=name, pattern=pattern):
            # The object the first scale used (demo objects have the same pk and slug in every database) …
            if name in same_as:
                yield same_as[name]["url"], same_as[name]["object"]
            # … else the busiest object of the model the URL is about.
            for a, kw, obj_label, *query in fills(name, pattern):
                yield reverse(name, args=a, kwargs=kw) + (f"?{query[0]}" if query else ""), obj_label

        try:
            for url, obj_label in candidates():
                try:
                    auth = "anon"
                    t, response, sql = probe(anon, url)
                    if response.status_code in (301, 302, 403, 404):  # signed-in only, or hidden from the public
                        auth = "admin"
                        t, response, sql = probe(signed_in, url)
                    if response.status_code == 403 and ROUTE_USERS.get(name) in clients:
                        auth = ROUTE_USERS[name]
                        t, response, sql = probe(clients[auth], url)
                except Exception as error:  # noqa: BLE001 – a page that raises is reported, not measured
                    first_failure = first_failure or {
                        "url": url,
                        "reason": f"raised {error.__class__.__name__}: {error}",
                    }
                    break
                if response.status_code == 200:
                    found = {"name": name, "url": url, "auth": auth, "object": obj_label}
                    first_samples[name] = (t, sql, body_size(response))  # the first warm-up request
                    break
                where = f" → {response.get('Location')}" if response.has_header("Location") else ""
                first_failure = first_failure or {"url": url, "reason": f"GET gives {response.status_code}{where}"}
                if response.status_code != 404:
                    break  # the page exists but cannot be shown with a GET (405, 403, a redirect …)
        except Skip as why:
            first_failure = first_failure or {"reason": str(why)}
        except Exception as error:  # noqa: BLE001 – e.g. reverse() failing: reported, not fatal
            first_failure = first_failure or {"reason": f"{error.__class__.__name__}: {error}"}
        if found is None:
            failure = first_failure or {"reason": "no object to show"}
            failure["reason"] = failure["reason"][:300]
            skipped.append({"name": name, **failure})
            continue
        found["group"] = "admin" if name.startswith("admin:") else "portal"
        pages.append(found)

    for username in START_PAGE_ROLES:
        if username in clients and (not args.only or any(part in f"home@{username}" for part in args.only)):
            t, response, sql = probe(clients[username], "/")
            if response.status_code == 200:
                name = f"home@{username}"
                pages.append({"name": name, "url": "/", "auth": username, "object": "", "group": "portal"})
                first_samples[name] = (t, sql, body_size(response))

    total_started = time.perf_counter()
    for page in pages:
        client = clients[page["auth"]]
        url = page["url"]
        # Warm-up requests, each with its queries captured: the count of the last one is the page's count.
        t, last, size = first_samples[page["name"]]  # discovering the page was its first warm-up request
        query_counts, warm_times = [len(last)], [t]
        warm_started = time.perf_counter() - t / 1000
        for i in range(1, args.warmup):
            spent = time.perf_counter() - warm_started
            if (i >= 2 and spent > args.budget) or spent > 4 * args.budget:
                break  # a slow page: fewer warm-up requests (two unless one takes more than 4× the budget)
            t, response, last = probe(client, url)
            size = body_size(response)
            warm_times.append(t)
            query_counts.append(len(last))
        page["queries"] = query_counts[-1]
        page["queries_stable"] = len(set(query_counts[1:])) <= 1
        page["query_counts"] = query_counts
        page["top_repeat"], page["top_repeat_sql"] = top_repeat(last)
        page["kb"] = round(size / 1024, 1)
        # The baseline right before the page, then the page. Each block starts after a full garbage collection,
        # so that one page's garbage is not collected (and timed) in the next block.
        gc.collect()
        base_times = [timed(base_client, baseline_url)[0] for _ in range(args.baseline_requests)]
        gc.collect()
        floor_times = [timed(base_client, floor_url)[0] for _ in range(args.baseline_requests)]
        gc.collect()
        limit = args.admin_requests if page["group"] == "admin" else args.requests
        times, errors = [], 0
        if warm_times[-1] > 4000 * args.budget:  # seconds per request: the last warm-up request is the one sample
            times, limit = warm_times[-1:], 0
        started = time.perf_counter()
        for i in range(limit):
            spent = time.perf_counter() - started
            if (
                (i >= args.min_requests and spent > args.budget)
                or (i >= 3 and spent > 2 * args.budget)
                or (i >= 1 and spent > 4 * args.budget)
            ):
                break  # bounded by count; by time after a minimum; slow pages get fewer samples
            t, r = timed(client, url)
            times.append(t)
            errors += r.status_code != 200
        page.update(
            {
                "n": len(times),
                "errors": errors,
                "p50": statistics.median(times),
                "p95": pctl(times, 95),
                "mean": statistics.fmean(times),
                "base_p50": statistics.median(base_times),
                "base_p95": pctl(base_times, 95),
                "base_mean": statistics.fmean(base_times),
                "floor_mean": statistics.fmean(floor_times),
            }
        )
        page["p95_ratio"] = page["p95"] / page["base_p95"]
        page["throughput"] = page["base_mean"] / page["mean"]
        page["floor_throughput"] = page["floor_mean"] / page["mean"]
    all_base = [p["base_p95"] for p in pages]
    result["measure_seconds"] = round(time.perf_counter() - total_started, 1)
    result["loadavg"] = os.getloadavg()
    gc.collect()
    baseline_samples = [timed(base_client, baseline_url)[0] for _ in range(args.requests)]
    floor_samples = [timed(base_client, floor_url)[0] for _ in range(args.requests)]
    floor_log = QueryLog()
    with connection.execute_wrapper(floor_log):
        base_client.get(floor_url)
    result["floor"] = {
        "url": floor_url,
        "p50": statistics.median(floor_samples),
        "p95": pctl(floor_samples, 95),
        "mean": statistics.fmean(floor_samples),
        "queries": len(floor_log.sql),
    }
    log = QueryLog()
    with connection.execute_wrapper(log):
        base_client.get(baseline_url)
    result["baseline"] = {
        "url": baseline_url,
        "p50": statistics.median(baseline_samples),
        "p95": pctl(baseline_samples, 95),
        "mean": statistics.fmean(baseline_samples),
        "queries": len(log.sql),
        "per_page_p95_range": [min(all_base, default=0), max(all_base, default=0)],
    }
    result["pages"] = pages
    result["skipped"] = skipped
    # A session for the memory test's HTTP requests (the worker reads it from the same database).
    result["session_cookie"] = {settings.SESSION_COOKIE_NAME: signed_in.cookies[settings.SESSION_COOKIE_NAME].value}
    print_scale(result)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


# =================================================================================================
# Printing
# =================================================================================================


def fmt_ms(v: float) -> str:
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def print_scale(r: dict) -> None:
    b = r["baseline"]
    print(
        f"   baseline {b['url']}: p50 {b['p50']:.2f} ms, p95 {b['p95']:.2f} ms, mean {b['mean']:.2f} ms, "
        f"{b['queries']} queries (p95 of the block before each page: {b['per_page_p95_range'][0]:.2f}–"
        f"{b['per_page_p95_range'][1]:.2f} ms); measuring took {r['measure_seconds']} s; load average after it "
        f"{', '.join(f'{x:.1f}' for x in r['loadavg'])}",
        flush=True,
    )
    f = r["floor"]
    print(
        f"   template floor {f['url']}: p50 {f['p50']:.2f} ms, p95 {f['p95']:.2f} ms, mean {f['mean']:.2f} ms, "
        f"{f['queries']} queries ({b['mean'] / f['mean']:.2f}× the baseline's throughput)",
        flush=True,
    )
    for group, title in (("portal", "Portal pages"), ("admin", "Django admin (reference data)")):
        rows = [p for p in r["pages"] if p["group"] == group]
        if not rows:
            continue
        print(f"\n   {title}, scale {r['scale']}×")
        header = (
            f"   {'page':<44} {'as':<5} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'p95/base':>8} "
            f"{'thr×base':>8} {'thr×flr':>8} {'queries':>7} {'KB':>7}"
        )
        print(header)
        print("   " + "-" * (len(header) - 3))
        for p in rows:
            q = f"{p['queries']}" + ("" if p["queries_stable"] else "~")
            err = f"  {p['errors']} non-200!" if p["errors"] else ""
            print(
                f"   {p['name']:<44} {p['auth']:<5} {p['n']:>4} {fmt_ms(p['p50']):>7} {fmt_ms(p['p95']):>7} "
                f"{p['p95_ratio']:>7.1f}× {p['throughput']:>8.3f} {p['floor_throughput']:>8.3f} {q:>7} {p['kb']:>7.1f}{err}"
            )
    if r["skipped"]:
        by_reason: dict[str, list[str]] = {}
        for s in r["skipped"]:
            by_reason.setdefault(s["reason"], []).append(s["name"])
        print("\n   Not measured:")
        for reason, names in by_reason.items():
            print(f"   - {reason}: {', '.join(names)}")
    print(
        "   (n = measured requests; p95/base = p95 over the p95 of the baseline block right before the page; "
        "thr×base = baseline mean / page mean; thr×flr = template floor mean / page mean; queries from the last warm-up request, ~ = varied between "
        "warm-up requests)",
        flush=True,
    )


def print_comparison(results: list[dict]) -> list[dict]:
    """Query counts per page across scales; a count that changes with the data is the mark of an N+1."""
    if len(results) < 2:
        return []
    lo, hi = results[0], results[-1]
    by_name = {p["name"]: p for p in hi["pages"]}
    print(f"\n== Query count, {lo['scale']}× vs {hi['scale']}× (same URL: demo objects, chosen at the largest scale)")
    header = (
        f"   {'page':<44} {'q ' + str(lo['scale']) + '×':>6} {'q ' + str(hi['scale']) + '×':>6}  "
        f"{'p95 ' + str(lo['scale']) + '×':>8} {'p95 ' + str(hi['scale']) + '×':>8} "
        f"{'KB ' + str(lo['scale']) + '×':>8} {'KB ' + str(hi['scale']) + '×':>8}  {'flag':<18} url"
    )
    print(header)
    print("   " + "-" * (len(header) - 3))
    differing = []
    for p in lo["pages"]:
        q = by_name.get(p["name"])
        if q is None:
            print(f"   {p['name']:<44} {p['queries']:>6} {'–':>6}  (not measured at {hi['scale']}×)")
            continue
        flag = ""
        if q["queries"] != p["queries"]:
            flag = f"DIFFERS ({q['queries'] - p['queries']:+d})"
            differing.append({"name": p["name"], "lo": p, "hi": q})
        url = p["url"] if p["url"] == q["url"] else f"{p['url']} vs {q['url']}"
        print(
            f"   {p['name']:<44} {p['queries']:>6} {q['queries']:>6}  {fmt_ms(p['p95']):>8} {fmt_ms(q['p95']):>8} "
            f"{p['kb']:>8.1f} {q['kb']:>8.1f}  {flag:<18} {url}"
        )
    for q in hi["pages"]:
        if q["name"] not in {p["name"] for p in lo["pages"]}:
            print(f"   {q['name']:<44} {'–':>6} {q['queries']:>6}  (not measured at {lo['scale']}×)")
    if differing:
        print("\n   Pages whose query count changes with the data (most repeated query shape at each scale):")
        for d in differing:
            print(f"   - {d['name']} ({d['hi']['url']}): {d['lo']['queries']} → {d['hi']['queries']} queries")
            for tag, page in ((f"{lo['scale']}×", d["lo"]), (f"{hi['scale']}×", d["hi"])):
                sql = page["top_repeat_sql"]
                print(f"       {tag}: {page['top_repeat']}× {sql[:160]}{'…' if len(sql) > 160 else ''}")
    else:
        print("\n   Every page makes the same number of queries at both scales.")
    return differing


def print_targets(results: list[dict], differing: list[dict], memory: dict | None) -> None:
    print(
        f"\n== Targets: p95 ≤ {TARGET_P95_MS:g} ms, throughput ≥ {TARGET_THROUGHPUT:g}× baseline, same query count "
        f"at every scale, worker < {TARGET_WORKER_MB:g} MB"
    )
    print("   ratio = measured / target for p95 (≤ 1 meets it), measured / target for throughput (≥ 1 meets it)")
    scales = [r["scale"] for r in results]
    per_scale = {r["scale"]: {p["name"]: p for p in r["pages"]} for r in results}
    names = [p["name"] for p in results[0]["pages"]]
    for r in results[1:]:
        names += [p["name"] for p in r["pages"] if p["name"] not in names]
    diff_names = {d["name"] for d in differing}
    cols = "".join(f" {'p95 ' + str(s) + '×':>9}" for s in scales) + "".join(
        f" {'thr ' + str(s) + '×':>9}" for s in scales
    )
    header = f"   {'page':<44}{cols}  misses"
    print(header)
    print("   " + "-" * (len(header) - 3))
    misses_by_page = {}
    for name in names:
        cells, misses = "", []
        for s in scales:
            p = per_scale[s].get(name)
            cells += f" {p['p95'] / TARGET_P95_MS:>8.2f}x" if p else f" {'–':>9}"
            if p and p["p95"] > TARGET_P95_MS:
                misses.append(f"p95@{s}×")
        for s in scales:
            p = per_scale[s].get(name)
            cells += f" {p['throughput'] / TARGET_THROUGHPUT:>8.2f}x" if p else f" {'–':>9}"
            if p and p["throughput"] < TARGET_THROUGHPUT:
                misses.append(f"thr@{s}×")
        if name in diff_names:
            misses.append("queries")
        misses_by_page[name] = misses
        print(f"   {name:<44}{cells}  {', '.join(misses) or 'ok'}")
    for group in ("portal", "admin"):
        mb = (memory or {}).get(group, {}).get("hwm_mb")
        if mb is not None:
            print(
                f"   worker memory (peak, after the {group} pages): VmHWM {mb:.0f} MB = "
                f"{mb / TARGET_WORKER_MB:.2f}× the {TARGET_WORKER_MB:g} MB target "
                f"({'meets it' if mb < TARGET_WORKER_MB else 'MISSES it'})"
            )
    portal = [n for n in names if not n.startswith("admin:")]
    for r in results:
        measured = [p for p in r["pages"] if p["group"] == "portal"]
        if measured:
            heaviest = min(measured, key=lambda p: p["floor_throughput"])
            ratio = heaviest["floor_throughput"]
            print(
                f"   heaviest portal page at {r['scale']}×: {heaviest['name']} at {ratio:.2f}× the template floor's "
                f"throughput = {ratio / TARGET_FLOOR:.2f}× the {TARGET_FLOOR:g}× target "
                f"({'meets it' if ratio >= TARGET_FLOOR else 'MISSES it'})"
            )
    for group, members in (("portal", portal), ("admin", [n for n in names if n.startswith("admin:")])):
        missing = {
            k: [n for n in members if any(m.startswith(k) for m in misses_by_page[n])]
            for k in ("p95", "thr", "queries")
        }
        print(
            f"   {group}: {len(members)} pages; p95 target missed by {len(missing['p95'])}, throughput target "
            f"missed by {len(missing['thr'])}, query count changes on {len(missing['queries'])}"
        )


# =================================================================================================
# Main: databases, children, memory
# =================================================================================================


def postgres_available() -> tuple[bool, str]:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
        return True, ""
    except Exception as error:  # noqa: BLE001
        return False, f"{error.__class__.__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"


def recreate_pg_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MB
    return values


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def measure_memory(result: dict, env: dict, tmp: Path, repeats: int) -> dict:
    """Start one runserver worker against the database of `result`, request every page over HTTP, read /proc."""
    port = free_port()
    log_path = tmp / "runserver.log"
    print(
        f"\n== Worker memory: manage.py runserver --noreload --nothreading on 127.0.0.1:{port}, "
        f"{result['scale']}× database, DJANGO_DEBUG=0",
        flush=True,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())  # never a proxy
    cookie = "; ".join(f"{k}={v}" for k, v in result["session_cookie"].items())
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):  # up to ~20 s to start
                if server.poll() is not None:
                    break
                try:
                    with opener.open(base + result["baseline"]["url"], timeout=2) as response:
                        response.read()
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.2)
            if server.poll() is not None:
                print("   the server did not start; its log:\n" + log_path.read_text()[-3000:])
                return {}
            phases = [("after start-up", proc_status(server.pid), None)]
            for group, title in (("portal", "portal pages"), ("admin", "admin pages too")):
                pages = [p for p in result["pages"] if p["group"] == group]
                if not pages:
                    continue
                statuses, slowest, failed = Counter(), (0.0, ""), {}
                t0 = time.perf_counter()
                times = repeats if group == "portal" else 1  # the admin's delete pages take seconds each
                for _ in range(times):
                    for page in pages:
                        request = urllib.request.Request(base + page["url"])
                        if page["auth"] == "admin":
                            request.add_header("Cookie", cookie)
                        t = time.perf_counter()
                        try:
                            with opener.open(request, timeout=120) as response:
                                response.read()
                                statuses[response.status] += 1
                        except urllib.error.HTTPError as error:
                            statuses[error.code] += 1
                            failed[page["name"]] = error.code
                        except (urllib.error.URLError, TimeoutError) as error:
                            statuses[error.__class__.__name__] += 1
                            failed[page["name"]] = error.__class__.__name__
                        slowest = max(slowest, (time.perf_counter() - t, page["name"]))
                info = {
                    "group": group,
                    "requests": sum(statuses.values()),
                    "pages": len(pages),
                    "repeats": times,
                    "seconds": time.perf_counter() - t0,
                    "statuses": dict(statuses),
                    "slowest": f"{slowest[1]} {slowest[0] * 1000:.0f} ms",
                    "failed": failed,
                }
                phases.append((f"after {title}", proc_status(server.pid), info))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    errors = [
        line for line in log_path.read_text(errors="replace").splitlines() if line.startswith(("Internal", "django."))
    ]
    if errors:
        print("   server errors (from its log): " + " | ".join(errors[:6]))
    memory = {}
    for label, status, info in phases:
        extra = ""
        if info:
            extra = (
                f" ({info['requests']} requests: {info['repeats']}× each of {info['pages']} pages "
                f"in {info['seconds']:.1f} s, "
                f"statuses {info['statuses']}, slowest {info['slowest']})"
            )
            if info["failed"]:
                extra += f"; not 200: {info['failed']}"
            memory[info["group"]] = {"rss_mb": status.get("VmRSS"), "hwm_mb": status.get("VmHWM"), **info}
        else:
            memory["start"] = {"rss_mb": status.get("VmRSS"), "hwm_mb": status.get("VmHWM")}
        print(f"   {label}: VmRSS {status.get('VmRSS', 0):.0f} MB, VmHWM (peak) {status.get('VmHWM', 0):.0f} MB{extra}")
    return memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per portal page (max)")
    parser.add_argument("--admin-requests", type=int, default=10, help="measured requests per admin page (max)")
    parser.add_argument("--min-requests", type=int, default=10, help="requests before the time budget applies")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds per page after --min-requests")
    parser.add_argument("--baseline-requests", type=int, default=30, help="baseline requests before each page")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per page (their queries are counted)")
    parser.add_argument("--memory-repeats", type=int, default=3, help="HTTP requests per page in the memory test")
    parser.add_argument("--no-memory", action="store_true", help="skip the runserver memory test")
    parser.add_argument("--sqlite", action="store_true", help="use temporary SQLite files even if PostgreSQL is up")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="SUBSTRING",
        help="measure only the URL names containing one of these (e.g. governing revision); the baseline and the "
        "template floor are measured as always",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--same-as", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        child(args.child, args.out, args)
        return

    started = time.perf_counter()
    RESULTS_DIR.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="shvo-bench-"))
    try:
        static_root = tmp / "static"
        env = bench_env(tmp)
        print(
            f"SHVO-portalen benchmarks — scales {', '.join(f'{s}×' for s in args.scales)}; Python "
            f"{sys.version.split()[0]}; {os.cpu_count()} CPUs; load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        print(
            f"Settings: bench.bench_settings (shvo.settings with DJANGO_DEBUG=0; static files collected into "
            f"{static_root} because the manifest storage needs them)",
            flush=True,
        )
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        use_pg, why = (False, "--sqlite given") if args.sqlite else postgres_available()
        if not use_pg:
            cause = "--sqlite given" if args.sqlite else f"PostgreSQL on 127.0.0.1:5432 is not reachable ({why})"
            print(
                f"NOTE: {cause}; using temporary SQLite files instead. The numbers are not those of production.",
                flush=True,
            )
        results = []
        # The largest scale first: its busiest objects (demo objects, so the same pk and slug in every database) are
        # then measured at the smaller scales too, so each page is the same page with less data around it.
        order = sorted(set(args.scales), reverse=True)
        for scale in order:
            if use_pg:
                recreate_pg_database(f"shvo_bench_{scale}")
                url = PG_URL.format(scale=scale)
            else:
                url = f"sqlite:///{tmp / f'shvo_bench_{scale}.sqlite3'}"
            out = RESULTS_DIR / f"scale_{scale}.json"
            out.unlink(missing_ok=True)
            first = RESULTS_DIR / f"scale_{order[0]}.json"
            cmd = [
                PYTHON,
                str(Path(__file__).resolve()),
                "--child",
                str(scale),
                "--out",
                str(out),
                "--requests",
                str(args.requests),
                "--admin-requests",
                str(args.admin_requests),
                "--min-requests",
                str(args.min_requests),
                "--budget",
                str(args.budget),
                "--warmup",
                str(args.warmup),
                "--baseline-requests",
                str(args.baseline_requests),
                *(["--only", *args.only] if args.only else []),
            ]
            if results:  # measure the same objects as the largest scale did
                cmd += ["--same-as", str(first)]
            subprocess.run(cmd, cwd=BASE_DIR, env=dict(env, DATABASE_URL=url), check=True, timeout=1800)
            results.append(json.loads(out.read_text(encoding="utf-8")))
        results.sort(key=lambda r: r["scale"])
        differing = print_comparison(results)
        memory = None
        if not args.no_memory:
            largest = max(results, key=lambda r: r["scale"])
            db_url = (
                PG_URL.format(scale=largest["scale"])
                if use_pg
                else f"sqlite:///{tmp / f'shvo_bench_{largest["scale"]}.sqlite3'}"
            )
            memory = measure_memory(largest, dict(env, DATABASE_URL=db_url), tmp, args.memory_repeats)
        print_targets(results, differing, memory)
        summary = {
            "results": [r["scale"] for r in results],
            "memory": memory,
            "differing": [d["name"] for d in differing],
        }
        (RESULTS_DIR / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        print(
            f"\nDone in {time.perf_counter() - started:.0f} s. Raw numbers: {RESULTS_DIR}/scale_*.json"
            + ("; databases shvo_bench_* are kept for inspection." if use_pg else ".")
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
