"""Governing documents in the browser (issue 13): the register, a document with its version in force and its
history of versions, a version with its provenance and (for a proposal) its consultation, any two versions compared,
the version's PDF as issued, proposing a revision and writing a local supplement (importing from Word:
governing_import_views.py).

Who: the public reads documents with an approved version and those versions; proposals are for those who work with
documents (documents.governing_rules.works_with_documents), else 404. Every write is a POST to its own route; the
services check the rules and the pages show the rules' refusals beside the buttons. Views parse, call, message and
render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import store
from core.kept import kept
from core.versions import history_key
from core.web import apply_to_form, page_of
from governance import permissions
from governance.models import Subregion

from . import compare as section_compare
from . import governing, governing_consultation_views, governing_pdf
from . import governing_rules as rules
from .governing_forms import (
    DeescalateForm,
    EscalateForm,
    ExtendForm,
    PositionForm,
    ProposeForm,
    SupplementForm,
)
from .governing_models import GoverningDocument, Revision, RevisionComment, RevisionPosition
from .models import DocumentVersion

LIST_PAGE = 25  # county-wide documents per page of the register (with their supplements)


def crumbs(*more):
    return [(_("Styrdokument"), reverse("documents:governing_list") if more else ""), *more]


def _document_for(request, slug, *, county_wide=False) -> GoverningDocument:
    rows = governing.register_queryset(request.user)
    return get_object_or_404(rows.county_wide() if county_wide else rows, slug=slug)


def _revision_for(request, governing_doc, number) -> Revision:
    """The version `number` of the document as the user may read it, with its text, its provenance, its
    consultation (the comments for those who work with documents only) and (in `siblings`) all the document's
    revisions she may read, as much of them as a version's state is judged by."""
    user = request.user
    siblings = list(
        Revision.objects.visible_to(user)
        .filter(document=governing_doc)
        .select_related("version")
        .only("document_id", "status", "in_force_from", "version__document_id", "version__number")
    )
    # The revision with its text and proposer; what else its provenance names is read only when it has one (a single
    # row joined to eight tables costs PostgreSQL more to plan than these small reads together).
    revision = get_object_or_404(
        Revision.objects.visible_to(user).filter(document=governing_doc).select_related("version", "proposed_by"),
        version__number=number,
    )
    revision.document = governing_doc
    if revision.decision_id is not None:
        revision.decision = rules.decisions().select_related("item__meeting").get(pk=revision.decision_id)
    if revision.base_id is not None:  # its number, not its text
        revision.base = DocumentVersion.objects.only("document_id", "number").get(pk=revision.base_id)
    related = [
        "subregions",
        Prefetch("positions", queryset=RevisionPosition.objects.select_related("by", "subregion")),
    ]
    if rules.works_with_documents(user):
        related.append(
            Prefetch(
                "comments", queryset=RevisionComment.objects.select_related("author", "subregion", "disposition_by")
            )
        )
    prefetch_related_objects([revision], *related)
    revision.siblings = [revision if r.pk == revision.pk else r for r in siblings]
    return revision


@login_not_required
@require_safe
def governing_list(request):
    """The register, a page of county-wide documents at a time, each with its version in force and its subregions'
    supplements beside it. The table of a page is the same for everyone who sees the same documents (the public, or
    those who work with documents) until a document, a version, a name or the day changes: it is kept (core.kept)
    under a key made of those rows' newest history (core.versions.history_key)."""
    user = request.user
    today = timezone.localdate()
    workers = rules.works_with_documents(user)
    visible = governing.with_current(governing.register_queryset(user, related=("document", "owner", "process")), today)
    page = page_of(request, visible.county_wide().order_by("document__title", "pk"), LIST_PAGE)
    audience = "workers" if workers else "public"
    key = history_key(f"governing-register:{audience}:{LIST_PAGE}:{page.number}", *governing.REGISTER_MODELS, on=today)
    table = kept(key, lambda: _register_table(request, page, today))
    return render(
        request,
        "documents/governing/list.html",
        {
            "table": table,
            "page": page,
            "may_register": workers
            and (
                permissions.is_admin(user)
                or permissions.is_coordinator(user)
                or bool(permissions.secretary_body_ids(user))
            ),
            "crumbs": crumbs(),
        },
    )


def _register_table(request, page, today) -> str:
    """A page of the register's table, rendered: its county-wide documents with their supplements beside them."""
    county = list(page.object_list)
    if not county:
        return ""
    local = list(
        governing.with_current(governing.register_queryset(request.user, related=("subregion",)), today)
        .filter(parent__in=county)
        .order_by("subregion__name", "pk")
    )
    supplements: dict[int, list] = {}
    for row in local:
        supplements.setdefault(row.parent_id, []).append(row)
    for row in county:
        row.local = supplements.get(row.pk, [])
    return render_to_string("documents/governing/_register.html", {"documents": county})


