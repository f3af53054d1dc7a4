"""Settings for the benchmarks: the project's own settings, with STATIC_ROOT in a directory of bench/run.py's.

With DJANGO_DEBUG=0 the project uses whitenoise's manifest storage, so every page that uses {% static %} needs
`collectstatic` to have run. bench/run.py collects into a temporary BENCH_STATIC_ROOT instead of the project's
staticfiles/ so that a benchmark run leaves nothing behind in the project. Everything else comes from the
environment, exactly as in production (DJANGO_DEBUG, DJANGO_SECRET_KEY, DATABASE_URL, …).
"""

import os
from pathlib import Path

from shvo.settings import *  # noqa: F403

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
