"""Importing a governing document from Word (issue 13, item 2): step one the .docx and what the document is, step
two (the same page) the preview of its sections, saved only when confirmed. The preview is carried signed for the
user who made it, with a one-time token: one preview registers one document however often it is sent."""

import datetime
import secrets

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.web import apply_to_form
from governance import permissions
from governance.case_models import Process

from . import governing
from . import governing_rules as rules
from .governing_forms import ConfirmImportForm, ImportForm
from .governing_models import GoverningDocument
from .governing_views import crumbs
from .word_import import docx_to_sections

IMPORT_SALT = "documents.governing.import"


def governing_import(request):
    """Step one: a .docx and what it is; step two (the same page): the preview, saved only when confirmed."""
    permissions.require(request.user, rules.IMPORT_GOVERNING)
    owners = rules.registrable_owners(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        owners=owners,
        owners_name=rules.registrable_owners_name(request.user),
    )
    preview = confirm = None
    if request.method == "POST" and "payload" in request.POST:
        confirm = ConfirmImportForm(request.POST)
        try:
            data = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=6 * 3600)
        except signing.BadSignature:
            messages.error(request, _("Förhandsvisningen har gått ut eller ändrats. Ladda upp filen igen."))
            return redirect("documents:governing_import")
        if data.get("user") != request.user.pk:
            messages.error(request, _("Förhandsvisningen gjordes av någon annan. Ladda upp filen själv."))
            return redirect("documents:governing_import")
        owner = get_object_or_404(owners, pk=data["owner"])
        process = data.get("process")
        token = str(data.get("token", ""))
        if token and (done := GoverningDocument.objects.filter(import_token=token).first()):
            messages.info(request, _("%(t)s är redan infört i registret.") % {"t": done.title})
            return redirect(done)
        try:
            doc = governing.document_register(
                actor=request.user,
                owner=owner,
                kind=data["kind"],
                title=data["title"],
                sections=data["sections"],
                process=Process.objects.filter(pk=process).first() if process else None,
                in_force_reference=data.get("in_force_reference", ""),
                in_force_from=datetime.date.fromisoformat(data["in_force_from"]) if data.get("in_force_from") else None,
                import_token=token,
            )
        except IntegrityError:  # the same preview saved twice at once: the first is in the register
            messages.info(request, _("Dokumentet är redan infört i registret."))
            return redirect("documents:governing_list")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("documents:governing_import")
        messages.success(request, _("%(t)s är infört i registret.") % {"t": doc.title})
        return redirect(doc)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = apply_to_form(form, lambda: docx_to_sections(upload.read(), filename=upload.name))
        if result is not None:
            title = form.cleaned_data["title"].strip() or result.title
            reference, since = form.cleaned_data["in_force_reference"].strip(), form.cleaned_data["in_force_from"]
            if reference and since is None:
                form.add_error("in_force_from", _("Ange från vilket datum dokumentet gäller."))
            elif since is not None and not reference:
                form.add_error("in_force_reference", _("Ange beslutet dokumentet gäller genom."))
            else:
                sections = [{"key": s.key, "title": s.title, "body": s.body} for s in result.sections]
                payload = signing.dumps(
                    {
                        "user": request.user.pk,
                        "owner": form.cleaned_data["owner"].pk,
                        "kind": form.cleaned_data["kind"],
                        "title": title,
                        "process": form.cleaned_data["process"].pk if form.cleaned_data["process"] else None,
                        "in_force_reference": reference,
                        "in_force_from": since.isoformat() if since else "",
                        "sections": sections,
                        "token": secrets.token_urlsafe(16),  # one preview registers one document
                    },
                    salt=IMPORT_SALT,
                    compress=True,
                )
                preview = {
                    "title": title,
                    "sections": sections,
                    "messages": result.messages,
                    "owner": form.cleaned_data["owner"],
                    "kind": dict(form.fields["kind"].choices)[form.cleaned_data["kind"]],
                    "reference": reference,
                    "since": since,
                }
                confirm = ConfirmImportForm(initial={"payload": payload})
    return render(
        request,
        "documents/governing/import.html",
        {
            "form": form,
            "preview": preview,
            "confirm": confirm,
            "crumbs": crumbs((_("Importera från Word"), "")),
        },
    )
