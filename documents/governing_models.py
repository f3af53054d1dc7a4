"""Governing documents (styrdokument, issue 13): the register, revisions with their provenance, the subregions'
positions on an editorial revision, and extensions of a document's validity.

- GoverningDocument sits beside its Document (one-to-one, like ManagementPlan): kind and title are the document's;
  here the process it serves, the owner body, the scope (county-wide, or a subregion's local supplement of a
  county-wide parent) and how long it is valid.
- Every version of a governing document is a DocumentVersion (immutable, one numbering) with exactly one Revision
  beside it: who proposed it, its class (new, editorial, principled, local), its rationale, the case that carries it
  and, once approved, the decision (body, meeting, §), when those minutes were justerade, from when it is in force and
  its PDF as issued. An approved revision never changes again (save raises ImmutableVersion): its version is in
  force from its date, until a later approved revision's date.
- RevisionPosition is append-only: a subregion's stance on an editorial revision (agree, object with a reason,
  withdraw its objection), the newest row per subregion counts (documents.governing_rules.consensus).
- RevisionComment: a comment in the consultation on a section (or a quoted passage) of the proposed version, answered
  by the proposer with how it is taken care of.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.text import html_to_text
from governance.models import Body, Person, Subregion

from .models import Comment, Document, DocumentVersion, ImmutableVersion

DEFAULT_WINDOW_DAYS = 14


class GoverningDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents with an approved version for everyone; all of them for those who work with documents."""
        from .governing_rules import works_with_documents

        if works_with_documents(user):
            return self
        return self.filter(models.Exists(Revision.objects.filter(document=models.OuterRef("pk"), status="approved")))

    def history_visible_to(self, user):
        """A document's Historik (its proposals and their consultation too) is for those who work with documents."""
        from .governing_rules import works_with_documents

        return self if works_with_documents(user) else self.none()

    def county_wide(self):
        return self.filter(scope=GoverningDocument.Scope.COUNTY)


class RevisionQuerySet(models.QuerySet):
    """An approved revision is frozen: neither a bulk update nor a bulk delete may touch one."""

    def visible_to(self, user):
        """Approved versions for everyone; proposals for those who work with documents (works_with_documents)."""
        from .governing_rules import works_with_documents

        return self if works_with_documents(user) else self.filter(status="approved")

    def _refuse_approved(self):
        if self.filter(status="approved").exists():
            raise ImmutableVersion("En fastställd version kan inte ändras eller tas bort.")

    def update(self, **kwargs):
        self._refuse_approved()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_approved()
        return super().delete()


class PositionQuerySet(models.QuerySet):
    """Positions are append-only: a changed position is a new row."""

    def update(self, **kwargs):
        raise ImmutableVersion("En ställning i samrådet ändras inte; en ny ställning läggs till.")


