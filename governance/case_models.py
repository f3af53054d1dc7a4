"""Cases (ärenden) that travel between bodies, the processes they concern, a body's backlog and the process forums.

A case lives in governance, below documents and meetings, so both point at it (an agenda item, a decision, a plan):
governance never reads their models. Its path is a list of steps, each recorded once and never changed
(CaseStep.save refuses an update): a step recorded by minutes (on an agenda, decided, referred back, escalated) is
written by meetings when the minutes are justerade, naming the meeting and §, so what the path says was decided was
decided in justerade minutes.

- Process: the county-wide processes (In- och utskrivning, SIP, Öppenvård) that cases, backlog items, forums and
  governing documents serve.
- Case: who raised it (body), who owns it now (the body that decides, or the body it was escalated to), who prepares
  it (a body and optionally a person), its status (the last step's), a follow-up date set by a decision.
- BacklogItem, BacklogSupport, BacklogComment: a body's shared backlog ("en backlogg som alla kan uppdatera i").
- Forum, ForumTopic, ForumPost: an open digital forum per process, threaded, summarised and moderated by its convener.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels

from .case_querysets import BacklogQuerySet, CaseQuerySet, CaseStepQuerySet, ForumQuerySet, ForumTopicQuerySet
from .models import Body, Person, Subregion
from .querysets import PublicQuerySet


class Process(models.Model):
    """A county-wide process the portal's work serves (In- och utskrivning, SIP, Öppenvård …)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=100)

    objects = PublicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("process")
        verbose_name_plural = _("processer")

    def __str__(self):
        return self.name


class Case(ChoiceLabels, models.Model):
    """An ärende: a question raised by one body, prepared by another, decided by a third, reported back."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Väckt")
        PREPARING = "preparing", _("Under beredning")
        ON_AGENDA = "on_agenda", _("På dagordningen")
        DECIDED = "decided", _("Beslutat")
        REFERRED_BACK = "referred_back", _("Återremitterat")
        ESCALATED = "escalated", _("Lyft till annat organ")
        REPORTED_BACK = "reported_back", _("Återrapporterat")
        CLOSED = "closed", _("Avslutat")

    OPEN_STATUSES = (
        Status.RAISED,
        Status.PREPARING,
        Status.ON_AGENDA,
        Status.DECIDED,
        Status.REFERRED_BACK,
        Status.ESCALATED,
        Status.REPORTED_BACK,
    )
    # A case in these may be put on an owner body's agenda (decided cases are reported back, not decided again).
    AGENDA_STATUSES = (Status.RAISED, Status.PREPARING, Status.REFERRED_BACK, Status.ESCALATED)

    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)
    process = models.ForeignKey(
        Process, verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    raised_by = models.ForeignKey(
        Body, verbose_name=_("väckt av"), on_delete=models.PROTECT, related_name="raised_cases"
    )
    owner = models.ForeignKey(Body, verbose_name=_("ägs av"), on_delete=models.PROTECT, related_name="owned_cases")
    preparing_body = models.ForeignKey(
        Body,
        verbose_name=_("bereds av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prepared_cases",
    )
    preparer = models.ForeignKey(
        Person,
        verbose_name=_("beredningsansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prepared_cases",
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.RAISED)
    follow_up_on = models.DateField(_("följs upp"), null=True, blank=True)
    follow_up_note = models.CharField(_("uppföljning"), max_length=300, blank=True)
    followed_up_at = models.DateTimeField(_("uppföljt"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("väckt"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        indexes = [
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["raised_by", "status"], name="case_raised_status"),
            models.Index(fields=["follow_up_on"], name="case_follow_up"),
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),  # the list's order, paged
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:case_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"Ärende {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def follow_up_due(self) -> bool:
        from django.utils import timezone

        return bool(self.follow_up_on and not self.followed_up_at and self.follow_up_on <= timezone.localdate())


class ImmutableStep(Exception):
    """A case's path is written once: a step is never changed or removed."""


