"""What every app's views share: running a service and showing its rule's message instead of failing; paging."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50
# A database constraint caught what the service's lock did not (two people saving at the same moment).
CONCURRENT_CHANGE = _(
    "Någon annan ändrade samma sak samtidigt, så din ändring sparades inte. Ladda om sidan och försök igen."
)


def apply_to_form(form, call):
    """Run a service; put its validation errors on the form's fields (or the whole form) so nothing typed is lost.
    Returns the service's result, or None when it refused."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except IntegrityError:
        form.add_error(None, CONCURRENT_CHANGE)
    return None


def flash_errors(request, call):
    """For buttons without a form: run a service and show its refusal as a message. Returns the service's result
    (True when it returns nothing), or False when it refused."""
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    except IntegrityError:
        messages.error(request, CONCURRENT_CHANGE)
        return False
    return True if result is None else result


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a long list (`?sida=N`); a number out of range gives the nearest page, never an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("sida"))
