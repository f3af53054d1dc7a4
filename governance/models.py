"""The governance structure: organisations, subregions, bodies, charters, people and memberships."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels

from .querysets import BodyQuerySet, MembershipQuerySet, PersonQuerySet, PublicQuerySet, VacancyQuerySet


class Subregion(models.Model):
    """A delregionalt vårdsamverkansområde; six of them cover the county."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=60)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)

    objects = PublicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("delregion")
        verbose_name_plural = _("delregioner")
        permissions = [("manage_seats", _("Kan tillsätta och ersätta delregionens platser"))]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("governance:subregion_detail", kwargs={"slug": self.slug})


class Organisation(ChoiceLabels, models.Model):
    """A party (the region, a municipality) or another organisation people come from."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        ASSOCIATION = "association", _("Kommunförbund/förening")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("kommunkod"), max_length=4, blank=True)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    kommunalforbund = models.CharField(_("kommunalförbund"), max_length=60, blank=True)

    objects = PublicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="organisation_unique_code"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:organisation_detail", kwargs={"slug": self.slug})


class PopulationFigure(models.Model):
    """Population on 31 December of a year (SCB); the basis of the municipalities' cost split."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="population_figures")
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"))
    source = models.CharField(_("källa"), max_length=120, default="SCB")

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängder")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="population_one_per_year")]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.population}"


