"""What every app's views share: running a service and showing its rule's message instead of failing."""

from django.contrib import messages
from django.core.exceptions import ValidationError


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
    return True if result is None else result