@login_not_required
@require_safe
def governing_detail(request, slug):
    """A document: what the user may do with it, and its body (its proposals, the version in force with its
    provenance and text, validity, supplements, versions), which is the same for everyone in the same audience (the
    public, signed in, or working with documents) until one of its rows or the day changes: kept (core.kept) under a
    key made of those rows' newest history."""
    doc = _document_for(request, slug)
    user = request.user
    today = timezone.localdate()
    workers = rules.works_with_documents(user)
    audience = "workers" if workers else "signed-in" if user.is_authenticated else "public"
    key = history_key(f"governing-document:{doc.pk}:{audience}", *governing.DOCUMENT_BODY_MODELS, on=today)
    body = kept(key, lambda: _document_body(request, doc, today))
    own_subregions = [
        s for s in Subregion.objects.filter(pk__in=permissions.represented_subregion_ids(user)) if not doc.is_local
    ]
    return render(
        request,
        "documents/governing/detail.html",
        {
            "doc": doc,
            "body": body,
            "may_propose": not rules.propose_check(user, doc) and user.is_authenticated,
            "may_extend": user.is_authenticated and permissions.can(user, rules.EXTEND_VALIDITY, doc),
            "may_see_history": workers,
            "own_subregions": own_subregions,
            "crumbs": crumbs((doc.title, "")),
        },
    )


def _document_body(request, doc, today) -> str:
    revisions = governing.revisions_of(request.user, doc)
    states = governing.version_states(revisions, today=today)
    current = governing.with_text(governing.current_of([r for r in revisions if r.is_approved], today))
    supplements = []
    if not doc.is_local:
        supplements = list(
            governing.register_queryset(request.user, related=("document", "subregion"))
            .filter(parent=doc)
            .order_by("subregion__name")
        )
    parent_current = governing.in_force(doc.parent, today) if doc.is_local else None
    written_against = current.parent_version if current is not None and doc.is_local else None
    return render_to_string(
        "documents/governing/_document.html",
        {
            "doc": doc,
            "current": current,
            "states": states,
            "proposals": [s for s in states if s.revision.is_open],
            "supplements": supplements,
            "parent_current": parent_current,
            "written_against": written_against,
            "parent_is_newer": bool(
                written_against and parent_current and parent_current.version_id != written_against.pk
            ),
            "extensions": list(doc.extensions.all()),
            "user": request.user,
        },
    )


@login_not_required
@require_safe
def revision_detail(request, slug, number):
    doc = _document_for(request, slug)
    revision = _revision_for(request, doc, number)
    return _revision_page(request, doc, revision)


def _revision_page(
    request,
    doc,
    revision,
    *,
    position_form=None,
    escalate_form=None,
    deescalate_form=None,
    comment_form=None,
    answer_form=None,
    withdraw_form=None,
):
    user = request.user
    states = governing.version_states(revision.siblings)
    state = next(s for s in states if s.revision.pk == revision.pk)
    consensus = rules.consensus(revision) if revision.is_editorial else None
    answering = rules.answering_subregion_ids(user, doc.owner)
    mine = [s for s in revision.subregions.all() if s.pk in answering]
    position_forms = []
    for subregion in mine:
        refusals = rules.position_check(user, revision, subregion)
        objecting = consensus is not None and any(p.subregion.pk == subregion.pk for p in consensus.objections)
        position_forms.append(
            {
                "subregion": subregion,
                "refusals": refusals,
                "form": position_form
                if position_form and position_form.subregion_pk == subregion.pk
                else PositionForm(),
                "objecting": objecting,
            }
        )
    owner_refusals = rules.owner_approval_refusals(revision, doc.owner) if revision.is_open else []
    may_deescalate = (
        revision.is_open
        and revision.change_class == Revision.ChangeClass.PRINCIPLED
        and permissions.can(user, rules.DEESCALATE_REVISION, revision)
    )
    consultation = governing_consultation_views.consultation_context(
        request, revision, comment_form=comment_form, answer_form=answer_form, withdraw_form=withdraw_form
    )
    return render(
        request,
        "documents/governing/revision.html",
        {
            "doc": doc,
            "revision": revision,
            "state": state,
            "consensus": consensus,
            "position_forms": position_forms,
            "escalate_form": escalate_form or EscalateForm(),
            "escalate_refusals": rules.escalate_check(user, revision) if user.is_authenticated else [_("Logga in.")],
            "may_escalate": user.is_authenticated and permissions.can(user, rules.ESCALATE_REVISION, revision),
            "owner_refusals": owner_refusals,
            "positions": list(revision.positions.all()),
            "may_deescalate": may_deescalate,
            "deescalate_form": deescalate_form
            or (DeescalateForm(decisions=_recent_decisions(doc)) if may_deescalate else None),
            "crumbs": crumbs(
                (doc.title, doc.get_absolute_url()), (_("Version %(n)d") % {"n": revision.version.number}, "")
            ),
            "has_errors": any(
                f is not None and f.errors
                for f in (position_form, escalate_form, deescalate_form, comment_form, answer_form, withdraw_form)
            ),
            **consultation,
        },
    )