class Body(ChoiceLabels, models.Model):
    """An organ or gruppering in the governance chain."""

    class Kind(models.TextChoices):
        COLLABORATION = "collaboration", _("Samverkansorgan")
        STEERING = "steering", _("Styrgrupp")
        PREPARATION = "preparation", _("Beredning")
        COORDINATION = "coordination", _("Samordningsfunktion")
        OPERATIVE = "operative", _("Operativt team")
        COUNCIL = "council", _("Ledningsråd")
        REFERENCE = "reference", _("Referensgrupp")
        WORKING = "working", _("Arbetsgrupp")
        SUBREGIONAL = "subregional", _("Delregional grupp")

    class Level(models.TextChoices):
        COUNTY = "county", _("Länsnivå")
        SUBREGIONAL = "subregional", _("Delregional nivå")

    name = models.CharField(_("namn"), max_length=150, unique=True)
    short_name = models.CharField(_("förkortning"), max_length=40, blank=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("Endast för delregionala organ."),
    )
    mandate_giver = models.ForeignKey(
        "self",
        verbose_name=_("uppdragsgivare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandated_bodies",
    )
    mandate_parties = models.ManyToManyField(
        Organisation,
        verbose_name=_("uppdragsgivande parter"),
        blank=True,
        related_name="mandated_bodies",
        help_text=_("För organ som får sitt uppdrag direkt av parterna, t.ex. SITIV."),
    )
    convener = models.ForeignKey(
        "self",
        verbose_name=_("sammankallande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="convened_bodies",
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=20_000)
    target_meetings_min = models.PositiveSmallIntegerField(_("minst antal möten per år"), null=True, blank=True)
    target_meetings_max = models.PositiveSmallIntegerField(_("högst antal möten per år"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=100)

    objects = BodyQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[mandate_parties])

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_meetings_min__isnull=True)
                | Q(target_meetings_max__isnull=True)
                | Q(target_meetings_min__lte=models.F("target_meetings_max")),
                name="body_meeting_target_min_lte_max",
            ),
            models.CheckConstraint(condition=~Q(mandate_giver=models.F("id")), name="body_not_own_mandate_giver"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:body_detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if (
            self.target_meetings_min
            and self.target_meetings_max
            and self.target_meetings_min > self.target_meetings_max
        ):
            errors["target_meetings_max"] = _("Högsta antalet möten kan inte vara lägre än lägsta antalet.")
        if self.level == self.Level.SUBREGIONAL and not self.subregion_id:
            errors["subregion"] = _("Välj vilken delregion ett delregionalt organ tillhör.")
        if self.level == self.Level.COUNTY and self.subregion_id:
            errors["subregion"] = _("Ett organ på länsnivå tillhör ingen delregion; töm fältet eller byt nivå.")
        giver, seen = self.mandate_giver, set()
        while giver is not None and giver.pk not in seen:
            if self.pk and giver.pk == self.pk:
                errors["mandate_giver"] = _("Uppdragsgivaren kan inte vara organet självt eller ett organ under det.")
                break
            seen.add(giver.pk)
            giver = giver.mandate_giver
        if errors:
            raise ValidationError(errors)

    @property
    def meeting_target_display(self):
        lo, hi = self.target_meetings_min, self.target_meetings_max
        if lo and hi and lo != hi:
            return f"{lo}–{hi}"
        return str(lo or hi or "")

    def current_charter(self):
        return self.charters.order_by("-version").first()

    # The status is the `status` annotation of Body.objects.with_status() (active when not annotated); pages ask these.
    @property
    def status_value(self) -> str:
        return getattr(self, "status", None) or BodyStatusChange.Status.ACTIVE

    @property
    def status_label(self) -> str:
        return str(BodyStatusChange.Status(self.status_value).label)

    @property
    def is_active(self) -> bool:
        return self.status_value == BodyStatusChange.Status.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.status_value == BodyStatusChange.Status.CLOSED


class BodyStatusChange(ChoiceLabels, models.Model):
    """A dated change of a body's status (active, paused, closed); the latest one in effect is the status."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktivt")
        PAUSED = "paused", _("Pausat")
        CLOSED = "closed", _("Avslutat")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    effective_from = models.DateField(_("gäller från"))
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-effective_from", "-id"]
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")
        constraints = [
            models.UniqueConstraint(fields=["body", "effective_from"], name="body_status_one_change_per_day"),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_status_display()} från {self.effective_from:%Y-%m-%d}"


class BodyRename(models.Model):
    """A body's earlier name, kept when it is renamed (e.g. GITS utökad ledningsgrupp → Gemensam beredning)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="renames")
    previous_name = models.CharField(_("tidigare namn"), max_length=150)
    renamed_on = models.DateField(_("namnbyte"))
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-renamed_on"]
        verbose_name = _("namnbyte")
        verbose_name_plural = _("namnbyten")

    def __str__(self):
        return f"{self.previous_name} → {self.body} ({self.renamed_on:%Y-%m-%d})"


class Charter(models.Model):
    """One version of a body's uppdragsbeskrivning; a change is a new version, earlier ones stay as written."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("gäller från"))
    purpose = models.TextField(_("syfte och uppdrag"), max_length=50_000)
    tasks = models.TextField(_("uppgifter och arbetssätt"), blank=True, max_length=50_000)
    composition = models.TextField(_("sammansättning"), blank=True, max_length=50_000)
    competence_criteria = models.TextField(_("kompetenskriterier"), blank=True, max_length=50_000)
    meeting_frequency = models.CharField(_("mötesfrekvens"), max_length=200, blank=True)
    economy = models.TextField(_("ekonomi"), blank=True, max_length=50_000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    objects = PublicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-version"]
        verbose_name = _("uppdragsbeskrivning")
        verbose_name_plural = _("uppdragsbeskrivningar")
        constraints = [models.UniqueConstraint(fields=["body", "version"], name="charter_unique_version")]

    def __str__(self):
        return f"Uppdragsbeskrivning {self.body}, version {self.version}"


class CompositionRule(ChoiceLabels, models.Model):
    """A rule on who sits in a body, kept as data so the portal can check it."""

    class Kind(models.TextChoices):
        PER_SUBREGION = "per_subregion", _("Antal representanter per delregion")
        PARTY_BALANCE = "party_balance", _("Jämn fördelning mellan kommun och region")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="composition_rules")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("delregion"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Tom: gäller varje delregion som inte har en egen regel."),
    )
    min_count = models.PositiveSmallIntegerField(_("minst"), default=0)
    max_count = models.PositiveSmallIntegerField(_("högst"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammansättningsregel")
        verbose_name_plural = _("sammansättningsregler")
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "subregion"], name="composition_rule_unique_subregion"),
            models.UniqueConstraint(
                fields=["body", "kind"], condition=Q(subregion__isnull=True), name="composition_rule_unique_default"
            ),
            models.CheckConstraint(
                condition=Q(max_count__isnull=True) | Q(min_count__lte=models.F("max_count")),
                name="composition_rule_min_lte_max",
            ),
        ]

    def __str__(self):
        scope = self.subregion or _("varje delregion")
        return f"{self.body}: {scope} {self.min_count}–{self.max_count or '∞'}"

    @property
    def is_per_subregion(self) -> bool:
        return self.kind == self.Kind.PER_SUBREGION


class Person(models.Model):
    """Somebody who sits in a body; may have a login."""

    first_name = models.CharField(_("förnamn"), max_length=80)
    last_name = models.CharField(_("efternamn"), max_length=80)
    title = models.CharField(_("titel"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("e-post"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("governance:person_detail", kwargs={"pk": self.pk})


class Membership(ChoiceLabels, models.Model):
    """A person's dated assignment in a body, in a role, representing a subregion and/or a party."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        SECRETARY = "secretary", _("Sekreterare")
        MEMBER = "member", _("Ledamot")
        SUBSTITUTE = "substitute", _("Ersättare")
        CO_OPTED = "co_opted", _("Adjungerad")
        PREPARER = "preparer", _("Beredningsansvarig")

    # Roles that fill a subregion's seat when the composition rules are counted.
    REPRESENTATIVE_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)
    # Roles only one person may hold at a time in a body.
    SINGLE_HOLDER_ROLES = (Role.CHAIR, Role.VICE_CHAIR)

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("företräder delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    party = models.ForeignKey(
        Organisation,
        verbose_name=_("företräder part"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented_in",
        limit_choices_to={"kind__in": ["region", "municipality"]},
    )
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till och med"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "subregion", "role", "start_date"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
            ),
            # One chair and one vice chair at a time: the service checks dated overlaps under a lock on the body;
            # the database backs it for the seats that run on (two open-ended holders can never coexist).
            models.UniqueConstraint(
                fields=["body", "role"],
                condition=Q(role__in=["chair", "vice_chair"], end_date__isnull=True),
                name="membership_one_open_chair_or_vice_chair",
                violation_error_message=_("Organet har redan en ordförande eller vice ordförande tills vidare."),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "start_date", "end_date"]),
            # A body page's past members, newest end first (fifty of a body's thousands of ended terms).
            models.Index(fields=["body", "-end_date", "-id"], name="membership_body_past"),
            # Coming changes (MembershipQuerySet.changing/changes): terms that start later, terms that end soon.
            models.Index(fields=["start_date"], name="membership_start"),
            # A term's successor (rules.successor_of: replaces = it, soonest first), which membership_start would
            # otherwise answer by walking every term in start order.
            models.Index(fields=["replaces", "start_date"], name="membership_successor"),
            models.Index(fields=["end_date"], name="membership_end"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} i {self.body}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def represents(self) -> str:
        return ", ".join(str(x) for x in (self.subregion, self.party) if x)


class Vacancy(ChoiceLabels, models.Model):
    """A seat that a subregion (or a party) must fill."""

    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="vacancies")
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("delregion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    since = models.DateField(_("vakant sedan"))
    filled_on = models.DateField(_("tillsatt"), null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    objects = VacancyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "subregion", "since"]
        verbose_name = _("vakant plats")
        verbose_name_plural = _("vakanta platser")
        constraints = [
            models.CheckConstraint(
                condition=Q(filled_on__isnull=True) | Q(filled_on__gte=models.F("since")),
                name="vacancy_filled_not_before_since",
            ),
        ]

    def __str__(self):
        return f"Vakant: {self.get_role_display()} i {self.body} ({self.subregion or '–'})"


# Cases, processes, backlogs and forums (issue 12) live beside the structure; imported here so Django finds them.
from .case_models import (  # noqa: E402, F401
    BacklogComment,
    BacklogItem,
    BacklogSupport,
    Case,
    CaseLink,
    CaseStep,
    Forum,
    ForumPost,
    ForumTopic,
    Process,
)
