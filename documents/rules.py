"""Who may do what with management plans and their review rounds: documents' actions, registered with the one
dispatcher `governance.permissions.can`, from the role facts governance keeps.

Beside the rights, the state-aware checks: `<thing>_check(actor, obj) -> list[str]`, the Swedish refusals (empty =
allowed), right first, then the state. The services call them first and raise ValidationError with what they
return; views and templates use them for buttons and help text, so each rule and its message exist once, here."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import is_blank
from governance.permissions import (
    NO_PERSON,
    NOT_ALLOWED,
    can,
    is_admin,
    is_coordinator,
    is_preparer,
    person_of,
    preparer_body_ids,
    represented_subregion_ids,
    rule,
)

EDIT_PLAN = "edit_plan"  # write a management plan, open review rounds, record dispositions, submit: obj = plan
VIEW_PLAN = "view_plan"  # read a plan: obj = plan (public once in force; drafts for coordinators and the audience)
RECORD_POSITION = "record_position"  # record VVG's position on a submitted plan: obj = plan
COMMENT = "comment"  # comment in a review round: obj = round
RESPOND = "respond"  # write and submit a subregion's joint response: obj = (round, subregion)
CHANGE_COMMENT = "change_comment"  # edit or withdraw one's own comment in a review round: obj = comment
# record the budget body's (SITIV's) decision on a plan's budget, or a later change that cites one: obj = plan
DECIDE_BUDGET = "decide_budget"

# The refusals, one constant each (formatted with %-placeholders where they name something).
PLAN_LOCKED = _("Planen är %(s)s och kan inte ändras.")
PLAN_ALREADY_SUBMITTED = _("Planen är redan inlämnad.")
COMMENTS_WITHOUT_DISPOSITION = _(
    "%(n)d kommentarer saknar ställningstagande. Ta ställning till alla innan planen lämnas in."
)
POSITION_NEEDS_SUBMITTED = _(
    "Planen är %(s)s. VVG:s ställningstagande registreras först när planen är inlämnad till Gemensam beredning."
)
REFER_BACK_NEEDS_SUBMITTED = _(
    "Planen är %(s)s. Den kan återremitteras först när den är inlämnad till Gemensam beredning."
)
AUTHOR_MAY_NOT_DECIDE = _(
    "Du har skrivit i planen och kan därför inte registrera beslutet om den. Be en annan beredningsansvarig."
)
FOLLOW_UP_NEEDS_IN_FORCE = _("Uppföljning görs när planen gäller.")
ARCHIVE_NEEDS_IN_FORCE = _("Bara en plan som gäller kan arkiveras.")
ARCHIVE_AFTER_YEAR = _("Planen gäller fortfarande för %(y)d och kan arkiveras först efter året.")
NEXT_YEAR_NEEDS_IN_FORCE = _("Nästa års plan startas från en plan som gäller. Den här planen är %(s)s.")
ROUND_NEEDS_DRAFT = _("Remiss kan bara skickas för en plan som är utkast eller på remiss.")
ROUND_ALREADY_OPEN = _("Det finns redan en öppen remissrunda för planen. Stäng den först.")
ROUND_CLOSED_FOR_COMMENTS = _("Remissrundan är stängd; nya kommentarer tas inte emot.")
ROUND_CLOSED = _("Remissrundan är stängd.")
ROUND_ALREADY_CLOSED = _("Remissrundan är redan stängd.")
RESPONSE_SUBMITTED = _("Svaret är redan inskickat och kan inte ändras.")
RESPONSE_EMPTY = _("Skriv delregionens svar innan du skickar in det.")
# Empty drafts never replace someone's text (a blank "Spara utkast" once overwrote a colleague's draft).
BLANK_RESPONSE_DRAFT = _(
    "Rutan är tom, så utkastet sparades inte och delregionens sparade svar finns kvar. Skriv svaret i rutan och "
    "spara igen, eller öppna sidan på nytt för att se det sparade utkastet."
)
BLANK_SECTION = _(
    "Rutan är tom, så avsnittet sparades inte och dess sparade text finns kvar. Skriv avsnittets text och spara "
    "igen, eller gå tillbaka till planen för att behålla texten som den är."
)
COMMENT_NOT_YOURS = _("Bara den som skrev kommentaren kan ändra eller återkalla den.")
COMMENT_ROUND_CLOSED = _("Remissrundan är stängd; kommentarer kan inte längre ändras eller återkallas.")
COMMENT_HAS_DISPOSITION = _(
    "Samordnaren har tagit ställning till kommentaren, så den kan inte längre ändras eller återkallas. Skriv ett "
    "svar i tråden om du vill lägga till något."
)
COMMENT_HAS_REPLIES = _(
    "Någon har svarat på kommentaren, så den kan inte längre ändras eller återkallas. Skriv ett svar i tråden om "
    "du vill lägga till något."
)
DISPOSITIONS_LOCKED = _("Planen är inlämnad; ställningstaganden till kommentarer kan inte längre ändras.")
DISPOSE_THE_ROOT = _("Ta ställning till den ursprungliga kommentaren, inte till ett svar i tråden.")


def works_with_plan(user, plan) -> bool:
    """Those who write, review or decide a plan: they see its drafts and versions, not only what is in force.
    (ManagementPlan.objects.worked_on_by(user) is the same rule as a query.)"""
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


@rule(CHANGE_COMMENT)
def _change_comment(user, comment) -> bool:
    """Only the author: a comment is signed by its person, and nobody speaks in another's name."""
    person = person_of(user)
    return person is not None and comment.author_id == person.pk


