"""Signing in: the form, the client's address behind proxies, and axes' handler with a limit per address.

Axes locks a user name from an address after AXES_FAILURE_LIMIT failures (settings). Axes has one failure limit and
one cool-off for all its lockout parameters, so the second rule, AXES_IP_FAILURE_LIMIT failures from one address in
AXES_IP_WINDOW_MINUTES whatever the user names (password spraying), counts axes' own failure log here.
"""

import datetime
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone

USERNAME_TOO_LONG = "Användarnamnet får vara högst %(limit_value)d tecken. Kontrollera vad du skrev."


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the outermost proxy received the request from.

    Each proxy appends the address it was contacted from to X-Forwarded-For, so with N proxies that is the N-th entry
    from the right; anything to its left came from the client and can be forged. A header with fewer entries than
    proxies (or an entry that is no address) means the request did not come through them: REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


class LoginForm(AuthenticationForm):
    """Django's sign-in form with its user-name length actually checked: AuthenticationForm sets max_length after
    the field is built, so no validator enforces it, and axes then fails to store an over-long name (a 500)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length, message=USERNAME_TOO_LONG))


class AxesHandler(AxesDatabaseHandler):
    """Axes' database handler, plus: an address with too many recent failures is locked for every user name."""

    def ip_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        since = timezone.now() - datetime.timedelta(minutes=settings.AXES_IP_WINDOW_MINUTES)
        return AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since).count()

    def ip_locked(self, request) -> bool:
        return self.ip_failures(request) >= settings.AXES_IP_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.ip_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)  # records the failure in the log
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.ip_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            username = get_client_username(request, credentials)
            user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)
