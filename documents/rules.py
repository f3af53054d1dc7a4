"""Who may do what with management plans and their review rounds: documents' actions, registered with the one
dispatcher `governance.permissions.can`, from the role facts governance keeps."""

from governance.permissions import (
    is_admin,
    is_coordinator,
    is_preparer,
    represented_subregion_ids,
    rule,
)

EDIT_PLAN = "edit_plan"  # write a management plan, open review rounds, record dispositions, submit: obj = plan
VIEW_PLAN = "view_plan"  # read a plan: obj = plan (public once in force; drafts for coordinators and the audience)
RECORD_POSITION = "record_position"  # record VVG's position on a submitted plan: obj = plan
COMMENT = "comment"  # comment in a review round: obj = round
RESPOND = "respond"  # write and submit a subregion's joint response: obj = (round, subregion)


def works_with_plan(user, plan) -> bool:
    """Those who write, review or decide a plan: they see its drafts and versions, not only what is in force."""
    if not user or not user.is_authenticated:
        return False
    return (
        is_admin(user)
        or is_coordinator(user)
        or is_preparer(user)
        or bool(represented_subregion_ids(user) & {s.pk for r in plan.rounds.all() for s in r.subregions.all()})
    )


@rule(EDIT_PLAN)
def _edit_plan(user, plan) -> bool:
    return is_admin(user) or is_coordinator(user)


@rule(VIEW_PLAN)
def _view_plan(user, plan) -> bool:
    return plan.is_public or works_with_plan(user, plan)


@rule(RECORD_POSITION)
def _record_position(user, plan) -> bool:
    return is_admin(user) or is_preparer(user)


@rule(COMMENT)
def _comment(user, review) -> bool:
    if is_admin(user) or is_coordinator(user):
        return True
    return bool(represented_subregion_ids(user) & {s.pk for s in review.subregions.all()})


@rule(RESPOND)
def _respond(user, obj) -> bool:
    review, subregion = obj
    if is_admin(user):
        return True
    return subregion.pk in represented_subregion_ids(user) and any(
        s.pk == subregion.pk for s in review.subregions.all()
    )