@rule(RESPOND)
def _respond(user, obj) -> bool:
    review, subregion = obj
    if is_admin(user):
        return True
    return subregion.pk in represented_subregion_ids(user) and any(
        s.pk == subregion.pk for s in review.subregions.all()
    )


# --- separation of duties ------------------------------------------------------------------------


def plan_author_ids(plan) -> set[int]:
    """The users who wrote the plan: its sections, goals, versions, review rounds (opened or closed), dispositions,
    and who sent it on."""
    from .models import Comment, Goal, PlanSection, ReviewRound

    status = type(plan).Status
    ids = set(PlanSection.history.filter(plan_id=plan.pk).values_list("history_user_id", flat=True))
    ids |= set(Goal.history.filter(plan_id=plan.pk).values_list("history_user_id", flat=True))
    ids |= set(plan.versions.values_list("created_by_id", flat=True))
    ids |= set(ReviewRound.history.filter(document_id=plan.document_id).values_list("history_user_id", flat=True))
    ids |= set(
        plan.transitions.filter(to_status__in=[status.IN_REVIEW, status.SUBMITTED]).values_list("by_id", flat=True)
    )
    ids |= set(
        Comment.objects.filter(round__document__plan=plan, disposition_by__user__isnull=False).values_list(
            "disposition_by__user_id", flat=True
        )
    )
    return ids - {None}


def may_decide(actor, plan) -> bool:
    """Separation of duties: whoever wrote a plan does not record the decision on it (the administrator neither)."""
    return actor is not None and actor.is_authenticated and actor.pk not in plan_author_ids(plan)


# --- the checks ----------------------------------------------------------------------------------


def _status(plan) -> str:
    return str(plan.get_status_display()).lower()


def plan_edit_check(actor, plan) -> list[str]:
    """Write the plan's text and goals: a coordinator, while the plan is a draft or on review."""
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if plan.is_locked:
        return [PLAN_LOCKED % {"s": _status(plan)}]
    return []


def submit_check(actor, plan) -> list[str]:
    """Send the plan to Gemensam beredning: a draft or plan on review, every comment with a disposition."""
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if plan.is_locked:
        return [str(PLAN_ALREADY_SUBMITTED)]
    from .models import Comment

    open_comments = Comment.objects.filter(round__document__plan=plan, parent__isnull=True, disposition="").count()
    if open_comments:
        return [COMMENTS_WITHOUT_DISPOSITION % {"n": open_comments}]
    return []


def decide_check(actor, plan, *, refer_back: bool = False) -> list[str]:
    """Record VVG's position on (or refer back) a submitted plan: a preparer who did not write it."""
    if not can(actor, RECORD_POSITION, plan):
        return [str(NOT_ALLOWED)]
    if not plan.is_submitted:
        return [(REFER_BACK_NEEDS_SUBMITTED if refer_back else POSITION_NEEDS_SUBMITTED) % {"s": _status(plan)}]
    if not may_decide(actor, plan):
        return [str(AUTHOR_MAY_NOT_DECIDE)]
    return []


