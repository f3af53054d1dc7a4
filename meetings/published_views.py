"""The portal's one list of published minutes (public): every body's, newest first, filtered by body and year,
paged. A fixed number of queries whatever the number of minutes (the filter's choices, the count, the page)."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.collation import swedish
from core.web import page_of
from governance.models import Body

from .models import Meeting, Minutes


class PublishedFilter(forms.Form):
    """Narrow the list to one body and/or one year; the choices are the bodies and years that have published
    minutes, so every choice finds something."""

    organ = forms.ChoiceField(label=gettext_lazy("Organ"), required=False)
    ar = forms.TypedChoiceField(label=gettext_lazy("År"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, bodies, years):
        super().__init__(data)
        self.fields["organ"].choices = [("", _("Alla organ"))] + [(b.slug, b.name) for b in bodies]
        self.fields["ar"].choices = [("", _("Alla år"))] + [(str(y), str(y)) for y in years]


@login_not_required
@require_safe
def published_all(request):
    """All published minutes (public): filter by body (?organ=<slug>) and year (?ar=<year>), 50 a page."""
    published = Minutes.objects.visible_to(request.user).published()
    bodies = list(
        Body.objects.filter(pk__in=published.values("meeting__body")).only("name", "slug").order_by(swedish("name"))
    )
    years = [d.year for d in Meeting.objects.filter(pk__in=published.values("meeting")).dates("date", "year", "DESC")]
    asked = request.GET.get("organ")
    if asked and all(b.slug != asked for b in bodies):  # a body without published minutes: an empty list, no error
        bodies += list(Body.objects.filter(slug=asked).only("name", "slug"))
    form = PublishedFilter(request.GET or None, bodies=bodies, years=years)
    chosen_body = chosen_year = None
    if form.is_bound:
        form.is_valid()  # a choice that is not offered is said in the error summary; the valid one still applies
        chosen_year = form.cleaned_data.get("ar")
        chosen_body = next((b for b in bodies if b.slug == form.cleaned_data.get("organ")), None)
    if chosen_body is not None:
        published = published.filter(meeting__body=chosen_body)
    if chosen_year is not None:
        published = published.filter(meeting__date__year=chosen_year)
    page = page_of(
        request,
        published.select_related("meeting__body")
        .only(
            "pdf_sha256",
            "pdf_size",
            "published_at",
            "meeting__date",
            "meeting__start_time",
            "meeting__title",
            "meeting__body__name",
            "meeting__body__slug",
            "meeting__body__short_name",
        )
        .order_by("-meeting__date", "-meeting__start_time", "-pk"),
    )
    return render(
        request,
        "meetings/published_all.html",
        {
            "form": form,
            "page": page,
            "minutes": list(page),
            "any_published": bool(years),
            "chosen_body": chosen_body,
            "chosen_year": chosen_year,
            "crumbs": [(_("Publicerade protokoll"), "")],
        },
    )
