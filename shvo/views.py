"""Operations views: the health checks, and the page served when the database cannot be reached."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


@never_cache
@login_not_required
def health(request):
    """Load balancers' health check: "ok" when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Hälsokontroll: databasen svarar inte (%s: %s)", error.__class__.__name__, error)
        response = HttpResponse("databasen svarar inte", status=503, content_type="text/plain; charset=utf-8")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@login_not_required
def liveness(request):
    """The process answers; no database, no template. The benchmarks' trivial baseline."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@login_not_required
def floor(request):
    """The template floor: the base layout rendered with no data (no database query for an anonymous visitor). The
    benchmarks compare every page with it, since a page that renders a template cannot reach the trivial view."""
    return render(request, "floor.html")


def server_error(request, template_name="500.html"):
    """handler500: a database that cannot be reached (or that broke the connection) is a 503 with a page saying so
    in Swedish, not a 500. The page is rendered without the request, so nothing in it touches the database.

    A constraint that caught two people saving at the same moment (IntegrityError) is a 409 that says so: the
    services lock and check first, and forms turn it into a message; this is the net under any that does not."""
    error = sys.exception()
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(error, IntegrityError):
        return HttpResponse(loader.get_template("409.html").render(), status=409)
    return defaults.server_error(request, template_name)