def follow_up_check(actor, plan) -> list[str]:
    """Follow up the goals: a coordinator, during the year the plan is in force."""
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if not plan.is_in_force:
        return [str(FOLLOW_UP_NEEDS_IN_FORCE)]
    return []


def archive_check(actor, plan, today=None) -> list[str]:
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if not plan.is_in_force:
        return [str(ARCHIVE_NEEDS_IN_FORCE)]
    if plan.year >= (today or timezone.localdate()).year:
        return [ARCHIVE_AFTER_YEAR % {"y": plan.year}]
    return []


def start_next_check(actor, plan) -> list[str]:
    """Next year's draft starts from a plan in force or archived."""
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if not plan.is_public:
        return [NEXT_YEAR_NEEDS_IN_FORCE % {"s": _status(plan)}]
    return []


def round_open_check(actor, plan) -> list[str]:
    """Send the plan on review: a coordinator, for a draft or plan on review without an open round."""
    if not can(actor, EDIT_PLAN, plan):
        return [str(NOT_ALLOWED)]
    if plan.is_locked:
        return [str(ROUND_NEEDS_DRAFT)]
    if plan.rounds.filter(closed_at__isnull=True).exists():
        return [str(ROUND_ALREADY_OPEN)]
    return []


def round_close_check(actor, review) -> list[str]:
    if not can(actor, EDIT_PLAN, review.plan):
        return [str(NOT_ALLOWED)]
    if not review.is_open:
        return [str(ROUND_ALREADY_CLOSED)]
    return []


def comment_check(actor, review) -> list[str]:
    """Comment in a round: its audience, while it is open, signed by a person."""
    if not can(actor, COMMENT, review):
        return [str(NOT_ALLOWED)]
    if not review.is_open:
        return [str(ROUND_CLOSED_FOR_COMMENTS)]
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    return []


def require_comment(actor, review) -> None:
    """403 for who may not write in the round: outside its audience, or without a person to sign with."""
    if not can(actor, COMMENT, review) or person_of(actor) is None:
        raise PermissionDenied(NOT_ALLOWED)


def response_edit_check(actor, response) -> list[str]:
    """Write (save or submit) a subregion's joint response: its representatives, while the round is open and the
    response not yet submitted."""
    if not can(actor, RESPOND, (response.round, response.subregion)):
        return [str(NOT_ALLOWED)]
    if response.is_submitted:
        return [str(RESPONSE_SUBMITTED)]
    if not response.round.is_open:
        return [str(ROUND_CLOSED)]
    return []


def response_submit_check(actor, response, text: str) -> list[str]:
    """Submit a joint response: as for writing it, signed by a person, and with some text."""
    if refusals := response_edit_check(actor, response):
        return refusals
    if person_of(actor) is None:
        return [str(NO_PERSON)]
    if is_blank(text):
        return [str(RESPONSE_EMPTY)]
    return []


def comment_change_check(actor, comment, *, replied: bool | None = None, thread=None) -> list[str]:
    """Edit or withdraw a comment: its author, while the round is open, before anyone has answered it or the
    coordinator has taken a position on its thread (afterwards others have read it as it stands: add a reply).
    The round page passes what it has loaded (`replied`: has the comment replies; `thread`: its first comment)."""
    if not can(actor, CHANGE_COMMENT, comment):
        return [str(COMMENT_NOT_YOURS)]
    if not comment.round.is_open:
        return [str(COMMENT_ROUND_CLOSED)]
    root = thread if thread is not None else comment
    while thread is None and root.parent_id is not None:
        root = root.parent
    if root.disposition:
        return [str(COMMENT_HAS_DISPOSITION)]
    if comment.replies.exists() if replied is None else replied:
        return [str(COMMENT_HAS_REPLIES)]
    return []


def dispose_check(actor, comment) -> list[str]:
    """Take a position on a comment: a coordinator, on a thread's first comment, until the plan is submitted."""
    if not can(actor, EDIT_PLAN, comment.round.plan):
        return [str(NOT_ALLOWED)]
    if comment.round.plan.is_locked:
        return [str(DISPOSITIONS_LOCKED)]
    if comment.parent_id:
        return [str(DISPOSE_THE_ROOT)]
    return []


