"""Meetings of a body: agenda, attendance, minutes with decisions (ställningstaganden) and actions, justering, the published PDF."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.collation import swedish_key
from governance.models import Body, Organisation, Person, Subregion

from .querysets import PUBLISHED, MeetingQuerySet, MinutesQuerySet


class Meeting(ChoiceLabels, models.Model):
    class Mode(models.TextChoices):
        PHYSICAL = "physical", _("Fysiskt")
        DIGITAL = "digital", _("Digitalt")
        HYBRID = "hybrid", _("Hybrid")

    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("rubrik"), max_length=200, blank=True, help_text=_("T.ex. Uppstartsmöte. Frivilligt."))
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"))
    end_time = models.TimeField(_("sluttid"))
    mode = models.CharField(_("mötesform"), max_length=10, choices=Mode.choices, default=Mode.PHYSICAL)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    video_link = models.URLField(_("länk till videomöte"), blank=True)
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("sekreterare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_as_secretary",
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("ordförande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_as_chair",
    )
    adjusters = models.ManyToManyField(
        Person, verbose_name=_("justerare"), blank=True, related_name="meetings_as_adjuster"
    )
    co_secretaries = models.ManyToManyField(
        Person,
        verbose_name=_("fler sekreterare"),
        blank=True,
        related_name="meetings_as_co_secretary",
        help_text=_("De som för protokollet tillsammans med sekreteraren; de har samma rätt till mötet."),
    )
    agenda_published_at = models.DateTimeField(_("dagordning publicerad"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[adjusters, co_secretaries])

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message=_("Mötet måste sluta efter att det börjar."),
            ),
        ]

    def __str__(self):
        return f"{self.body.short_name or self.body.name} {self.date:%Y-%m-%d}" + (
            f" – {self.title}" if self.title else ""
        )

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_held(self) -> bool:
        """The meeting day has come (or passed): its minutes can have been justerade."""
        return self.date <= timezone.localdate()

    def named(self, relation: str):
        """The meeting's "adjusters" or "co_secretaries", read from the database once per meeting object: by the
        view's prefetch, or the first time they are asked for (the rights of a page ask several times; a page that
        never asks reads nothing)."""
        models.prefetch_related_objects([self], relation)
        return getattr(self, relation).all()

    def secretary_ids(self) -> set[int]:
        """The meeting's secretaries: its secretary (who signs "Vid anteckningen" first) and the co-secretaries."""
        return ({self.secretary_id} if self.secretary_id else set()) | {p.pk for p in self.named("co_secretaries")}

    def secretaries(self) -> list[Person]:
        """The secretaries to name on the page and sign the minutes, the secretary first."""
        others = sorted(
            (p for p in self.named("co_secretaries") if p.pk != self.secretary_id),
            key=lambda p: swedish_key(f"{p.last_name} {p.first_name}"),
        )
        return ([self.secretary] if self.secretary else []) + others

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Sluttiden måste vara efter starttiden.")
        # A digital meeting may be held without a link in the portal (sent by e-mail, or an earlier year's minutes).
        if self.mode in (self.Mode.PHYSICAL, self.Mode.HYBRID) and not self.place:
            errors["place"] = _("Ange var mötet hålls.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(ChoiceLabels, models.Model):
    """A numbered item of the agenda; its minutes (discussion) are written on it during and after the meeting."""

    class Purpose(models.TextChoices):
        INFORMATION = "information", _("Information")
        DISCUSSION = "discussion", _("Diskussion")
        DECISION = "decision", _("Beslut")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("ordning"))
    start_time = models.TimeField(_("tid"), null=True, blank=True)
    title = models.CharField(_("rubrik"), max_length=300)
    purpose = models.CharField(_("syfte"), max_length=12, choices=Purpose.choices, default=Purpose.INFORMATION)
    presenters = models.CharField(_("föredragande"), max_length=300, blank=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)
    documents = models.TextField(
        _("handlingar"), blank=True, max_length=20_000, help_text=_("En handling per rad: namn eller länk.")
    )
    discussion = models.TextField(_("anteckningar"), blank=True, max_length=100_000)
    is_standing = models.BooleanField(_("stående punkt"), default=False)
    case = models.ForeignKey(
        "governance.Case",
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")

    def __str__(self):
        return f"{self.position}. {self.title}"

    def document_lines(self):
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def anchor(self) -> str:
        return f"punkt-{self.pk}"

    @property
    def case_url(self) -> str:
        """The case's page, or "" while no case page is routed (the link is then left out)."""
        return case_url(self.case) if self.case_id else ""


def case_url(case) -> str:
    """A case's page, or "" while governance routes none (a page then shows the title without a link)."""
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return ""


GUEST_NAME_OR_PERSON = _("Välj en person i portalen, eller skriv namnet på en inbjuden som inte finns här.")
GUEST_NOT_BOTH = _("Välj en person eller skriv ett namn, inte båda.")


class Attendance(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Närvarande")
        ABSENT = "absent", _("Förhinder")
        GUEST = "guest", _("Inbjuden")
        CO_OPTED = "co_opted", _("Adjungerad")
        SUBSTITUTE = "substitute", _("Ersättare")
        VACANT = "vacant", _("Vakant")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("närvaro"), max_length=12, choices=Status.choices, default=Status.PRESENT)
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substituted_by",
    )
    subregion = models.ForeignKey(
        Subregion, verbose_name=_("delregion"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )
    group_label = models.CharField(
        _("grupp"),
        max_length=120,
        blank=True,
        help_text=_("T.ex. GITS eller Beredningsansvariga VVG, när personen inte företräder en delregion."),
    )
    role_label = models.CharField(_("roll"), max_length=120, blank=True)
    title = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_("Titeln vid mötet, som den skrivs i protokollet. Hämtas från personen men kan ändras."),
    )
    guest_name = models.CharField(
        _("namn"), max_length=160, blank=True, help_text=_("För en inbjuden som inte finns i portalen.")
    )
    guest_organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "subregion__short_name", "group_label", "person__last_name", "guest_name"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(status="vacant") | Q(person__isnull=False) | ~Q(guest_name=""),
                name="attendance_person_or_guest_unless_vacant",
                violation_error_message=GUEST_NAME_OR_PERSON,
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(guest_name=""),
                name="attendance_person_or_guest_not_both",
                violation_error_message=GUEST_NOT_BOTH,
            ),
        ]

    def __str__(self):
        return f"{self.display_name}: {self.get_status_display()}"

    @property
    def display_name(self) -> str:
        """The person's name, the typed name of a guest who is not in the portal, or "Vakant"."""
        if self.person_id:
            return str(self.person)
        return self.guest_name or str(_("Vakant"))

    @property
    def organisation_shown(self) -> str:
        """The organisation as typed for a guest, else the one recorded from the person."""
        return self.guest_organisation or (str(self.organisation) if self.organisation_id else "")

    @property
    def is_vacant(self) -> bool:
        return self.status == self.Status.VACANT

    @property
    def is_substitute(self) -> bool:
        return self.status == self.Status.SUBSTITUTE

    @property
    def group(self) -> str:
        return str(self.subregion.name if self.subregion else (self.group_label or _("Övriga")))


