"""Management plans written in the browser, their versions, and review rounds where every subregion answers.

The document core
=================

What holds today (issue 9, item 5):

- Document (kind: förvaltningsplan now; rutin, riktlinje, överenskommelse, uppdragsbeskrivning and handlingsplan
  are declared for issue 13; title, created_at, history) is what has versions and review rounds. Kind-specific data
  lives beside it, one-to-one: ManagementPlan.document (PROTECT; created with the plan by services.plan_create and
  plan_start_next_year, through core.audit) keeps the year, the managed object, the plan's lifecycle status and VVG's
  position. ManagementPlan.versions and .rounds are the document's (properties); ReviewRound.plan is
  round.document.plan (a property: the plan's rules and pages need it).
- DocumentVersion (PlanVersion renamed, moved to the document): document FK, `number` the one numbering, unique per
  document; content is a JSON snapshot {"sections": [{key, title, body}, ...], plus kind-specific extras: the plan's
  "goals"}, created_by/at, note. Immutable once saved: DocumentVersion.save raises ImmutableVersion on an existing
  row and DocumentVersionQuerySet.update refuses. Every saved change of a plan snapshots one (plan_snapshot).
- ReviewRound.document (the one-open-round constraint is per document) and ReviewRound.version, a DocumentVersion:
  the round page, its comment forms and the compilation render round.version.sections, never the live PlanSection
  rows; the round page shows how the current draft differs (services.draft_changes: nothing saved).
- A comment points at the version sent: Comment.section_key is a key of round.version's sections (checked by
  reviews.comment_add), and its optional quote must occur in that section's text of that version (HTML stripped,
  whitespace normalised). A reply belongs to its thread's section. JointResponse points at the round, so at its
  version.
- Numbering: DocumentVersion.number is the one document version number. PlanSection.revision is a concurrency token
  for lost-update protection (compare-and-swap in services.section_save), not a document version; JointResponse.
  version is one too. Charters (governance.Charter, uppdragsbeskrivningar) stay versioned rows: one row per version,
  written as a whole, never reviewed in a round; issue 13's uppdragsbeskrivning kind can take them over later.
- Migration (0006 schema, 0007 data, 0008 schema; reversible): one Document per ManagementPlan (kind
  management_plan, title "Förvaltningsplan <object> <year>"), versions, rounds and the rounds' history rows pointed
  at their plan's document, renumbering nothing (numbers were per plan, so per document), then `plan` dropped.

The next step (issue 13; not built yet):

- Document: owner body, scope (county-wide, or a subregion's local supplement with `parent` = the county-wide
  document and `subregion`), process served; issue 13's GoverningDocument beside it (one-to-one, like the plan)
  adds validity and extensions.
- DocumentVersion provenance: proposed_by, change class (editorial/principled), rationale, the approving decision
  (meetings.Decision, so body, meeting and §), in_force_from, superseded_by. A version in force is never edited, a
  revision is a new version. Its published PDF goes to core.store (content-addressed, the same bytes every
  download). A revision proposal is a DocumentVersion with class and rationale plus a round on its document.
- Working text: PlanSection generalised as DocumentSection (document FK, key, title, position, body, `revision` as
  the concurrency token); every saved change snapshots a DocumentVersion, as plan_snapshot does now; drafts stay
  visible only to those who work on the document. Rules and scopes (visible_to) still read the plan through
  document.plan; other kinds get their own beside it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.text import html_to_text
from governance.models import Body, Person, Subregion

from . import money
from .querysets import (
    CommentQuerySet,
    DocumentVersionQuerySet,
    JointResponseQuerySet,
    PlanQuerySet,
    ReviewRoundQuerySet,
)


class Document(ChoiceLabels, models.Model):
    """A document of the portal, whatever its kind: its versions (one numbering) and its review rounds belong here.
    Kind-specific data lives beside it, one-to-one (ManagementPlan.document; issue 13's governing documents)."""

    class Kind(models.TextChoices):
        MANAGEMENT_PLAN = "management_plan", _("Förvaltningsplan")
        ROUTINE = "routine", _("Rutin")
        GUIDELINE = "guideline", _("Riktlinje")
        AGREEMENT = "agreement", _("Överenskommelse")
        CHARTER = "charter", _("Uppdragsbeskrivning")
        ACTION_PLAN = "action_plan", _("Handlingsplan")

    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")

    def __str__(self):
        return self.title


class ManagedObject(models.Model):
    """A förvaltningsobjekt, e.g. Samordnad hälsa, vård och omsorg (SHVO)."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=20)
    slug = models.SlugField(unique=True)
    steering_body = models.ForeignKey(
        Body,
        verbose_name=_("tar ställning"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Organet som tar ställning till planen, t.ex. VVG."),
    )
    budget_body = models.ForeignKey(
        Body,
        verbose_name=_("beslutar om budgeten"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Organet som beslutar om planens budget, t.ex. SITIV."),
    )
    bodies = models.ManyToManyField(
        Body, verbose_name=_("organ i förvaltningsorganisationen"), blank=True, related_name="managed_objects"
    )

    history = HistoricalRecords(m2m_fields=[bodies])

    class Meta:
        verbose_name = _("förvaltningsobjekt")
        verbose_name_plural = _("förvaltningsobjekt")

    def __str__(self):
        return self.short_name


class ManagementPlan(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_REVIEW = "in_review", _("På remiss")
        SUBMITTED = "submitted", _("Inlämnad till gemensam beredning")
        IN_FORCE = "in_force", _("Gäller")
        ARCHIVED = "archived", _("Arkiverad")

    PUBLIC_STATUSES = (Status.IN_FORCE, Status.ARCHIVED)
    LOCKED_STATUSES = (Status.SUBMITTED, Status.IN_FORCE, Status.ARCHIVED)

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="plan")
    managed_object = models.ForeignKey(ManagedObject, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position_date = models.DateField(_("ställningstagande"), null=True, blank=True)
    position_reference = models.CharField(
        _("ställningstagandets paragraf"), max_length=120, blank=True, help_text=_("T.ex. § 12/2027 i VVG:s protokoll.")
    )
    # The plan's path from the coordinators through Gemensam beredning to VVG, as a case (issue 12): raised and sent
    # for preparation when the plan is submitted, decided or referred back when the preparer records VVG's answer.
    case = models.ForeignKey(
        "governance.Case",
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("förvaltningsplan")
        verbose_name_plural = _("förvaltningsplaner")
        constraints = [models.UniqueConstraint(fields=["managed_object", "year"], name="plan_one_per_object_year")]

    def __str__(self):
        return f"Förvaltningsplan {self.managed_object} {self.year}"

    def get_absolute_url(self):
        return reverse("documents:plan_detail", kwargs={"pk": self.pk})

    @property
    def versions(self):
        """The plan's versions: its document's (DocumentVersion.document)."""
        return self.document.versions

    @property
    def rounds(self):
        """The plan's review rounds: its document's (ReviewRound.document)."""
        return self.document.rounds

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE

    @property
    def is_submitted(self) -> bool:
        """Sent to Gemensam beredning, waiting for VVG's position."""
        return self.status == self.Status.SUBMITTED


class PlanTransition(ChoiceLabels, models.Model):
    """Each lifecycle step: who took it, when, from which status to which."""

    plan = models.ForeignKey(ManagementPlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=ManagementPlan.Status.choices)
    to_status = models.CharField(max_length=12, choices=ManagementPlan.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.plan}: {self.from_status} → {self.to_status}"


class PlanSection(ChoiceLabels, models.Model):
    """One section of a plan (seed 003's headings), edited in the browser with lost-update protection."""

    class Key(models.TextChoices):
        INTRODUCTION = "introduction", _("Inledning")
        PURPOSE = "purpose", _("Syfte")
        PERIOD = "period", _("Förvaltningsperiod")
        MANDATE = "mandate", _("Uppdrag")
        GOALS = "goals", _("Mål")
        BUDGET = "budget", _("Budget och finansiering")
        OPERATIONS = "operations", _("Drift och utveckling av systemstöd")
        RELATED_SYSTEMS = "related_systems", _("Närliggande system och beroenden")
        RESOURCES = "resources", _("Resurs- och utbildningsbehov")
        ORGANISATION = "organisation", _("Förvaltningsorganisation")

    ORDER = list(Key.values)

    plan = models.ForeignKey(ManagementPlan, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=Key.choices)
    position = models.PositiveSmallIntegerField()
    body = models.TextField(_("text"), blank=True, max_length=200_000)
    # A concurrency token for lost-update protection (section_save's compare-and-swap: the form's base_version), not
    # a document version: the plan's versions are DocumentVersion.number.
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="section_once_per_plan")]

    def __str__(self):
        return f"{self.position}. {self.get_key_display()}"

    @property
    def title(self) -> str:
        return self.get_key_display()


