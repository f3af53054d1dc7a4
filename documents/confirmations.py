"""What the confirm page (core.web.ask_first) says before the plan and review steps that cannot be undone:
submitting a plan, recording VVG's position, archiving, removing a goal, sending a plan on review, closing a round,
submitting a joint response, withdrawing one's comment. The views ask with these; whether the step is allowed at
all stays in documents.rules."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from core.collation import swedish_key
from core.web import Confirmation

from . import reviews


def _plan_crumbs(plan, here):
    from .views import _crumbs  # the views import this module

    return _crumbs(plan, here)


def _round_crumbs(round_, here):
    from .review_views import _crumbs

    return _crumbs(round_, here)


def _plan_named(plan) -> str:
    return _("förvaltningsplanen %(o)s %(y)s") % {"o": plan.managed_object, "y": plan.year}


def plan_submit(plan) -> Confirmation:
    open_round = any(r.is_open for r in plan.rounds.all())
    return Confirmation(
        title=_("Lämna in %(p)s?") % {"p": _plan_named(plan)},
        happens=[
            _("Planen lämnas in till Gemensam beredning VVG och SITIV för VVG:s ställningstagande."),
            *([_("Den öppna remissrundan stängs: inga fler kommentarer eller svar tas emot.")] if open_round else []),
        ],
        final=_(
            "Planen låses och kan inte längre ändras. Bara Gemensam beredning kan skicka tillbaka den (återremiss)."
        ),
        verb=_("lämna in planen"),
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, _("Lämna in")),
    )


def plan_position(plan, date: datetime.date, reference: str) -> Confirmation:
    return Confirmation(
        title=_("Registrera VVG:s ställningstagande till %(p)s?") % {"p": _plan_named(plan)},
        happens=[
            _("VVG tog ställning till planen %(d)s%(r)s.")
            % {"d": date.isoformat(), "r": f" ({reference.strip()})" if reference.strip() else ""},
            _("Planen gäller då för %(y)s och syns för alla, även utan inloggning.") % {"y": plan.year},
        ],
        final=_("Planen låses. Ändringar görs därefter bara genom en ny version av planen."),
        verb=_("registrera ställningstagandet"),
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, _("Registrera VVG:s ställningstagande")),
        back_to_form=True,
    )


def plan_archive(plan) -> Confirmation:
    return Confirmation(
        title=_("Arkivera %(p)s?") % {"p": _plan_named(plan)},
        happens=[_("Planen för %(y)s arkiveras. Den finns kvar att läsa och jämföra.") % {"y": plan.year}],
        final=_("En arkiverad plan kan inte följas upp eller göras gällande igen."),
        verb=_("arkivera planen"),
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, _("Arkivera")),
    )


def goal_delete(goal) -> Confirmation:
    title = _("Ta bort målet?")
    return Confirmation(
        title=title,
        quote=goal.title,
        happens=[
            _("Målet tas bort ur planen (%(c)s).") % {"c": goal.get_category_display().lower()},
            _("Tidigare versioner av planen finns kvar och kan jämföras."),
        ],
        final=_("Ett borttaget mål kommer inte tillbaka; ska det vara kvar får du lägga till det på nytt."),
        verb=_("ta bort målet"),
        cancel_url=f"{goal.plan.get_absolute_url()}#mal-{goal.pk}",
        crumbs=_plan_crumbs(goal.plan, title),
    )


def budget_line_delete(line) -> Confirmation:
    title = _("Ta bort budgetraden?")
    plan = line.budget.plan
    return Confirmation(
        title=title,
        quote=line.name,
        happens=[_("Raden tas bort ur planens budget, och summorna räknas om.")],
        final=_("En borttagen rad kommer inte tillbaka; ska den vara kvar får du lägga till den på nytt."),
        verb=_("ta bort raden"),
        cancel_url=f"{plan.get_absolute_url()}#avsnitt-budget",
        crumbs=_plan_crumbs(plan, title),
    )


def round_open(plan, deadline: datetime.date, subregions) -> Confirmation:
    names = ", ".join(sorted((s.short_name for s in subregions), key=swedish_key))
    return Confirmation(
        title=_("Skicka %(p)s på remiss?") % {"p": _plan_named(plan)},
        happens=[
            _("Remissen skickas till %(n)d delregioner: %(names)s. Sista svarsdag är %(d)s.")
            % {"n": len(subregions), "names": names, "d": deadline.isoformat()},
            _(
                "Planen som den ser ut nu sparas som remissversion. Det är den delregionerna läser och kommenterar; "
                "du kan fortsätta skriva i utkastet."
            ),
        ],
        final=_(
            "En remiss kan inte dras tillbaka. Den kan stängas, men remissversionen och det delregionerna har skrivit "
            "finns kvar."
        ),
        verb=_("skicka på remiss"),
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, _("Ny remissrunda")),
        back_to_form=True,
    )


def round_close(round_) -> Confirmation:
    status = reviews.round_status(round_)
    waiting = [row["subregion"].short_name for row in status if not row["answered"]]
    return Confirmation(
        title=_("Stäng remissrundan för %(p)s?") % {"p": _plan_named(round_.plan)},
        happens=[
            _("%(n)d av %(m)d delregioner har skickat in sitt svar. Sista svarsdag är %(d)s.")
            % {"n": len(status) - len(waiting), "m": len(status), "d": round_.deadline.isoformat()},
            *([_("%(s)s kan då inte längre svara.") % {"s": ", ".join(waiting)}] if waiting else []),
            _("Ställningstaganden till kommentarerna kan du skriva även när rundan är stängd."),
        ],
        final=_("En stängd remissrunda kan inte öppnas igen: inga fler kommentarer eller svar tas emot."),
        verb=_("stäng remissrundan"),
        cancel_url=round_.get_absolute_url(),
        crumbs=_round_crumbs(round_, _("Stäng remissrundan")),
    )


def response_submit(response, text_html: str) -> Confirmation:
    """`text_html`: the response as it will be stored (sanitised), shown as it will read."""
    round_, subregion = response.round, response.subregion
    return Confirmation(
        title=_("Skicka in svaret från %(s)s?") % {"s": subregion.name},
        happens=[
            _("Delregionens gemensamma svar på remissen av %(p)s skickas in så som det står här:")
            % {"p": _plan_named(round_.plan)},
            _("Samordnarna kan sedan läsa svaret, och remissens sida visar att %(s)s har svarat.")
            % {"s": subregion.short_name},
        ],
        quote_html=text_html,
        final=_(
            "Ett inskickat svar är låst. Det kan inte ändras eller tas tillbaka, inte heller av någon annan i "
            "delregionen."
        ),
        verb=_("skicka in svaret"),
        cancel_url=reverse("documents:response_edit", kwargs={"pk": round_.pk, "subregion": subregion.slug}),
        crumbs=_round_crumbs(round_, _("Skicka in svaret från %(s)s") % {"s": subregion}),
        back_to_form=True,
    )


def comment_withdraw(comment) -> Confirmation:
    return Confirmation(
        title=_("Återkalla din kommentar?"),
        quote=comment.text,
        happens=[
            _("Kommentaren tas bort från remissens sida och från sammanställningen."),
            _("Historiken visar fortfarande att du skrev den, vad den sa och att du återkallade den."),
        ],
        final=_("En återkallad kommentar kan inte tas tillbaka. Vill du säga något igen, skriv en ny kommentar."),
        verb=_("återkalla kommentaren"),
        cancel_url=f"{comment.round.get_absolute_url()}#kommentar-{comment.pk}",
        crumbs=_round_crumbs(comment.round, _("Återkalla kommentar")),
    )
