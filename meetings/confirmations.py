"""What the confirm page (core.web.ask_first) says before the meeting steps that cannot be undone: publishing the
agenda, approving the minutes at justering, approving a correction, publishing the minutes, removing an item.
The views ask with these; the rules that decide whether the step is allowed at all stay in meetings.rules."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.web import Confirmation

from . import views  # meeting_crumbs; views imports this module, so it is read at call time
from .signatories import justering_block


def _named(meeting) -> str:
    """The meeting as a sentence names it: "Referensgrupp SHVO:s möte 2026-09-10"."""
    return _("%(b)s:s möte %(d)s") % {"b": meeting.body.short_name or meeting.body.name, "d": meeting.date.isoformat()}


def agenda_publish(meeting) -> Confirmation:
    count = meeting.items.count()
    return Confirmation(
        title=_("Publicera dagordningen för %(m)s?") % {"m": _named(meeting)},
        happens=[
            _("Dagordningen med %(n)d punkter blir synlig för organets ledamöter, som också kan hämta den som PDF.")
            % {"n": count},
            _("Du kan fortfarande ändra punkterna; ledamöterna ser då ändringarna."),
        ],
        final=_("En publicerad dagordning kan inte göras opublicerad igen: ledamöterna kan redan ha läst den."),
        verb=_("publicera dagordningen"),
        cancel_url=meeting.get_absolute_url(),
        crumbs=views.meeting_crumbs(meeting, _("Publicera dagordningen")),
    )


def minutes_approve(meeting, person, comment: str = "") -> Confirmation:
    """The chair or a justerare approves: who still has to, and what happens when nobody else has to."""
    waiting = [p for p, _role, when in justering_block(meeting) if when is None and p.pk != person.pk]
    happens = [
        _("Du godkänner protokollet för %(m)s med ditt namn och dagens datum, %(d)s.")
        % {"m": _named(meeting), "d": timezone.localdate().isoformat()}
    ]
    if comment.strip():
        happens.append(_("Din kommentar skickas med till sekreteraren: ”%(c)s”") % {"c": comment.strip()})
    if waiting:
        happens.append(_("Sedan väntar protokollet på: %(p)s.") % {"p": ", ".join(str(p) for p in waiting)})
    else:
        happens.append(
            _("Du är den sista som godkänner: protokollet blir justerat och låst, och sekreteraren kan publicera det.")
        )
    return Confirmation(
        title=_("Godkänn protokollet?"),
        happens=happens,
        final=_(
            "Ditt godkännande kan inte tas tillbaka. Behöver protokollet ändras efter justeringen görs det som en "
            "rättelse."
        ),
        verb=_("godkänn protokollet"),
        cancel_url=reverse("meetings:justering", kwargs={"pk": meeting.pk}),
        crumbs=views.meeting_crumbs(meeting, _("Godkänn protokollet")),
        back_to_form=True,
    )


def correction_approve(correction) -> Confirmation:
    meeting = correction.minutes.meeting
    return Confirmation(
        title=_("Godkänn rättelsen?"),
        quote=correction.text,
        happens=[
            _("Rättelsen till protokollet för %(m)s godkänns med ditt namn och dagens datum.") % {"m": _named(meeting)},
            _("Den visas sedan tillsammans med protokollet."),
        ],
        final=_("Ett godkännande av en rättelse kan inte tas tillbaka."),
        verb=_("godkänn rättelsen"),
        cancel_url=meeting.get_absolute_url(),
        crumbs=views.meeting_crumbs(meeting, _("Godkänn rättelsen")),
    )


def minutes_publish(meeting) -> Confirmation:
    return Confirmation(
        title=_("Publicera protokollet för %(m)s?") % {"m": _named(meeting)},
        happens=[
            _("Det justerade protokollet blir en PDF-fil som alla kan läsa och hämta, även utan att logga in."),
            _("Filen sparas som den är och skapas aldrig om."),
        ],
        final=_(
            "Ett publicerat protokoll kan inte avpubliceras eller ändras. Fel rättas med en rättelse som justerarna "
            "godkänner."
        ),
        verb=_("publicera protokollet"),
        cancel_url=meeting.get_absolute_url(),
        crumbs=views.meeting_crumbs(meeting, _("Publicera protokollet")),
        slow=True,
    )


def item_delete(item) -> Confirmation:
    title = _("Ta bort punkt %(n)d?") % {"n": item.position}
    return Confirmation(
        title=title,
        quote=item.title,
        happens=[
            _("Punkten tas bort från dagordningen, med det som är skrivet under den. Punkterna efter numreras om."),
        ],
        final=_("En borttagen punkt kommer inte tillbaka; mötets historik visar vad den innehöll."),
        verb=_("ta bort punkten"),
        cancel_url=item.meeting.get_absolute_url(),
        crumbs=views.meeting_crumbs(item.meeting, title),
    )