class GoverningDocument(ChoiceLabels, models.Model):
    """A routine, guideline, agreement, charter or action plan in the register, with its versions (its document's)."""

    class Scope(models.TextChoices):
        COUNTY = "county", _("Länsgemensamt")
        LOCAL = "local", _("Delregionalt tillägg")

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="governing")
    slug = models.SlugField(unique=True, max_length=80)
    process = models.ForeignKey(
        "governance.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="governing_documents",
    )
    owner = models.ForeignKey(
        Body,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        related_name="governing_documents",
        help_text=_("Organet som förvaltar dokumentet, t.ex. länsgemensamma referensgruppen."),
    )
    scope = models.CharField(_("omfattning"), max_length=10, choices=Scope.choices, default=Scope.COUNTY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("länsgemensamt dokument"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplements",
    )
    subregion = models.ForeignKey(
        Subregion, verbose_name=_("delregion"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(
        _("gäller till"),
        null=True,
        blank=True,
        help_text=_("Tomt: gäller tills vidare. Förlängningar flyttar datumet."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("samrådstid (dagar)"),
        default=DEFAULT_WINDOW_DAYS,
        help_text=_("En delregion som inte invänt inom så många dagar räknas som att den inte har något att invända."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The Word import's preview that registered it: one preview registers one document, however often it is sent.
    import_token = models.CharField(_("importens kännetecken"), max_length=40, blank=True, editable=False)

    objects = GoverningDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document__title", "id"]
        verbose_name = _("styrdokument")
        verbose_name_plural = _("styrdokument")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="county", parent__isnull=True, subregion__isnull=True)
                | Q(scope="local", parent__isnull=False, subregion__isnull=False),
                name="governing_local_has_parent_and_subregion",
            ),
            models.UniqueConstraint(
                fields=["parent", "subregion"],
                condition=Q(parent__isnull=False),
                name="governing_one_supplement_per_subregion",
                violation_error_message=_("Delregionen har redan ett tillägg till dokumentet."),
            ),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="governing_window_at_least_a_day"),
            models.UniqueConstraint(
                fields=["import_token"], condition=~Q(import_token=""), name="governing_one_document_per_import"
            ),
        ]

    def __str__(self):
        return self.document.title

    def get_absolute_url(self):
        return reverse("documents:governing_detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def is_local(self) -> bool:
        return self.scope == self.Scope.LOCAL


class Revision(ChoiceLabels, models.Model):
    """One version of a governing document as proposed, and what became of it (its provenance)."""

    class ChangeClass(models.TextChoices):
        NEW = "new", _("Nytt dokument")
        EDITORIAL = "editorial", _("Redaktionell ändring")
        PRINCIPLED = "principled", _("Principiell ändring")
        LOCAL = "local", _("Delregionalt tillägg")

    class Status(models.TextChoices):
        OPEN = "open", _("Förslag")
        APPROVED = "approved", _("Fastställd")
        WITHDRAWN = "withdrawn", _("Återtaget")

    document = models.ForeignKey(GoverningDocument, on_delete=models.CASCADE, related_name="revisions")
    version = models.OneToOneField(DocumentVersion, on_delete=models.PROTECT, related_name="revision")
    base = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("ändrar version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A local supplement: the parent's version it was written against.
    parent_version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("skrivet mot version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    change_class = models.CharField(_("slag av ändring"), max_length=12, choices=ChangeClass.choices)
    rationale = models.TextField(_("motivering"), max_length=20_000)
    proposed_by = models.ForeignKey(Person, verbose_name=_("föreslagen av"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("föreslagen"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    wanted_from = models.DateField(_("önskas gälla från"), null=True, blank=True)
    subregions = models.ManyToManyField(
        Subregion, verbose_name=_("delregioner i samrådet"), blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "governance.Case", verbose_name=_("ärende"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("lyft till principiell"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        Person, verbose_name=_("lyft av"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_reason = models.TextField(_("skäl för att lyfta"), blank=True, max_length=20_000)
    # Back from principled to editorial: only by the owner body's decision (a § in its justerade minutes).
    deescalated_at = models.DateTimeField(_("återförd till redaktionell"), null=True, blank=True)
    deescalation_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("beslut om att återföra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Approval, written once (then the row is frozen): the decision and its minutes, and from when it is in force.
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("beslut"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_body = models.ForeignKey(
        Body, verbose_name=_("fastställd av"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_reference = models.CharField(_("beslutets paragraf"), max_length=200, blank=True)
    justerad_at = models.DateTimeField(_("protokollet justerat"), null=True, blank=True)
    in_force_from = models.DateField(_("gäller från"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="styrdokument/", blank=True)  # stored as <sha256>.pdf
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)

    objects = RevisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "version__number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisioner")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(in_force_from__isnull=False),
                name="approved_revision_has_in_force_date",
            ),
        ]

    def __str__(self):
        return f"{self.document}, version {self.version.number}"

    def save(self, *args, **kwargs):
        # An approved revision is what was decided and published: it is written once, with its approval, and frozen.
        if not self._state.adding and type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise ImmutableVersion(f"{self} är fastställd och kan inte ändras.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("documents:revision_detail", kwargs={"slug": self.document.slug, "number": self.version.number})

    def delete(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise ImmutableVersion(f"{self} är fastställd och kan inte tas bort.")
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_editorial(self) -> bool:
        return self.change_class == self.ChangeClass.EDITORIAL

    @property
    def is_principled(self) -> bool:
        return self.change_class in (self.ChangeClass.PRINCIPLED, self.ChangeClass.NEW)

    def window_ends(self) -> datetime.date:
        """The last day of the no-objection window: a subregion silent after it has nothing to object."""
        started = self.deescalated_at or self.proposed_at  # made editorial again: the window runs from then
        return timezone.localdate(started) + datetime.timedelta(days=self.document.window_days)


class RevisionPosition(ChoiceLabels, models.Model):
    """A subregion's stance on an editorial revision, one row per change (append-only): the newest counts."""

    class Stance(models.TextChoices):
        AGREE = "agree", _("Instämmer")
        OBJECT = "object", _("Invänder")
        WITHDRAWN = "withdrawn", _("Invändningen återtagen")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="positions")
    subregion = models.ForeignKey(Subregion, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("ställning"), max_length=10, choices=Stance.choices)
    reason = models.TextField(_("skäl"), blank=True, max_length=20_000)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ställning i samråd")
        verbose_name_plural = _("ställningar i samråd")
        constraints = [
            models.CheckConstraint(condition=~Q(stance="object") | ~Q(reason=""), name="objection_has_reason"),
        ]

    def __str__(self):
        return f"{self.subregion}: {self.get_stance_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("En ställning i samrådet är sparad och ändras inte; en ny ställning läggs till.")
        super().save(*args, **kwargs)


class ValidityExtension(models.Model):
    """A document's validity extended to a new date, with the reason (and the decision, when one was taken)."""

    document = models.ForeignKey(GoverningDocument, on_delete=models.CASCADE, related_name="extensions")
    valid_until = models.DateField(_("förlängs till"))
    previous_until = models.DateField(null=True, blank=True)
    reason = models.CharField(_("skäl"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("förlängning")
        verbose_name_plural = _("förlängningar")

    def __str__(self):
        return f"{self.document} förlängt till {self.valid_until}"


class RevisionComment(ChoiceLabels, models.Model):
    """A comment in a revision's consultation: on one of its version's sections (by key), optionally on a passage
    quoted from it, or on the proposal as a whole; answered once by the proposer (or the owner's steward) with how it
    is taken care of, like a comment in a plan's review round (documents.Comment)."""

    Disposition = Comment.Disposition  # the same answers as a comment in a plan's review round

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(_("avsnitt"), max_length=40, blank=True)
    quote = models.TextField(_("markerat stycke"), blank=True, max_length=2_000)
    subregion = models.ForeignKey(Subregion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Person, verbose_name=_("skriven av"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"), max_length=20_000)
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    disposition = models.CharField(_("ställningstagande"), max_length=14, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("svar"), blank=True, max_length=20_000)
    disposition_by = models.ForeignKey(
        Person, verbose_name=_("besvarad av"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposition_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar i samråd")
        verbose_name_plural = _("kommentarer i samråd")
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition_by__isnull=False, disposition_at__isnull=False),
                name="revision_comment_answer_has_author",
            ),
            models.CheckConstraint(
                condition=Q(disposition="") | Q(disposition="accepted") | ~Q(disposition_reason=""),
                name="revision_comment_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.author}: {html_to_text(self.text)[:60]}"

    @property
    def is_answered(self) -> bool:
        return bool(self.disposition)

    @property
    def disposition_badge(self) -> str:
        """The badge colour of the answer (its words carry the meaning)."""
        return {"accepted": "active", "partly": "paused"}.get(self.disposition, "closed")
