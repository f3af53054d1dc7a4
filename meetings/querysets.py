"""Who may read which meetings, minutes and published files: `visible_to(user)` on the managers, one SQL filter built
from the same role facts as meetings.rules (governance.permissions: member_body_ids, secretary_body_ids, person_of,
is_coordinator, is_admin).

- The public sees a meeting once its minutes are published (and the published file).
- Members of the body, GITS coordinators and the administrator see all of a body's meetings; its secretary too.
- The meeting's chair and justerare see the meeting they sign; its named secretaries the meeting they keep.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from governance import permissions

PUBLISHED = "published"  # Minutes.Status.PUBLISHED (the model imports this module)
IN_JUSTERING = "in_justering"  # Minutes.Status.IN_JUSTERING


def _sees_everything(user) -> bool:
    return permissions.is_admin(user) or permissions.is_coordinator(user)


def _internal_q(user, prefix: str = "") -> Q | None:
    """Meetings whose internal side the user follows (members, secretaries, signatories): None means all."""
    if _sees_everything(user):
        return None
    from .models import Meeting

    q = Q(**{f"{prefix}body_id__in": permissions.member_body_ids(user) | permissions.secretary_body_ids(user)})
    person = permissions.person_of(user)
    if person is not None:
        signed = Meeting.adjusters.through.objects.filter(person_id=person.pk).values("meeting_id")
        q |= Q(**{f"{prefix}chair_id": person.pk}) | Q(**{f"{prefix}pk__in": signed})
        q |= _kept_by(person, prefix)
    return q


def _kept_by(person, prefix: str = "") -> Q:
    """Meetings the person is a named secretary of (meetings.rules.is_meeting_secretary)."""
    from .models import Meeting

    kept = Meeting.co_secretaries.through.objects.filter(person_id=person.pk).values("meeting_id")
    return Q(**{f"{prefix}secretary_id": person.pk}) | Q(**{f"{prefix}pk__in": kept})


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, on=None):
        return self.filter(date__gte=on or timezone.localdate()).order_by("date", "start_time")

    def past(self, on=None):
        return self.filter(date__lt=on or timezone.localdate()).order_by("-date", "-start_time")

    def in_year(self, year: int):
        return self.filter(date__year=year)

    def published(self):
        return self.filter(minutes__status=PUBLISHED)

    def schedule(self, on=None):
        """The coming meetings everybody may know of, signed in or not (a body's meeting plan is public): their body,
        date, hours and title. Not their place, video link, agenda or attendance: opening a meeting follows
        visible_to, so the public opens one once its minutes are published."""
        return self.upcoming(on).select_related("body")

    def visible_to(self, user):
        """The meetings the user may open: published ones for everybody, the rest for those who follow them."""
        internal = _internal_q(user)
        if internal is None:
            return self.all()
        return self.filter(internal | Q(minutes__status=PUBLISHED))

    def followed_by(self, user):
        """The meetings whose internal side (draft minutes, justering comments, history) the user follows."""
        internal = _internal_q(user)
        return self.all() if internal is None else self.filter(internal)

    def history_visible_to(self, user):
        """Whose the meeting's Historik is (governance.rules VIEW_HISTORY asks this): those who follow the meeting,
        not the public that reads its published minutes (the history holds justering responses)."""
        return self.followed_by(user)

    def minutes_preview_visible_to(self, user):
        """Meetings whose minutes are in justering, for their chair and justerare and the body's secretaries (and the
        administrator): the preview PDF (meetings.rules PREVIEW_MINUTES)."""
        in_justering = self.filter(minutes__status=IN_JUSTERING)
        if permissions.is_admin(user):
            return in_justering
        q = Q(body_id__in=permissions.secretary_body_ids(user))
        person = permissions.person_of(user)
        if person is not None:
            from .models import Meeting

            signed = Meeting.adjusters.through.objects.filter(person_id=person.pk).values("meeting_id")
            q |= Q(chair_id=person.pk) | Q(pk__in=signed)
        return in_justering.filter(q)

    def kept_by(self, user):
        """The meetings whose minutes the user keeps: her bodies' as their secretary (a seat), and those she is named
        secretary or co-secretary of (meetings.rules.is_meeting_secretary)."""
        q = Q(body_id__in=permissions.secretary_body_ids(user))
        person = permissions.person_of(user)
        if person is not None:
            q |= _kept_by(person)
        return self.filter(q)

    def agenda_visible_to(self, user):
        """Meetings whose agenda (as PDF) the user may read: the secretary always, members once it is published."""
        if permissions.is_admin(user):
            return self.all()
        q = Q(body_id__in=permissions.secretary_body_ids(user))
        person = permissions.person_of(user)
        if person is not None:
            q |= _kept_by(person)
        if permissions.is_coordinator(user):
            return self.filter(q | Q(agenda_published_at__isnull=False))
        return self.filter(q | Q(agenda_published_at__isnull=False, body_id__in=permissions.member_body_ids(user)))


class MinutesQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def visible_to(self, user):
        """Minutes in the same scope as their meetings: published ones for everybody."""
        internal = _internal_q(user, prefix="meeting__")
        if internal is None:
            return self.all()
        return self.filter(internal | Q(status=PUBLISHED))

    def published_files(self):
        """Minutes with their published PDF: public once published."""
        return self.filter(status=PUBLISHED).exclude(pdf="")


def bodies_followed_by(user):
    """The bodies whose meetings the user follows (VIEW_MEETINGS or MANAGE_MEETINGS in meetings.rules)."""
    from governance.models import Body

    if _sees_everything(user):
        return Body.objects.all()
    return Body.objects.filter(pk__in=permissions.member_body_ids(user) | permissions.secretary_body_ids(user))