class CaseStep(ChoiceLabels, models.Model):
    """One step on a case's path, with who, when and where (the meeting and § when minutes recorded it)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Väckt")
        PREPARING = "preparing", _("Skickat för beredning")
        ON_AGENDA = "on_agenda", _("Satt på dagordningen")
        OFF_AGENDA = "off_agenda", _("Struket från dagordningen")
        DECIDED = "decided", _("Beslutat")
        REFERRED_BACK = "referred_back", _("Återremitterat")
        ESCALATED = "escalated", _("Lyft till annat organ")
        REPORTED_BACK = "reported_back", _("Återrapporterat")
        FOLLOWED_UP = "followed_up", _("Uppföljt")
        CLOSED = "closed", _("Avslutat")
        REOPENED = "reopened", _("Öppnat igen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("steg"), max_length=14, choices=Kind.choices)
    from_body = models.ForeignKey(
        Body, verbose_name=_("från"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_body = models.ForeignKey(
        Body, verbose_name=_("till"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True, max_length=20_000)
    # Where minutes recorded it: "Referensgrupp SHVO 2026-12-10, § 14" and the page of that item.
    reference = models.CharField(_("var"), max_length=200, blank=True)
    link = models.CharField(_("länk"), max_length=300, blank=True)
    # What recorded it (an app's row, e.g. "meetings.decision:17"): one step per source and kind, never twice.
    source = models.CharField(max_length=80, blank=True)
    happened_on = models.DateField(_("datum"))
    follow_up_on = models.DateField(_("följs upp"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    objects = CaseStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["happened_on", "recorded_at", "id"]
        verbose_name = _("steg i ärende")
        verbose_name_plural = _("steg i ärenden")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "source"], condition=~Q(source=""), name="case_step_once_per_source"
            )
        ]

    def __str__(self):
        return f"{self.case}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableStep("Ett steg i ett ärende ändras aldrig; registrera ett nytt steg i stället.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableStep("Ett steg i ett ärende tas aldrig bort.")


class CaseLink(models.Model):
    """A document a case concerns: a file name or an address (a plan or governing document points at its case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("benämning"), max_length=200)
    address = models.CharField(_("adress eller filnamn"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("dokument i ärende")
        verbose_name_plural = _("dokument i ärenden")

    def __str__(self):
        return self.title

    @property
    def is_address(self) -> bool:
        return self.address.startswith(("https://", "http://", "/"))


class BacklogItem(ChoiceLabels, models.Model):
    """A wish or question on a body's shared backlog."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        CASE = "case", _("Blev ärende")
        TASK = "task", _("Uppdrag till arbetsgrupp")
        CLOSED = "closed", _("Avslutad")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Hög")
        MEDIUM = 2, _("Medel")
        LOW = 3, _("Låg")

    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="backlog")
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)
    process = models.ForeignKey(
        Process, verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT, related_name="backlog"
    )
    proposed_by = models.ForeignKey(
        Subregion,
        verbose_name=_("föreslagen av delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backlog_items",
    )
    author = models.ForeignKey(Person, verbose_name=_("skriven av"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    priority = models.PositiveSmallIntegerField(_("prioritet"), choices=Priority.choices, null=True, blank=True)
    close_reason = models.CharField(_("skäl"), max_length=500, blank=True)
    case = models.OneToOneField(
        Case, verbose_name=_("ärende"), null=True, blank=True, on_delete=models.PROTECT, related_name="backlog_item"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = BacklogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("önskemål i backloggen")
        verbose_name_plural = _("backlogg")
        indexes = [models.Index(fields=["body", "status"], name="backlog_body_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:backlog_item", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class BacklogSupport(models.Model):
    """A subregion saying "vi har samma behov" about a backlog item: one per subregion."""

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="supports")
    subregion = models.ForeignKey(Subregion, verbose_name=_("delregion"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("instämmande")
        verbose_name_plural = _("instämmanden")
        constraints = [models.UniqueConstraint(fields=["item", "subregion"], name="backlog_support_once_per_subregion")]

    def __str__(self):
        return f"{self.subregion} instämmer i {self.item}"


class BacklogComment(models.Model):
    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"), max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar i backloggen")
        verbose_name_plural = _("kommentarer i backloggen")

    def __str__(self):
        return f"Kommentar till {self.item}"


class Forum(models.Model):
    """An open digital forum for one process, for every signed-in member of the bodies that take part."""

    process = models.OneToOneField(Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="forum")
    bodies = models.ManyToManyField(Body, verbose_name=_("organ som deltar"), related_name="forums")
    convener = models.ForeignKey(
        Person, verbose_name=_("sammankallande"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)

    objects = ForumQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[bodies])

    class Meta:
        ordering = ["process__sort_order", "process__name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forum")

    def __str__(self):
        return f"Forum {self.process}"

    def get_absolute_url(self):
        return reverse("governance:forum_detail", kwargs={"slug": self.process.slug})


class ForumTopic(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("rubrik"), max_length=200)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("sammanfattning"), blank=True, max_length=20_000)
    summary_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary_at = models.DateTimeField(null=True, blank=True)
    backlog_item = models.OneToOneField(
        BacklogItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="forum_topic"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the topic's latest post was written (governance.backlog writes it with each post): the forum lists its
    # topics by it, newest activity first, without reading every post.
    last_post_at = models.DateTimeField(_("senaste inlägg"), null=True, blank=True)

    objects = ForumTopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tråd")
        verbose_name_plural = _("trådar")
        indexes = [models.Index(fields=["forum", "-last_post_at", "-id"], name="forum_topic_activity")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:forum_topic", kwargs={"pk": self.pk})


class ForumPost(models.Model):
    topic = models.ForeignKey(ForumTopic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("inlägg"), max_length=20_000)
    hidden_reason = models.CharField(_("skäl att dölja"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")
        # A topic's latest post, read for each topic of a forum's list (governance.forum_views.forum_detail).
        indexes = [models.Index(fields=["topic", "created_at"], name="forum_post_topic_time")]

    def __str__(self):
        return f"Inlägg i {self.topic}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
