"""Accounts: the invitation form on a person's page, and "Glömt lösenordet?" (Django's password-reset views with the
portal's Swedish pages, a limit per address and per client, and one set-password page for invitations and resets).

The views parse, call governance.accounts and render; the rule is governance.rules (INVITE_ACCOUNT, invite_check)."""

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.web import apply_to_form as _apply

from . import accounts, permissions, rules, services
from .models import Membership, Person

EMAIL_ERRORS = {"required": accounts.EMAIL_MISSING, "invalid": accounts.EMAIL_INVALID}


def _email_field(help_text=""):
    return forms.EmailField(
        label=gettext_lazy("E-postadress"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InviteForm(forms.Form):
    """Only the address: the account's name, flags and rights are not the inviter's to choose."""

    email = _email_field(
        gettext_lazy("Inbjudan med länken för att välja lösenord skickas hit. Adressen blir också personens e-post.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"  # another person's address, not the inviter's


def account_invite(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("user"), pk=pk)
    permissions.require(request.user, rules.INVITE_ACCOUNT, person)
    refusals = rules.invite_check(request.user, person)
    if refusals:
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(person)
    again = person.user_id is not None
    form = InviteForm(request.POST or None, initial={"email": person.user.email if again else person.email})
    if request.method == "POST" and form.is_valid():
        account = _apply(
            form,
            lambda: accounts.account_invite(
                actor=request.user,
                person=person,
                email=form.cleaned_data["email"],
                site_url=request.build_absolute_uri("/"),
            ),
        )
        if account:
            messages.success(
                request,
                _("Inbjudan är skickad till %(e)s. Länken gäller i %(d)d dagar och kan användas en gång.")
                % {"e": account.email, "d": accounts.link_days()},
            )
            return redirect(person)
    title = (_("Skicka inbjudan till %(p)s igen") if again else _("Bjud in %(p)s till ett konto")) % {"p": person}
    today = services.today()
    return render(
        request,
        "governance/account_invite.html",
        {
            "person": person,
            "form": form,
            "title": title,
            "again": again,
            "days": accounts.link_days(),
            "seats": _seat_lines(person, today),
            "crumbs": [(str(person), person.get_absolute_url()), (_("Konto"), "")],
        },
    )


def _seat_lines(person, today) -> list[str]:
    """The person's running and coming seats, one line each ("Ledamot i GITS för Fyrbodal, från 2026-01-01 till och
    med 2027-12-31"), read as plain values: someone may hold a hundred seats, and a model object and a template
    row per seat cost more than the rest of the page."""
    rows = (
        person.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("start_date")
        .values_list("role", "body__name", "subregion__short_name", "start_date", "end_date")
    )
    roles = {value: str(label) for value, label in Membership.Role.choices}  # translated once, not once a seat
    return [
        f"{roles.get(role, role)} i {body}{f' för {subregion}' if subregion else ''}, från {localize(start)}"
        f"{f' till och med {localize(end)}' if end else ''}"
        for role, body, subregion, start, end in rows
    ]


# --- "Glömt lösenordet?" -----------------------------------------------------------------------


class ResetForm(PasswordResetForm):
    """Django's reset form with the portal's limits: too many requests from one client are refused with a message;
    too many for one address are quietly not sent, so the answer never tells whether an address has an account."""

    email = _email_field()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        if self.request is not None and not accounts.reset_client_allowed(get_client_ip_address(self.request)):
            raise forms.ValidationError(accounts.TOO_MANY_RESETS)
        return data

    def get_users(self, email):
        if not accounts.reset_address_allowed(email):
            return []
        return accounts.reset_recipients(email)


def _crumbs(title):
    return [(_("Logga in"), reverse("login")), (title, "")]


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("governance:password_reset_done")
    title = gettext_lazy("Glömt lösenordet?")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=_crumbs(self.title), days=accounts.link_days(), **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"days": accounts.link_days()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    title = gettext_lazy("Titta i din e-post")

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=_crumbs(self.title), days=accounts.link_days(), **kwargs)


class PasswordForm(SetPasswordForm):
    """Django's set-password form (the validators' rules as help), with labels for a first password as well."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Lösenord")
        self.fields["new_password2"].label = _("Upprepa lösenordet")
        self.fields["new_password2"].help_text = _("Skriv samma lösenord en gång till.")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one set-password page, from an invitation or a reset link: Django's check of the one-time token (it moves
    the token out of the address into the session first), in Swedish."""

    form_class = PasswordForm
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("governance:password_set_done")
    title = gettext_lazy("Välj lösenord")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first = self.validlink and rules.invitation_pending(self.user)
        if not self.validlink:
            title = _("Länken fungerar inte")
        else:
            title = _("Välj lösenord") if first else _("Välj nytt lösenord")
        context.update(
            title=title,
            first=first,
            username=self.user.get_username() if self.validlink else "",
            crumbs=_crumbs(title),
        )
        return context


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
    title = gettext_lazy("Lösenordet är sparat")

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=_crumbs(self.title), **kwargs)