@require_POST
def revision_position(request, slug, number):
    doc = _document_for(request, slug)
    revision = _revision_for(request, doc, number)
    subregion = get_object_or_404(Subregion.objects.visible_to(request.user), pk=_number(request.POST.get("subregion")))
    permissions.require(request.user, rules.TAKE_POSITION, (revision, subregion))
    form = PositionForm(request.POST)
    form.subregion_pk = subregion.pk
    if request.POST.get("withdraw"):
        stance, reason = "withdrawn", ""
        form = PositionForm({"stance": "agree"})
        form.subregion_pk = subregion.pk
        form.is_valid()
    elif form.is_valid():
        stance, reason = form.cleaned_data["stance"], form.cleaned_data["reason"]
    else:
        return _revision_page(request, doc, revision, position_form=form)
    done = apply_to_form(
        form,
        lambda: governing.position_take(
            actor=request.user, revision=revision, subregion=subregion, stance=stance, reason=reason
        ),
    )
    if done:
        messages.success(request, _("%(sub)s: %(s)s.") % {"sub": subregion, "s": done.get_stance_display()})
        return redirect(revision)
    return _revision_page(request, doc, revision, position_form=form)


@require_POST
def revision_escalate(request, slug, number):
    doc = _document_for(request, slug)
    revision = _revision_for(request, doc, number)
    permissions.require(request.user, rules.ESCALATE_REVISION, revision)
    form = EscalateForm(request.POST)
    if form.is_valid() and apply_to_form(
        form,
        lambda: governing.revision_escalate(actor=request.user, revision=revision, reason=form.cleaned_data["reason"]),
    ):
        messages.success(request, _("Ändringen är principiell och bereds av Gemensam beredning för beslut i VVG."))
        return redirect(revision)
    return _revision_page(request, doc, revision, escalate_form=form)


def _recent_decisions(doc):
    """The owner's 50 newest justerade decisions, as a queryset the form can look a choice up in."""
    newest = list(rules.owner_decisions(doc).values_list("pk", flat=True)[:50])
    return rules.owner_decisions(doc).filter(pk__in=newest)


