"""Benchmark of the minutes PDF: rendering a long (≥ 5 pages) minutes PDF, and serving a published PDF.

    .venv/bin/python bench/pdf.py                 (defaults: 5 renders, 8 rounds × 200 requests)
    .venv/bin/python bench/pdf.py --renders 3 --rounds 4 --requests 100

Every number is compared with a baseline measured in the same run:

1. Rendering: `meetings.publishing.render_minutes_pdf` of a meeting with enough items, notes, decisions and actions
   for at least five A4 pages (the page count is checked with `pdfinfo`, else with pdftotext's form feeds) against
   rendering a one-line HTML document through the same WeasyPrint path (tagged PDF/A-3a, same stylesheets, fonts).
2. Serving: GET /moten/<pk>/protokoll.pdf (the Django view that streams the stored, published file) against GET of
   a static file with the same bytes and size served by WhiteNoise, through the same stack: Django's WSGI handler
   with the project's middleware, in-process (django.test.Client, no network). Rounds alternate between the two;
   the ratio of requests per second is reported against the target ≥ 0.9× of static.

It runs on a temporary SQLite database (migrated and seeded with `seed_demo`), a temporary MEDIA_ROOT and a
temporary STATIC_ROOT, with production-like settings (DEBUG off), and removes them afterwards. Nothing is asserted:
the numbers are printed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
TARGET_SERVE_RATIO = 0.9
MIN_PAGES = 5
# The baseline document: as short as a PDF can be, with the title and language every PDF needs (core.pdf).
ONE_LINE = '<html lang="sv"><head><title>Hej</title></head><body><p>Hej</p></body></html>'


def configure(tmp: Path) -> None:
    """Production-like settings on throwaway storage; must run before Django is imported."""
    (tmp / "media").mkdir()
    (tmp / "static").mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench-pdf.sqlite3'}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "BENCH_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(BASE_DIR))


LOREM = (
    "Referensgruppen går igenom förslaget avsnitt för avsnitt. Representanterna för delregionerna redovisar hur "
    "rutinen tillämpas i kommunerna och i regionens verksamheter, vilka avvikelser som rapporterats under året och "
    "vilka förändringsönskemål som kommit in till GITS. Flera påpekar att överföringen av information vid in- och "
    "utskrivning fungerar bättre sedan införandet av SAMSA, men att återkopplingen till öppenvården och till "
    "kommunal hälso- och sjukvård fortfarande är för långsam på vissa håll. "
)


def build_long_minutes(items: int = 5):
    """A justerad meeting of the reference group with enough content for ≥ 5 pages, built through the services."""
    from django.contrib.auth import get_user_model

    from governance.models import Body, Person, Subregion
    from meetings import services
    from meetings.models import AgendaItem, Meeting

    users = get_user_model().objects
    secretary, chair = users.get(username="sekreterare"), users.get(username="ordforande")
    adjuster = Person.objects.get(user__username="fyrbodal")
    ref, vvg = Body.objects.get(slug="referensgrupp-shvo"), Body.objects.get(slug="vvg")
    fyrbodal = Subregion.objects.get(short_name="Fyrbodal")
    meeting = Meeting(
        body=ref,
        date=datetime.date(2026, 9, 16),
        title="Arbetsmöte: förvaltningsplan 2027 och rutinrevidering",
        start_time=datetime.time(9),
        end_time=datetime.time(16),
        mode="hybrid",
        place="Regionens hus, Vänersborg",
        video_link="https://video.example.se/referensgrupp",
        secretary=Person.objects.get(user=secretary),
        chair=Person.objects.get(user=chair),
    )
    services.meeting_create(actor=secretary, meeting=meeting, adjusters=[adjuster])
    for n in range(1, items + 1):
        item = services.agenda_item_save(
            actor=secretary,
            item=AgendaItem(
                meeting=meeting,
                title=f"Punkt {n}: avsnitt {n} i förvaltningsplanen – mål, åtgärder och budget",
                purpose="decision",
                presenters="GITS funktionskoordinatorer",
                start_time=datetime.time(9 + n // 3, (n % 3) * 20),
                documents=f"Underlag avsnitt {n}\nhttps://example.se/underlag-{n}.pdf",
            ),
        )
        services.item_minutes_save(
            actor=secretary, item=item, discussion="".join(f"<p>{LOREM * 2}</p>" for _ in range(2))
        )
        services.decision_add(
            actor=secretary,
            item=item,
            kind="decision",
            text=f"Referensgruppen ställer sig bakom avsnitt {n} med de ändringar som framkom på mötet.",
        )
        if n % 4 == 0:
            services.decision_add(
                actor=secretary,
                item=item,
                kind="escalation",
                escalated_to=vvg,
                text=f"Frågan i avsnitt {n} är principiell och lyfts till VVG.",
            )
        services.action_add(
            actor=secretary,
            item=item,
            text=f"Arbeta in synpunkterna på avsnitt {n} i förslaget",
            owner="GITS",
            due_date=datetime.date(2026, 10, 15),
            subregion=fyrbodal if n % 5 == 0 else None,
        )
    services.agenda_publish(actor=secretary, meeting=meeting)
    services.attendance_fill(actor=secretary, meeting=meeting)
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    services.minutes_respond(actor=chair, meeting=meeting, approve=True)
    services.minutes_respond(actor=adjuster.user, meeting=meeting, approve=True)
    return meeting, secretary


def page_count(data: bytes, tmp: Path) -> tuple[int, str]:
    path = tmp / "count.pdf"
    path.write_bytes(data)
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:"))), "pdfinfo"
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return out.count(b"\f"), "pdftotext"


def timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def bench_render(meeting, renders: int, tmp: Path) -> None:
    from django.core.cache import cache

    from meetings.publishing import _write_pdf, render_minutes_pdf

    def uncached(render):  # core.pdf keeps a rendered PDF by its input: measure rendering, not the cache
        return lambda: (cache.clear(), render())[1]

    data = render_minutes_pdf(meeting)  # warm-up: fonts, templates, WeasyPrint's caches
    pages, how = page_count(data, tmp)
    _write_pdf(ONE_LINE)
    minutes_t = timed(uncached(lambda: render_minutes_pdf(meeting)), renders)
    baseline_t = timed(uncached(lambda: _write_pdf(ONE_LINE)), renders)
    m, b = statistics.median(minutes_t), statistics.median(baseline_t)
    print("1. Rendering the minutes PDF (WeasyPrint, tagged PDF/A-3a)")
    print(f"   minutes PDF: {pages} pages (counted with {how}), {len(data) / 1024:.0f} KiB")
    if pages < MIN_PAGES:
        print(f"   WARNING: fewer than {MIN_PAGES} pages; the measurement is of a shorter document than intended")
    print(f"   minutes PDF  median {m * 1000:8.1f} ms  (min {min(minutes_t) * 1000:.1f}, n={renders})")
    print(f"   one-line PDF median {b * 1000:8.1f} ms  (baseline, same pipeline)")
    print(f"   → {m / b:.1f}× the baseline, {(m - b) / max(pages, 1) * 1000:.0f} ms per page above it")


def install_static_view(document_root: Path) -> str:
    """Add Django's own file view (django.views.static.serve) after the project's URLs, for the comparison through
    the same middleware; returns its URL prefix."""
    import types

    from django.contrib.auth.decorators import login_not_required
    from django.test.utils import override_settings
    from django.urls import include, path
    from django.views.static import serve

    urls = types.ModuleType("bench_pdf_urls")
    urls.urlpatterns = [  # last, like the PDF route: URL resolution costs the same for both
        path("", include("shvo.urls")),
        path("bench-static/<path:path>", login_not_required(serve), {"document_root": str(document_root)}),
    ]
    sys.modules[urls.__name__] = urls
    override_settings(ROOT_URLCONF=urls.__name__).enable()
    return "/bench-static/"


def bench_serve(meeting, secretary, rounds: int, requests: int, static_root: Path) -> None:
    from django.test import Client

    from meetings.services import minutes_publish

    minutes = minutes_publish(actor=secretary, meeting=meeting)
    data = minutes.pdf.open("rb").read()
    minutes.pdf.close()
    static_copy = static_root / "bench" / "minutes-copy.pdf"
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    static_copy.write_bytes(data)  # before the first request: WhiteNoise indexes STATIC_ROOT when it starts
    prefix = install_static_view(static_root)

    client = Client()
    urls = {
        "pdf": f"/protokoll/{minutes.pdf_sha256}/{meeting.body.slug}-{meeting.date.isoformat()}.pdf",
        "pdf_by_meeting": f"/moten/{meeting.pk}/protokoll.pdf",
        "static_view": f"{prefix}bench/minutes-copy.pdf",
        "whitenoise": "/static/bench/minutes-copy.pdf",
        "health": "/halsa/process/",
    }

    def get(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        assert response.status_code == 200, (url, response.status_code)
        return body

    for name, url in urls.items():  # warm-up, and the three file URLs serve the same bytes
        assert name == "health" or get(url) == data, url
    rates = {name: [] for name in urls}
    for _ in range(rounds):  # interleaved, so that drift in the machine's speed hits all equally
        for name, url in urls.items():
            start = time.perf_counter()
            for _ in range(requests):
                get(url)
            rates[name].append(requests / (time.perf_counter() - start))
    rps = {name: statistics.median(r) for name, r in rates.items()}
    ratio = rps["pdf"] / rps["static_view"]
    verdict = "meets" if ratio >= TARGET_SERVE_RATIO else "BELOW"
    labels = {
        "pdf": "Published PDF by content (list link)",
        "pdf_by_meeting": "Published PDF by meeting number",
        "static_view": "django.views.static.serve",
        "whitenoise": "WhiteNoise (before middleware)",
        "health": "/halsa/process/ (trivial view)",
    }
    print("2. Serving a published PDF (in-process WSGI handler, the project's middleware)")
    print(f"   file: {len(data) / 1024:.0f} KiB, the same bytes at each file URL; sha256 {minutes.pdf_sha256[:12]}…")
    for name, url in urls.items():
        print(f"   {labels[name]:<36} {url[:40]:<40} {rps[name]:7.0f} req/s  ({1000 / rps[name]:.2f} ms)")
    print(
        f"   → published PDF view = {ratio:.2f}× the static file view through the same middleware "
        f"({verdict} the target ≥ {TARGET_SERVE_RATIO}×)"
    )
    print(
        f"   → {rps['pdf'] / rps['whitenoise']:.2f}× WhiteNoise, which answers before sessions, CSRF, authentication "
        f"and the other middleware; even /halsa/process/ is {rps['health'] / rps['whitenoise']:.2f}× WhiteNoise"
    )
    print(f"   median of {rounds} rounds × {requests} requests per URL")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=5, help="renders per measurement (default 5)")
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds for serving (default 8)")
    parser.add_argument("--requests", type=int, default=200, help="requests per round (default 200)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="shvo-bench-pdf-"))
    try:
        configure(tmp)
        import django
        from django.core.management import call_command

        django.setup()
        print(f"Database: temporary SQLite ({tmp / 'bench-pdf.sqlite3'}), migrated and seeded with seed_demo;")
        print("settings: bench.bench_settings with DEBUG off; MEDIA_ROOT and STATIC_ROOT in the same temporary folder.")
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        meeting, secretary = build_long_minutes()
        bench_render(meeting, max(1, args.renders), tmp)
        bench_serve(meeting, secretary, max(1, args.rounds), max(1, args.requests), tmp / "static")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