class Goal(ChoiceLabels, models.Model):
    class Category(models.TextChoices):
        MAINTENANCE = "maintenance", _("Vidmakthållande")
        NECESSARY = "necessary", _("Nödvändig vidareutveckling för vidmakthållande")
        DEVELOPMENT = "development", _("Vidareutveckling")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Uppnått")
        POSTPONED = "postponed", _("Skjuts upp")

    plan = models.ForeignKey(ManagementPlan, on_delete=models.CASCADE, related_name="goals")
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    follow_up = models.TextField(
        _("uppföljning"), blank=True, max_length=20_000, help_text=_("Anteckningar från uppföljningen under året.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "category", "position", "id"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return self.title


@dataclass
class VersionSection:
    """One section of a frozen version, as its content stores it (what reviewers read and comment on)."""

    key: str
    title: str
    body: str
    position: int


class ImmutableVersion(Exception):
    """A saved version is frozen: what was sent for review, decided or published never changes."""


class DocumentVersion(models.Model):
    """A snapshot of a document's whole text (a plan's: its sections and goals), taken on every saved change, so any
    two can be compared. `number` is the document's one version numbering.

    Immutable once saved: save() on an existing row raises ImmutableVersion and the queryset refuses update(), so a
    round's version is exactly what was sent (services only ever create versions, through plan_snapshot)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self):
        return f"{self.document}, version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion(f"{self} är sparad och kan inte ändras.")
        super().save(*args, **kwargs)

    @property
    def sections(self) -> list[VersionSection]:
        """The sections of this version, in order, as they were when it was saved."""
        return [
            VersionSection(key=s["key"], title=s["title"], body=s.get("body", ""), position=n)
            for n, s in enumerate((self.content or {}).get("sections", []), start=1)
        ]

    def section(self, key: str) -> VersionSection | None:
        return next((s for s in self.sections if s.key == key), None)


class ReviewRound(models.Model):
    """A remissrunda on a document version, with a deadline and the subregions asked to answer."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rounds")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("sista svarsdag"))
    subregions = models.ManyToManyField(Subregion, verbose_name=_("delregioner som tillfrågas"), related_name="+")
    message = models.TextField(_("meddelande till delregionerna"), blank=True, max_length=20_000)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[subregions])

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("remissrunda")
        verbose_name_plural = _("remissrundor")
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(closed_at__isnull=True),
                name="review_round_one_open_per_document",
                violation_error_message=_("Det finns redan en öppen remissrunda för planen. Stäng den först."),
            )
        ]

    def __str__(self):
        return f"Remiss av {self.plan} (svar senast {self.deadline:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("documents:round_detail", kwargs={"pk": self.pk})

    @property
    def plan(self) -> ManagementPlan:
        """The management plan the round's document is (round.document.plan): the plan's rules and pages."""
        return self.document.plan

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Comment(ChoiceLabels, models.Model):
    class Disposition(models.TextChoices):
        ACCEPTED = "accepted", _("Tillgodosedd")
        PARTLY = "partly", _("Delvis tillgodosedd")
        NOT_ACCEPTED = "not_accepted", _("Inte tillgodosedd")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    # The key of the section commented on, in the version sent for review (round.version.content), not a live
    # PlanSection row: the comment stays on the text the reviewer read. Blank: on the round as a whole.
    section_key = models.CharField(_("avsnitt"), max_length=40, blank=True)
    quote = models.TextField(_("markerat stycke"), blank=True, max_length=2_000)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    subregion = models.ForeignKey(Subregion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"), max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)
    disposition = models.CharField(_("ställningstagande"), max_length=14, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("motivering"), blank=True, max_length=20_000)
    disposition_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disposition_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self):
        return f"{self.author}: {html_to_text(self.text)[:60]}"


