"""Scoped reads of management plans and their review rounds: `X.objects.visible_to(user)`, each one SQL filter built
from the same role facts as documents/rules.py (admin, coordinator, preparer, the subregions a user represents).

Detail views open with `get_object_or_404(X.objects.visible_to(request.user), ...)`: outside the scope is 404."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from governance.permissions import is_admin, is_coordinator, is_preparer, represented_subregion_ids

PUBLIC_STATUSES = ("in_force", "archived")  # ManagementPlan.PUBLIC_STATUSES (models imports this module)


def _works_with_all(user) -> bool:
    """Those who work with every plan (documents.rules.works_with_plan without the subregions' part)."""
    return is_admin(user) or is_coordinator(user) or is_preparer(user)


def _round_audience_all(user) -> bool:
    """Those who see every review round (documents.rules: EDIT_PLAN or COMMENT without the subregions' part)."""
    return is_admin(user) or is_coordinator(user)


def _asked_plan_ids(user):
    """The plans with a round that asked one of the user's subregions, as a subquery."""
    from .models import ReviewRound

    return ReviewRound.objects.filter(subregions__in=represented_subregion_ids(user)).values("document__plan")


class PlanQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def worked_on_by(self, user):
        """The plans `rules.works_with_plan(user, plan)` is true for: their drafts and versions are the user's."""
        if not user or not user.is_authenticated:
            return self.none()
        if _works_with_all(user):
            return self.all()
        return self.filter(pk__in=_asked_plan_ids(user))

    def history_visible_to(self, user):
        """The plans whose Historik the user reads: those who write or decide plans (rules.EDIT_PLAN or
        rules.RECORD_POSITION), never the subregions that have a draft on review."""
        if user and user.is_authenticated and _works_with_all(user):
            return self.all()
        return self.none()

    def visible_to(self, user):
        """rules.VIEW_PLAN: public once in force or archived; otherwise those who work with the plan."""
        if user and user.is_authenticated and _works_with_all(user):
            return self.all()
        scope = Q(status__in=PUBLIC_STATUSES)
        if user and user.is_authenticated:
            scope |= Q(pk__in=_asked_plan_ids(user))
        return self.filter(scope)


class DocumentVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Versions are frozen (DocumentVersion.save refuses too): a bulk update would change what was sent or decided."""
        from .models import ImmutableVersion

        raise ImmutableVersion("Sparade versioner kan inte ändras.")

    def visible_to(self, user):
        """Every version for those who work with the plan; of a public plan, the public sees only the decided text
        (its latest version), never the drafts before it."""
        from .models import ManagementPlan

        latest = ~Exists(self.model.objects.filter(document=OuterRef("document"), number__gt=OuterRef("number")))
        public = Q(document__plan__status__in=PUBLIC_STATUSES) & Q(latest)
        if user and user.is_authenticated:
            if _works_with_all(user):
                return self.all()
            return self.filter(public | Q(document__plan__in=ManagementPlan.objects.worked_on_by(user).values("pk")))
        return self.filter(public)


class ReviewRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A round's audience (rules.EDIT_PLAN or rules.COMMENT): the coordinators and administrators, and the
        representatives of the subregions it asked. Nobody else, signed in or not."""
        if not user or not user.is_authenticated:
            return self.none()
        if _round_audience_all(user):
            return self.all()
        through = self.model.subregions.through
        asked = through.objects.filter(reviewround_id=OuterRef("pk"), subregion_id__in=represented_subregion_ids(user))
        return self.filter(Exists(asked))

    def compilation_visible_to(self, user):
        """The rounds whose compilation (every comment and every submitted response) the user reads: the coordinators'
        and administrators' working document (rules.EDIT_PLAN); to the rest of a round's audience it does not exist."""
        if user and user.is_authenticated and _round_audience_all(user):
            return self.all()
        return self.none()


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A comment is read by its round's audience."""
        from .models import ReviewRound

        return self.filter(round__in=ReviewRound.objects.visible_to(user).values("pk"))


class JointResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A subregion's response: its representatives (rules.RESPOND) and the administrators always; the
        coordinators once it is submitted. A draft exists for nobody outside the subregion."""
        if not user or not user.is_authenticated:
            return self.none()
        if is_admin(user):
            return self.all()
        through = self.model._meta.get_field("round").related_model.subregions.through
        asked = through.objects.filter(reviewround_id=OuterRef("round_id"), subregion_id=OuterRef("subregion_id"))
        scope = Q(subregion_id__in=represented_subregion_ids(user)) & Q(Exists(asked))
        if is_coordinator(user):
            scope |= Q(submitted_at__isnull=False)
        return self.filter(scope)


def pick(offered: dict, key):
    """One of the things a page offers to act on (its sections, its threads), by key: anything else was not found."""
    try:
        return offered[key]
    except KeyError:
        raise Http404 from None
