"""What every app's views share: running a service and showing its rule's message instead of failing; asking
before a step that cannot be undone; paging."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import render
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


# --- asking first: one confirmation for every step that cannot be undone ------------------------
# The first POST of such a step answers 200 with a page that says what will happen and what cannot be undone,
# carrying every posted value in hidden fields; only its "Ja" button (CONFIRMED=1) lets the view act. A plain form,
# so it works without JavaScript. Where the POST came from a form, "Avbryt" posts the values back (BACK=1) and the
# view shows its form again as it was typed; otherwise "Avbryt" is a link back to the object.
CONFIRMED = "confirmed"
BACK = "tillbaka"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED, BACK}


@dataclass(frozen=True)
class Confirmation:
    """What the confirm page says. `title` is its question (the h1), `happens` what the step does (one sentence
    each), `final` what cannot be undone, `verb` the button's words after "Ja, ", `cancel_url` the object's page,
    `crumbs` the page's breadcrumbs (the object's, ending with the question). `quote` is the text acted on, if any."""

    title: str
    happens: list[str]
    final: str
    verb: str
    cancel_url: str
    crumbs: list = field(default_factory=list)
    quote: str = ""  # plain text, shown with its line breaks
    quote_html: str = ""  # or sanitised HTML (core.text.sanitise), shown as it will read
    back_to_form: bool = False  # the values came from a form the user typed in: "Avbryt" returns to it
    slow: bool = False  # the step takes seconds (a PDF is made): the button says so while it works


def confirmed(request) -> bool:
    """The POST comes from the confirm page's "Ja" button."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def going_back(request) -> bool:
    """The POST comes from the confirm page's "Avbryt" on a form: show the form again, as typed; do nothing."""
    return request.method == "POST" and request.POST.get(BACK) == "1"


def confirm_page(request, confirmation: Confirmation, status: int = 200):
    """The confirm page for `confirmation`, carrying what was posted (every value of every field, in order)."""
    carried = [(k, v) for k, values in request.POST.lists() if k not in _NOT_CARRIED for v in values]
    return render(request, "components/confirm.html", {**asdict(confirmation), "carried": carried}, status=status)


def ask_first(request, refusals: list[str], confirmation: Confirmation | Callable[[], Confirmation]):
    """Before a step that cannot be undone: the confirm page, unless this POST is the confirmation. When the rule
    refuses the step anyway (`refusals`, from its *_check), there is nothing to confirm: None, and the view goes on to
    show the refusal as it always does. Returns the page to answer with, or None when the view should act.
    `confirmation` may be a function, so that its text is only put together when the page is shown."""
    if request.method != "POST" or confirmed(request) or refusals:
        return None
    return confirm_page(request, confirmation() if callable(confirmation) else confirmation)