class Minutes(ChoiceLabels, models.Model):
    """The minutes of one meeting and their lifecycle: draft → sent for justering → justerade → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_JUSTERING = "in_justering", _("Skickat för justering")
        JUSTERAT = "justerat", _("Justerat")
        PUBLISHED = PUBLISHED, _("Publicerat")

    LOCKED = (Status.JUSTERAT, Status.PUBLISHED)

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(_("skickat för justering"), null=True, blank=True)
    justerat_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    justerat_on_paper = models.DateField(
        _("justerat på papper"),
        null=True,
        blank=True,
        help_text=_("Dagen protokollet justerades på papper, registrerad av sekreteraren (t.ex. tidigare års)."),
    )
    published_at = models.DateTimeField(_("publicerat"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to="protokoll/", blank=True)  # stored as <sha256>.pdf
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)

    objects = MinutesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self):
        return f"Protokoll {self.meeting}"

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_justering(self) -> bool:
        return self.status == self.Status.IN_JUSTERING

    @property
    def is_justerat(self) -> bool:
        return self.status == self.Status.JUSTERAT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def justerat_on(self):
        """The day the minutes were justerade: on paper, or the day the last signatory approved in the portal."""
        if self.justerat_on_paper:
            return self.justerat_on_paper
        return timezone.localtime(self.justerat_at).date() if self.justerat_at else None

    @property
    def pdf_url(self) -> str:
        """The published file at its content address (meetings.publishing.published_pdf), named after the body and
        the date: read with meeting__body loaded."""
        name = f"{self.meeting.body.slug}-{self.meeting.date.isoformat()}"
        return reverse("meetings:published_pdf", kwargs={"sha256": self.pdf_sha256, "name": name})


class DecisionQuerySet(models.QuerySet):
    def taken(self):
        """Decisions proper (not noted items, referrals or escalations) in minutes that are justerade or published:
        what another app may cite as decided (documents' budgets do)."""
        return self.filter(kind=Decision.Kind.DECISION, item__meeting__minutes__status__in=Minutes.LOCKED)

    def visible_to(self, user):
        """The register of decisions: anyone sees decisions in published minutes; members of the body, the
        coordinators and the administrator also those in justerade minutes; nobody a draft or minutes in justering."""
        from governance import permissions

        published = Q(item__meeting__minutes__status=Minutes.Status.PUBLISHED)
        if not user.is_authenticated:
            return self.filter(published)
        if permissions.is_admin(user) or permissions.is_coordinator(user):
            return self.filter(item__meeting__minutes__status__in=Minutes.LOCKED)
        justerat = Q(
            item__meeting__minutes__status=Minutes.Status.JUSTERAT, body_id__in=permissions.member_body_ids(user)
        )
        return self.filter(published | justerat)


class Decision(ChoiceLabels, models.Model):
    """A ställningstagande on an item, numbered per body and year (§)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Beslut")
        NOTED = "noted", _("Informationen noteras")
        REFERRAL = "referral", _("Återremiss")
        ESCALATION = "escalation", _("Lyfts till annat organ")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("paragraf"))
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.DECISION)
    text = models.TextField(_("ställningstagande"), max_length=20_000)
    escalated_to = models.ForeignKey(
        Body, verbose_name=_("lyfts till"), null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    follow_up_on = models.DateField(_("följs upp"), null=True, blank=True)
    follow_up_note = models.CharField(_("vad som följs upp"), max_length=300, blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("ställningstagande")
        verbose_name_plural = _("ställningstaganden")
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"], name="decision_number_per_body_year")]

    def __str__(self):
        return f"§ {self.number}/{self.year}"


class Action(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("åtgärd"), max_length=20_000)
    owner = models.CharField(_("ansvarig"), max_length=200)
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("gäller delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Fyll i om en delregion ska göra något."),
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self):
        return self.text[:80]

    @property
    def owner_display(self) -> str:
        """Who is responsible, with the subregion it concerns when the owner does not already name it: "Anna Berg
        (Fyrbodal)", but "SIMBA" (not "SIMBA (SIMBA)") and "Representanterna för Fyrbodal"."""
        subregion = self.subregion
        if subregion is None:
            return self.owner
        owner = self.owner.casefold()
        if subregion.short_name.casefold() in owner or subregion.name.casefold() in owner:
            return self.owner
        return f"{self.owner} ({subregion})"


class JusteringResponse(models.Model):
    """A justerare's (or the chair's) approval, or a comment on an item, during justering."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    approved = models.BooleanField(default=False)
    on_paper = models.BooleanField(
        _("på papper"), default=False, help_text=_("Justerat på papper och registrerat av sekreteraren.")
    )
    comment = models.TextField(_("kommentar"), blank=True, max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("justeringssvar")
        verbose_name_plural = _("justeringssvar")

    def __str__(self):
        return f"{self.person}: {'godkänt' if self.approved else 'kommentar'}"


class Correction(models.Model):
    """A correction after justering: a new, linked text approved by the chair; the original stays as issued."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="corrections")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField(_("rättelse"), max_length=20_000)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self):
        return f"Rättelse av {self.minutes}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedKey(models.Model):
    """The secret in a user's calendar feed address (meetings.calendar). A new key turns the old address off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_key",
    )
    key = models.CharField(_("nyckel"), max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("nyckel till kalenderadress")
        verbose_name_plural = _("nycklar till kalenderadresser")

    def __str__(self):
        return f"Kalenderadress för {self.user}"