def dispositions_open(actor, plan) -> bool:
    """Whether the round page offers this user the disposition forms (dispose_check without a comment)."""
    return can(actor, EDIT_PLAN, plan) and not plan.is_locked


# --- Budget (issue 11) ---------------------------------------------------------------------------------------------

KEY_NOT_VALID_FOR_YEAR = _(
    "Fördelningsnyckeln ”%(k)s” gäller inte för %(y)d. Välj en nyckel som gäller hela året eller ange en egen "
    "fördelning."
)
KEY_OR_OWN_SHARE = _("Välj en fördelningsnyckel eller ange en egen andel för VGR i procent, inte båda.")
KEY_OR_OWN_SHARE_MISSING = _("Välj en fördelningsnyckel eller ange en egen andel för VGR i procent.")

BUDGET_DECIDED = _(
    "Budgeten är beslutad (%(d)s) och är låst. En ändring registreras av en beredningsansvarig för %(b)s, med "
    "hänvisning till beslutet som medger den."
)
BUDGET_EMPTY = _("Budgeten har inga rader ännu. Beslutet registreras när budgeten är skriven.")
BUDGET_ALREADY_DECIDED = _("Beslutet om budgeten är redan registrerat (%(d)s).")
BUDGET_NOT_DECIDED = _(
    "Budgeten är inte beslutad ännu. Samordnaren ändrar den utan hänvisning till beslut så länge planen kan ändras."
)
BUDGET_AUTHOR_MAY_NOT_DECIDE = _(
    "Du har skrivit i budgeten och kan därför inte registrera beslut om den. Be en annan beredningsansvarig."
)
PREPARER_APPOINTED_BY_AUTHOR = _(
    "Din plats som beredningsansvarig tillsattes av någon som har skrivit i budgeten, så du kan inte registrera "
    "beslut om den. Be en annan beredningsansvarig."
)
NO_BUDGET_BODY = _("Förvaltningsobjektet har inget organ som beslutar om budgeten. Be administratören ange det.")
BUDGET_PLAN_ARCHIVED = _("Planen är arkiverad. Dess budget kan inte längre beslutas eller ändras.")
UPLIFT_NO_SOURCE = _("Det finns ingen budget för %(y)d att räkna upp från. Skriv budgetens rader eller importera dem.")
NO_CITABLE_DECISION = _(
    "Det finns inget beslut av %(b)s i ett justerat protokoll att hänvisa till. När %(b)s har beslutat och "
    "protokollet är justerat kan beslutet registreras här."
)
DECISION_MISSING = _("Välj beslutet i %(b)s:s protokoll.")
DECISION_WRONG_BODY = _("%(d)s är inte %(b)s:s. Välj ett beslut i %(b)s:s protokoll.")
DECISION_NOT_A_DECISION = _("%(d)s är inget beslut (%(k)s). Välj en paragraf där %(b)s fattade beslut.")
DECISION_MINUTES_NOT_JUSTERADE = _(
    "Protokollet med %(d)s är inte justerat ännu. Ett beslut kan åberopas när protokollet är justerat."
)
DECISION_BEFORE_BUDGET = _("%(d)s fattades före budgetbeslutet (%(b)s) och kan inte medge en senare ändring.")
DECISION_DECIDED_ANOTHER_BUDGET = _("%(d)s är beslutet om budgeten i %(p)s. Välj beslutet som gäller den här budgeten.")
BUDGET_CHANGED_AFTER_DECISION = _(
    "Budgeten har ändrats efter sammanträdet med %(d)s (senast %(when)s), så beslutet gäller inte beloppen som de "
    "står nu. Registrera det beslut som fattades om den här budgeten, eller be samordnaren återställa beloppen."
)
LINE_GONE = _(
    "Budgetraden har tagits bort sedan du öppnade den, så inget sparades. Lägg till raden på nytt om den behövs."
)
UPLIFT_SOURCE_CHANGED = _(
    "Budgeten som räknas upp har ändrats sedan förhandsgranskningen. Granska de nya beloppen och ersätt sedan igen."
)
DECISION_IS_THE_BUDGET_DECISION = _("%(d)s är beslutet om budgeten. Välj det senare beslut som medger ändringen.")
BUDGET_LINE_REMOVE_DECIDED = _(
    "Budgeten är beslutad, så rader tas inte bort. Sätt beloppet till 0 kr med hänvisning till beslutet som medger det."
)


