"""Micro-benchmark of comparing two versions of a 40-page routine section by section (documents.compare) and
rendering the comparison (templates/documents/_section_compare.html), against the template floor measured in the
same run: templates/base.html rendered empty.

    .venv/bin/python bench/compare.py                       (40 pages, 30 rounds, side by side)
    .venv/bin/python bench/compare.py --pages 10 --rounds 10 --view inline

The pair is bench/routine.py's: one word changed in five sections and one section moved. Rounds alternate between
the floor and the comparison so that the machine's ups and downs hit both alike. Production-like settings
(DEBUG off), except that {% static %} reads the plain static storage (no collectstatic needed; the floor is then
a little faster than in production, which makes the ratio a little worse). No database is used. Nothing is
asserted: the numbers are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def configure() -> None:
    """Production-like settings; must run before Django is imported."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(BASE_DIR))


def timed(fn, n: int) -> list[float]:
    """Milliseconds of each of n calls."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--floor-per-round", type=int, default=10, help="floor renders per round")
    parser.add_argument("--view", choices=["sida", "inline"], default="sida")
    args = parser.parse_args()

    configure()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory, override_settings

    from bench.routine import edited_routine, generated_routine
    from bench.run import pctl
    from core.text import html_to_text
    from documents.compare import compare_sections, summary

    old = generated_routine(pages=args.pages, seed=1)
    new = edited_routine(old, seed=2)
    request = RequestFactory().get("/planer/1/jamfor/", {"a": 1, "b": 2, "visa": args.view})
    request.user = AnonymousUser()

    def floor():
        render_to_string("base.html", {}, request)

    rows = []

    def comparison():
        rows[:] = compare_sections(old, new)

    def rendering():
        return render_to_string(
            "documents/_section_compare.html", {"rows": rows, "view": args.view, "counts": summary(rows)}, request
        )

    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        floor(), comparison(), rendering()  # warm: templates compiled, caches filled
        floors, compares, renders = [], [], []
        for _ in range(args.rounds):
            floors += timed(floor, args.floor_per_round)
            compares += timed(comparison, 1)
            renders += timed(rendering, 1)
        size = len(rendering())
    totals = [c + r for c, r in zip(compares, renders, strict=True)]

    words = sum(len(html_to_text(s["body"]).split()) for s in old)
    print(
        f"Comparing two versions of a {args.pages}-page routine ({len(old)} sections, ≈ {words} words), view={args.view}"
    )
    print(f"   {'':<28}{'p50 ms':>9}{'p95 ms':>9}{'n':>6}")
    for label, values in (
        ("compare_sections", compares),
        ("render _section_compare", renders),
        ("both", totals),
        ("floor: base.html, empty", floors),
    ):
        print(f"   {label:<28}{pctl(values, 50):>9.2f}{pctl(values, 95):>9.2f}{len(values):>6}")
    print(
        f"   → both / floor: {pctl(totals, 50) / pctl(floors, 50):.1f}× at p50, "
        f"{pctl(totals, 95) / pctl(floors, 95):.1f}× at p95; the partial is {size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