@require_POST
def revision_deescalate(request, slug, number):
    """The owner body's decision makes a principled revision editorial again, recorded by its steward."""
    doc = _document_for(request, slug)
    revision = _revision_for(request, doc, number)
    permissions.require(request.user, rules.DEESCALATE_REVISION, revision)
    form = DeescalateForm(request.POST, decisions=_recent_decisions(doc))
    if form.is_valid() and apply_to_form(
        form,
        lambda: governing.revision_deescalate(
            actor=request.user,
            revision=revision,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, _("Ändringen är redaktionell och går på samråd med delregionerna."))
        return redirect(revision)
    return _revision_page(request, doc, revision, deescalate_form=form)


def validity_extend(request, slug):
    """The owner's steward extends how long the document is valid, with the reason (the decision, say)."""
    doc = _document_for(request, slug)
    permissions.require(request.user, rules.EXTEND_VALIDITY, doc)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_to_form(
            form,
            lambda: governing.validity_extend(
                actor=request.user,
                governing=doc,
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done:
            messages.success(request, _("Dokumentet gäller nu till och med %(d)s.") % {"d": done.valid_until})
            return redirect(doc)
    return render(
        request,
        "documents/governing/extend.html",
        {"doc": doc, "form": form, "crumbs": crumbs((doc.title, doc.get_absolute_url()), (_("Förläng"), ""))},
    )


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_not_required
@require_safe
def governing_compare(request, slug):
    doc = _document_for(request, slug)
    # Only the versions' numbers: their texts are read only when the comparison is not kept yet.
    revisions = list(
        Revision.objects.visible_to(request.user)
        .filter(document=doc)
        .select_related("version")
        .only("document_id", "status", "version__document_id", "version__number")
        .order_by("-version__number")
    )
    by_number = {r.version.number: r for r in revisions}
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    view = "inline" if request.GET.get("visa") == "inline" else "sida"
    error = None
    if a is None or b is None:
        error = _("Välj två versioner att jämföra.")
    elif a not in by_number or b not in by_number:
        missing = [str(n) for n in (a, b) if n not in by_number]
        error = _("Dokumentet har ingen version %(n)s som du kan läsa. Välj bland versionerna i listan.") % {
            "n": " eller ".join(missing)
        }
    context = {
        "doc": doc,
        "revisions": revisions,
        "a": a if a in by_number else None,
        "b": b if b in by_number else None,
        "view": view,
        "error": error,
        "crumbs": crumbs((doc.title, doc.get_absolute_url()), (_("Jämför versioner"), "")),
    }
    if error is None:
        old, new = sorted((by_number[a], by_number[b]), key=lambda r: r.version.number)
        context.update({"old": old, "new": new, **section_compare.rendered(old.version, new.version, view)})
    return render(request, "documents/governing/compare.html", context, status=400 if error else 200)


@login_not_required
@require_safe
def revision_pdf(request, slug, number):
    # An approved version is public, and so is its document: one query, without the register's visibility rule.
    revision = get_object_or_404(
        Revision.objects.visible_to(request.user)
        .filter(status=Revision.Status.APPROVED, document__slug=slug, version__number=number)
        .exclude(pdf_sha256="")
        .select_related("version", "document")
        .only("pdf", "pdf_sha256", "version__number", "document__slug"),
    )
    return store.serve(
        request, lambda: revision.pdf.open("rb"), revision.pdf_sha256, governing_pdf.pdf_file_name(revision)
    )


def _sections_of(version) -> list[dict]:
    return [dict(s) for s in (version.content.get("sections", []) if version else [])]


def revision_propose(request, slug):
    doc = _document_for(request, slug, county_wide=True)  # a supplement is written by its subregion, not revised
    permissions.require(request.user, rules.PROPOSE_REVISION, doc)
    base = rules.newest_approved(doc)
    sections = _sections_of(base)
    form = ProposeForm(request.POST or None, sections=sections, initial={"base_number": base.number if base else None})
    if request.method == "POST" and form.is_valid():
        revision = apply_to_form(
            form,
            lambda: governing.revision_propose(
                actor=request.user,
                governing=doc,
                sections=form.sections(),
                change_class=form.cleaned_data["change_class"],
                rationale=form.cleaned_data["rationale"],
                base_number=form.cleaned_data["base_number"],
                wanted_from=form.cleaned_data["wanted_from"],
            ),
        )
        if revision:
            messages.success(request, _("Förslaget är sparat som version %(n)d.") % {"n": revision.version.number})
            return redirect(revision)
    return render(
        request,
        "documents/governing/propose.html",
        {
            "doc": doc,
            "base": base,
            "form": form,
            "title": _("Föreslå en ändring"),
            "submit": _("Spara förslaget"),
            "crumbs": crumbs((doc.title, doc.get_absolute_url()), (_("Föreslå en ändring"), "")),
        },
    )


def supplement_write(request, slug, subregion):
    parent = _document_for(request, slug, county_wide=True)
    subregion = get_object_or_404(Subregion.objects.visible_to(request.user), slug=subregion)
    permissions.require(
        request.user, rules.EDIT_SUPPLEMENT, (parent, subregion), refusal=rules.NOT_YOUR_SUBREGION % {"sub": subregion}
    )
    existing = GoverningDocument.objects.filter(parent=parent, subregion=subregion).first()
    base = rules.newest_approved(existing) if existing else None
    if existing and base is None:
        open_ = existing.revisions.filter(status=Revision.Status.OPEN).order_by("-version__number").first()
        base = open_.version if open_ else None
    form = SupplementForm(
        request.POST or None,
        sections=_sections_of(base) or [{"key": "", "title": _("Tillägg för %(s)s") % {"s": subregion}, "body": ""}],
        initial={"base_number": base.number if base and existing and rules.newest_approved(existing) else None},
    )
    if request.method == "POST" and form.is_valid():
        revision = apply_to_form(
            form,
            lambda: governing.supplement_propose(
                actor=request.user,
                parent=parent,
                subregion=subregion,
                sections=form.sections(),
                rationale=form.cleaned_data["rationale"],
                base_number=form.cleaned_data["base_number"],
            ),
        )
        if revision:
            messages.success(
                request,
                _("Tillägget är sparat som förslag och väntar på beslut i %(b)s.") % {"b": revision.document.owner},
            )
            return redirect(revision)
    return render(
        request,
        "documents/governing/propose.html",
        {
            "doc": parent,
            "base": base,
            "form": form,
            "supplement_for": subregion,
            "title": _("Tillägg för %(s)s") % {"s": subregion},
            "submit": _("Spara tillägget"),
            "crumbs": crumbs(
                (parent.title, parent.get_absolute_url()), (_("Tillägg för %(s)s") % {"s": subregion}, "")
            ),
        },
    )