@rule(DECIDE_BUDGET)
def _decide_budget(user, plan) -> bool:
    """A preparer of the body that decides the plan's budget (SITIV). Not the administrator: a decision is
    recorded by someone who prepares that body's decisions."""
    body_id = plan.managed_object.budget_body_id
    return body_id is not None and not is_admin(user) and body_id in preparer_body_ids(user)


def decision_label(decision) -> str:
    """ "SITIV § 12/2026 (2026-11-18)": the body, the § and the day of the meeting."""
    meeting = decision.item.meeting
    return f"{decision.body.short_name or decision.body.name} § {decision.number}/{decision.year} ({meeting.date:%Y-%m-%d})"


def budget_author_ids(budget) -> set[int]:
    """Who wrote the budget: every user who saved, imported or removed a line before it was decided (their history
    rows cite no decision). Preparers' changes by decision cite one, so they stay free to record the next."""
    from .models import BudgetLine

    if budget is None or budget.pk is None:
        return set()
    rows = BudgetLine.history.filter(budget_id=budget.pk, decision__isnull=True)
    return set(rows.values_list("history_user_id", flat=True)) - {None}


def _seat_given_by_authors(actor, plan, authors: set[int]) -> bool:
    """Separation of duties for the right itself: every running preparer seat the actor holds in the budget body was
    appointed by one of the budget's writers (who could otherwise choose who decides their own budget)."""
    from governance.models import Membership

    seats = list(
        Membership.objects.current()
        .filter(person__user=actor, body_id=plan.managed_object.budget_body_id, role=Membership.Role.PREPARER)
        .values_list("pk", flat=True)
    )
    if not seats or not authors:
        return False
    appointers = dict(Membership.history.filter(id__in=seats, history_type="+").values_list("id", "history_user_id"))
    return all(appointers.get(pk) in authors for pk in seats)


def _budget_of(plan):
    from .models import Budget

    return Budget.objects.filter(plan=plan).select_related("decision__item__meeting", "decision__body").first()


def budget_write_action(user, plan, budget) -> str:
    """The right a write to a budget line needs: DECIDE_BUDGET for the budget body's preparer changing a decided
    budget by a decision; EDIT_PLAN otherwise (the coordinator, whose checks then say why a decided budget is
    locked)."""
    if budget is not None and budget.is_decided and can(user, DECIDE_BUDGET, plan):
        return DECIDE_BUDGET
    return EDIT_PLAN


def budget_edit_check(actor, plan, budget=None) -> list[str]:
    """Write the budget without citing a decision (add, change, remove or import lines, the invoicing plan, the
    uplift): as the plan's text, and only while the budget is not decided. `budget`: the plan's, when the caller
    has it."""
    if refusals := plan_edit_check(actor, plan):
        return refusals
    budget = budget if budget is not None else _budget_of(plan)
    if budget is not None and budget.is_decided:
        return [BUDGET_DECIDED % {"d": decision_label(budget.decision), "b": budget.decision.body.short_name}]
    return []


def _decide_right(actor, plan) -> list[str]:
    if plan.managed_object.budget_body_id is None:
        return [str(NO_BUDGET_BODY)]
    if not can(actor, DECIDE_BUDGET, plan):
        return [str(NOT_ALLOWED)]
    if plan.status == type(plan).Status.ARCHIVED:
        return [str(BUDGET_PLAN_ARCHIVED)]
    return []