class JointResponse(models.Model):
    """Gemensamt delregionalt svar: one per subregion and round, written by its representatives."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="responses")
    subregion = models.ForeignKey(Subregion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("svar"), blank=True, max_length=200_000)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = JointResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemensamt delregionalt svar")
        verbose_name_plural = _("gemensamma delregionala svar")
        constraints = [
            models.UniqueConstraint(fields=["round", "subregion"], name="one_response_per_subregion"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_by__isnull=False),
                name="submitted_response_has_submitter",
            ),
        ]

    def __str__(self):
        return f"Svar från {self.subregion} på {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


# --- Budget (issue 11, item 1) --------------------------------------------------------------------------------------


class AllocationKey(models.Model):
    """A fördelningsnyckel: the region's (VGR's) share in percent; the municipalities (VGK) pay 100 − it.

    Seed 003: "Lönekostnader 50/50" (50), "IT-tjänsten 70/30" (70: VGR pays 70 %). Valid from `valid_from` to
    `valid_to` (inclusive; open-ended when empty): a line of a plan may use the key only if this covers the plan's
    year (documents.budget.key_valid_for_year)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    region_percent = models.DecimalField(
        _("VGR:s andel (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Regionens andel i procent; kommunerna betalar resten. T.ex. 70 för 70/30 VGR/VGK."),
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        constraints = [
            models.CheckConstraint(
                condition=Q(region_percent__gte=0) & Q(region_percent__lte=100), name="allocation_key_percent_0_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="allocation_key_to_not_before_from",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def municipalities_percent(self):
        return 100 - self.region_percent


class Budget(ChoiceLabels, models.Model):
    """A management plan's budget (seed 003's "BUDGET 2024" table): its lines, grouped under headings."""

    plan = models.OneToOneField(
        ManagementPlan, verbose_name=_("förvaltningsplan"), on_delete=models.CASCADE, related_name="budget"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # SITIV's decision on the budget (item 3): a § in SITIV's justerade minutes. A decided budget is locked; a later
    # change cites the decision that allowed it (BudgetLine.decision).
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("SITIV:s beslut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutet registrerat"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Next year's budget from this year's (item 4): the budget it was uplifted from, by how much, rounded how.
    uplifted_from = models.ForeignKey(
        "self", verbose_name=_("uppräknad från"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uplift_percent = models.DecimalField(_("uppräkning (%)"), max_digits=7, decimal_places=4, null=True, blank=True)
    uplift_rounding = models.CharField(_("avrundning"), max_length=10, choices=money.ROUNDING_CHOICES, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        constraints = [
            models.UniqueConstraint(
                fields=["decision"], condition=Q(decision__isnull=False), name="budget_one_per_decision"
            ),
        ]

    def __str__(self):
        return f"Budget {self.plan}"

    @property
    def is_decided(self) -> bool:
        return self.decision_id is not None


class BudgetLine(models.Model):
    """One line of a budget: an amount split between VGR and the municipalities by a key or by its own share."""

    budget = models.ForeignKey(Budget, verbose_name=_("budgeten"), on_delete=models.CASCADE, related_name="lines")
    heading = models.CharField(
        _("rubrik"), max_length=200, blank=True, help_text=_("Raderna visas grupperade under sina rubriker.")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    name = models.CharField(_("benämning"), max_length=200)
    amount = models.DecimalField(_("belopp"), max_digits=money.AMOUNT_MAX_DIGITS, decimal_places=2)
    key = models.ForeignKey(
        AllocationKey,
        verbose_name=_("fördelningsnyckel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    own_region_percent = models.DecimalField(
        _("egen andel för VGR (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("anteckning"), blank=True, max_length=2_000)
    # The decision that set this line's figures: the budget's when SITIV decided it, a later § when a change cited one.
    decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("beslut"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The coordinator's forecast (prognos) for the year; empty: documents.followup computes one from the outcome.
    forecast = models.DecimalField(
        _("prognos för året"), max_digits=money.AMOUNT_MAX_DIGITS, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "position", "id"]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(key__isnull=False) & Q(own_region_percent__isnull=True))
                | (Q(key__isnull=True) & Q(own_region_percent__isnull=False)),
                name="budget_line_key_or_own_share",
            ),
            models.CheckConstraint(
                condition=Q(own_region_percent__isnull=True)
                | (Q(own_region_percent__gte=0) & Q(own_region_percent__lte=100)),
                name="budget_line_own_percent_0_100",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def region_percent(self):
        return self.key.region_percent if self.key_id else self.own_region_percent


class InvoicingPlan(ChoiceLabels, models.Model):
    """How a budget's municipalities' share is invoiced (item 6). Default as seed 003: each municipality by its
    population, monthly, in advance. Seed 000: one counterparty (VästKom), quarterly, in arrears."""

    class Counterparty(models.TextChoices):
        MUNICIPALITIES = "municipalities", _("Varje kommun efter folkmängd")
        SINGLE = "single", _("En motpart")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Månadsvis")
        QUARTERLY = "quarterly", _("Kvartalsvis")
        HALF_YEARLY = "half_yearly", _("Halvårsvis")

    class Timing(models.TextChoices):
        ADVANCE = "advance", _("I förskott")
        ARREARS = "arrears", _("I efterskott")

    budget = models.OneToOneField(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="invoicing")
    counterparty = models.CharField(
        _("motpart"), max_length=14, choices=Counterparty.choices, default=Counterparty.MUNICIPALITIES
    )
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("motpartens organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bara när en motpart faktureras, t.ex. VästKom."),
    )
    frequency = models.CharField(_("fakturering"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    timing = models.CharField(_("när"), max_length=8, choices=Timing.choices, default=Timing.ADVANCE)
    population_year = models.PositiveSmallIntegerField(
        _("folkmängd från år"),
        null=True,
        blank=True,
        help_text=_("Tomt: det senaste året före budgetåret då alla 49 kommuner har folkmängd."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faktureringsplan")
        verbose_name_plural = _("faktureringsplaner")
        constraints = [
            models.CheckConstraint(
                condition=Q(counterparty="municipalities", organisation__isnull=True)
                | Q(counterparty="single", organisation__isnull=False),
                name="invoicing_single_needs_organisation",
            ),
        ]

    def __str__(self):
        return f"Faktureringsplan {self.budget}"


class BudgetOutcome(models.Model):
    """Utfall: what a budget line cost in one quarter of the plan's year (item 7)."""

    line = models.ForeignKey(BudgetLine, verbose_name=_("budgetrad"), on_delete=models.CASCADE, related_name="outcomes")
    quarter = models.PositiveSmallIntegerField(_("kvartal"))
    amount = models.DecimalField(_("utfall"), max_digits=money.AMOUNT_MAX_DIGITS, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "quarter"]
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="outcome_one_per_line_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="outcome_quarter_1_4"),
        ]

    def __str__(self):
        return f"Utfall {self.line} kvartal {self.quarter}"


class QuarterlyReport(models.Model):
    """The quarterly report to the steering group (item 7; the agreement's list). Written as a draft, then issued:
    its PDF is kept in core.store as issued (content-addressed) and the report no longer changes."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="reports")
    quarter = models.PositiveSmallIntegerField(_("kvartal"))
    economy = models.TextField(_("ekonomi"), blank=True, max_length=20_000)
    services_status = models.TextField(_("status för varje tjänst"), blank=True, max_length=20_000)
    development = models.TextField(_("utveckling"), blank=True, max_length=20_000)
    deviations = models.TextField(_("avvikelser"), blank=True, max_length=20_000)
    other = models.TextField(_("övrigt"), blank=True, max_length=20_000)
    issued_at = models.DateTimeField(_("utfärdad"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to="kvartalsrapporter/", blank=True)  # stored as <sha256>.pdf
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "quarter"]
        verbose_name = _("kvartalsrapport")
        verbose_name_plural = _("kvartalsrapporter")
        constraints = [
            models.UniqueConstraint(fields=["budget", "quarter"], name="report_one_per_budget_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="report_quarter_1_4"),
        ]

    def __str__(self):
        return f"Kvartalsrapport {self.quarter} {self.budget}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


# Governing documents (issue 13) live beside the document core; imported here so Django finds them.
from .governing_models import (  # noqa: E402, F401
    GoverningDocument,
    Revision,
    RevisionPosition,
    ValidityExtension,
)