def budget_decide_check(actor, plan, budget=None) -> list[str]:
    """Record the budget body's decision on the budget: its preparer, who did not write the budget, on a budget
    with lines that is not yet decided."""
    if refusals := _decide_right(actor, plan):
        return refusals
    budget = budget if budget is not None else _budget_of(plan)
    if budget is None or not budget.lines.exists():
        return [str(BUDGET_EMPTY)]
    if budget.is_decided:
        return [BUDGET_ALREADY_DECIDED % {"d": decision_label(budget.decision)}]
    authors = budget_author_ids(budget)
    if actor.pk in authors:
        return [str(BUDGET_AUTHOR_MAY_NOT_DECIDE)]
    if _seat_given_by_authors(actor, plan, authors):
        return [str(PREPARER_APPOINTED_BY_AUTHOR)]
    return []


def budget_change_check(actor, plan, budget=None) -> list[str]:
    """Change a decided budget by a later decision: the budget body's preparer who did not write the budget."""
    if refusals := _decide_right(actor, plan):
        return refusals
    budget = budget if budget is not None else _budget_of(plan)
    if budget is None or not budget.is_decided:
        return [str(BUDGET_NOT_DECIDED)]
    authors = budget_author_ids(budget)
    if actor.pk in authors:
        return [str(BUDGET_AUTHOR_MAY_NOT_DECIDE)]
    if _seat_given_by_authors(actor, plan, authors):
        return [str(PREPARER_APPOINTED_BY_AUTHOR)]
    return []


def decision_cite_errors(plan, decision, *, budget=None) -> list[str]:
    """Whether `decision` may be cited for the plan's budget: a decision (not a noted item) of the body that decides
    the budget, in justerade minutes. With `budget` (decided): a later change's decision, so not the budget decision
    itself nor one of an earlier meeting."""
    body = plan.managed_object.budget_body
    name = body.short_name or body.name if body else ""
    if decision is None:
        return [DECISION_MISSING % {"b": name}]
    label = decision_label(decision)
    if body is None or decision.body_id != body.pk:
        return [DECISION_WRONG_BODY % {"d": label, "b": name}]
    if decision.kind != type(decision).Kind.DECISION:
        return [DECISION_NOT_A_DECISION % {"d": label, "k": decision.get_kind_display(), "b": name}]
    # Read now, not from a cached meeting: the minutes may have been justerade (or not) since it was loaded.
    if not type(decision).objects.taken().filter(pk=decision.pk).exists():
        return [DECISION_MINUTES_NOT_JUSTERADE % {"d": label}]
    from .models import Budget, BudgetLine

    # A decision is about one budget: the one it decided, or the one whose lines it changed.
    other = Budget.objects.filter(decision_id=decision.pk).exclude(plan_id=plan.pk).select_related("plan").first()
    if other is None:
        cited = BudgetLine.objects.filter(decision_id=decision.pk).exclude(budget__plan_id=plan.pk)
        other = Budget.objects.filter(pk__in=cited.values("budget_id")).select_related("plan").first()
    if other is not None:
        return [DECISION_DECIDED_ANOTHER_BUDGET % {"d": label, "p": other.plan}]
    if budget is not None and budget.decision_id is not None:
        if decision.pk == budget.decision_id:
            return [DECISION_IS_THE_BUDGET_DECISION % {"d": label}]
        if _order(decision) < _order(budget.decision):
            return [DECISION_BEFORE_BUDGET % {"d": label, "b": decision_label(budget.decision)}]
    elif budget is None:
        # The decision decides the figures as they stood at its meeting: none changed without a decision since.
        changed = _changed_since(plan, decision.item.meeting.date)
        if changed is not None:
            return [BUDGET_CHANGED_AFTER_DECISION % {"d": label, "when": changed}]
    return []


def _order(decision) -> tuple:
    """When a decision was taken: its meeting's day, then its § (numbered in order through the body's year)."""
    return (decision.item.meeting.date, decision.year, decision.number)


def _changed_since(plan, day):
    """The day (local) the budget's lines were last written without a decision, if after `day`; else None."""
    import datetime

    from django.utils import timezone as tz

    from .models import BudgetLine

    after = tz.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    last = (
        BudgetLine.history.filter(budget__plan_id=plan.pk, decision__isnull=True, history_date__gte=after)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return tz.localtime(last).date() if last else None


def uplift_source(plan):
    """The budget next year's is uplifted from: the budget of the plan this one was started from, else of the same
    managed object's plan the year before; None when neither has lines."""
    from .models import Budget

    budgets = Budget.objects.filter(lines__isnull=False).select_related("plan").distinct()
    if plan.based_on_id is not None:
        found = budgets.filter(plan_id=plan.based_on_id).first()
        if found is not None:
            return found
    return budgets.filter(plan__managed_object_id=plan.managed_object_id, plan__year=plan.year - 1).first()


def budget_uplift_check(actor, plan, budget=None) -> list[str]:
    """Start the budget from last year's with an index uplift: as any write to an undecided budget, with a budget
    of last year to start from."""
    if refusals := budget_edit_check(actor, plan, budget):
        return refusals
    if uplift_source(plan) is None:
        return [UPLIFT_NO_SOURCE % {"y": plan.year - 1}]
    return []


def citable_decisions(plan, budget=None):
    """The decisions a budget may cite: the budget body's decisions in justerade minutes, newest first; for a
    decided `budget`, those of its decision's meeting or later, other than its own (decision_cite_errors is the
    rule; this is the list the pages offer)."""
    from django.db.models import Q

    from .models import Budget, BudgetLine

    # meetings.Decision through the budget's reference to it (documents sits below meetings and imports none of it).
    decisions = Budget._meta.get_field("decision").related_model._default_manager
    found = decisions.taken().filter(body_id=plan.managed_object.budget_body_id).select_related("item__meeting", "body")

    found = found.exclude(pk__in=Budget.objects.filter(decision__isnull=False).values("decision_id"))
    found = found.exclude(
        pk__in=BudgetLine.objects.filter(decision__isnull=False).exclude(budget__plan_id=plan.pk).values("decision_id")
    )
    if budget is not None and budget.decision_id is not None:
        date, year, number = _order(budget.decision)
        found = found.filter(
            Q(item__meeting__date__gt=date) | Q(item__meeting__date=date, year=year, number__gt=number)
        )
    return found.order_by("-item__meeting__date", "-number")


# --- a budget's internal pages (issue 11, items 6–7) -----------------------------------------------------------------

# Read a budget's invoicing basis, reconciliation, follow-up and issued quarterly reports: obj = plan. Those who work
# with the plan (they see it as well); the public reads the budget table, not the invoices or the follow-up.
READ_BUDGET_WORK = "read_budget_work"


@rule(READ_BUDGET_WORK)
def _read_budget_work(user, plan) -> bool:
    return works_with_plan(user, plan)


# --- allocation keys (reference data, changed in the admin) --------------------------------------------------------

KEY_SHARE_LOCKED = _(
    "Nyckeln används i budgetar som är beslutade eller låsta (%(plans)s), och deras belopp får inte ändras i "
    "efterhand. Skapa en ny nyckel med den nya andelen i stället."
)
KEY_VALIDITY_NEEDED = _(
    "Nyckeln används i budgeten för %(years)s. Giltighetstiden måste täcka de åren; skapa en ny nyckel för nya år."
)


def key_change_errors(key_id: int, *, region_percent, valid_from, valid_to) -> dict[str, str]:
    """What a change of a key in use would break, by field: its share under budgets that are decided or whose plan
    is locked, and a validity that no longer covers the year of every budget using it."""
    import datetime

    from .models import AllocationKey, BudgetLine

    key = AllocationKey.objects.get(pk=key_id)
    using = BudgetLine.objects.filter(key_id=key_id).select_related("budget__plan__managed_object")
    errors: dict[str, str] = {}
    if region_percent is not None and region_percent != key.region_percent:
        fixed = sorted(
            {
                str(line.budget.plan)
                for line in using
                if line.budget.decision_id is not None or line.budget.plan.is_locked
            }
        )
        if fixed:
            errors["region_percent"] = KEY_SHARE_LOCKED % {"plans": ", ".join(fixed)}
    if valid_from is not None:
        years = sorted({line.budget.plan.year for line in using})
        outside = [
            y
            for y in years
            if not (valid_from <= datetime.date(y, 1, 1) and (valid_to is None or valid_to >= datetime.date(y, 12, 31)))
        ]
        if outside:
            errors["valid_to" if valid_from <= datetime.date(outside[0], 1, 1) else "valid_from"] = (
                KEY_VALIDITY_NEEDED % {"years": ", ".join(str(y) for y in outside)}
            )
    return errors
