"""The objects of the POST matrix (tests/test_action_matrix.py) in every lifecycle state, built through the real
services; the valid form data for each action; and a fingerprint of the database that proves a refused POST wrote
nothing.

Meetings are Referensgrupp SHVO's, so the demo's roles hold their real rights: `sekreterare` writes the minutes,
`ordforande` chairs, `fyrbodal` (Maria Ek) is the justerare (meetings/demo.py). Draft, in justering and justerat are
the demo's planned meeting, moved to last week (held, so its minutes may go to justering), driven on through
meetings.services; published is the demo's dialogue meeting, which
seed_demo published through the same services (rendering a PDF in every test would cost seconds). Plans belong to a
new managed object (tests/factories.make_plan), are written by `samordnare` and decided by `beredning`, for last year
(so that the plan in force may be archived).
"""

import datetime
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from documents import reviews
from documents import services as plans
from documents.models import BudgetLine, Goal, JointResponse, ManagedObject, PlanSection
from governance.models import Body, Membership, Person, Subregion
from meetings import services as meetings
from meetings.demo import planned_meeting
from meetings.models import Action, AgendaItem, Decision, Meeting, Minutes
from tests.factories import make_plan, sitiv_decision

MEETING_STATES = ["draft", "in_justering", "justerat", "published"]
PLAN_STATES = ["draft", "in_review", "submitted", "in_force"]
DAY = datetime.timedelta(days=1)


def user(username):
    return get_user_model().objects.get(username=username)


def person(username) -> Person:
    return Person.objects.get(user__username=username)


def today() -> datetime.date:
    return timezone.localdate()


def iso(day: datetime.date) -> str:
    return day.isoformat()


# --- the fingerprint ---------------------------------------------------------------------------

# Every model of the project's own apps (governance, documents, meetings, …: their history and many-to-many tables
# included), the seat rights (guardian) and the users; last_login is left out, since signing the roles in sets it.
VOLATILE = {"auth_user": {"last_login"}}
_TABLES: list[tuple[str, str, str]] = []


def _project_models():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent == base or config.label == "guardian":  # the project's own packages
            yield from config.get_models(include_auto_created=True)
    yield get_user_model()


def _tables() -> list[tuple[str, str, str]]:
    if not _TABLES:
        q = connection.ops.quote_name
        for model in _project_models():
            table = model._meta.db_table
            columns = [q(f.column) for f in model._meta.concrete_fields if f.column not in VOLATILE.get(table, ())]
            _TABLES.append((q(table), ", ".join(columns), q(model._meta.pk.column)))
    return _TABLES


def fingerprint() -> dict[str, tuple[int, str]]:
    """{table: (row count, SHA-1 of all its rows in primary-key order)}: equal fingerprints, nothing written."""
    result = {}
    with connection.cursor() as cursor:
        for table, columns, pk in _tables():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")
            rows = cursor.fetchall()
            result[table.strip('"')] = (len(rows), hashlib.sha1(repr(rows).encode()).hexdigest())
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after[t])


def _historical_models():
    """django-simple-history's tables that record a user and a reason (not the many-to-many change tables)."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and any(f.name == "history_user" for f in m._meta.get_fields())
    ]


def history_marks() -> dict:
    """The newest history id of every historical model: what a POST writes after this is new."""
    from django.db.models import Max

    return {m: m.objects.aggregate(top=Max("history_id"))["top"] or 0 for m in _historical_models()}


_TRACKED: dict[str, str] = {}


def _tracked_tables() -> dict[str, str]:
    """{table of a model django-simple-history tracks: its history table}, with the many-to-many tables it tracks
    (m2m_fields=[...]) and theirs."""
    if not _TRACKED:
        tables = {m._meta.db_table for m in apps.get_models()}
        for model in _project_models():
            manager = getattr(model._meta, "simple_history_manager_attribute", None)
            if manager is None or model.__name__.startswith("Historical"):
                continue
            history = getattr(model, manager).model._meta.db_table
            _TRACKED[model._meta.db_table] = history
            for field in model._meta.many_to_many:
                if f"{history}_{field.name}" in tables:
                    _TRACKED[field.remote_field.through._meta.db_table] = f"{history}_{field.name}"
    return _TRACKED


def unrecorded_writes(changed: list[str]) -> list[str]:
    """The tracked tables a write changed without adding to their history table (a queryset update or delete that
    bypassed django-simple-history): nothing would say who changed the rows, or why."""
    tracked = _tracked_tables()
    return [f"{t} changed without a history row" for t in changed if t in tracked and tracked[t] not in changed]


def unaudited_history(marks: dict, *, actor) -> list[str]:
    """The history rows written since `marks` that do not name `actor` as their user or have no reason."""
    problems = []
    for model, mark in marks.items():
        for row in model.objects.filter(history_id__gt=mark):
            if row.history_user_id != actor.pk or not (row.history_change_reason or "").strip():
                problems.append(
                    f"history {model._meta.object_name} #{row.history_id} ({row.history_type}) has user "
                    f"{row.history_user_id} (expected {actor.pk}) and reason {row.history_change_reason!r}"
                )
    return problems


# --- meetings ----------------------------------------------------------------------------------


def ref_group() -> Body:
    return Body.objects.get(slug="referensgrupp-shvo")


def published_meeting() -> Meeting:
    return Meeting.objects.get(body__slug="referensgrupp-shvo", date=datetime.date(2026, 3, 5))


def meeting_in(state: str, *, attendance: bool = True, correction: bool = False, approved: bool = False) -> dict:
    """A Referensgrupp SHVO meeting whose minutes are in `state`, with an item that has a decision (§) and an open
    action, and its attendance list (attendance=False: not fetched yet). correction=True adds the secretary's
    correction to justerade minutes (approved=True: the chair has approved it)."""
    secretary = user("sekreterare")
    if state == "published":
        meeting = published_meeting()
        item = meeting.items.order_by("position").first()
        decision = Decision.objects.filter(item__meeting=meeting).order_by("pk").first()
        action = Action.objects.filter(item__meeting=meeting, status=Action.Status.OPEN).first()
    else:
        meeting = planned_meeting()
        # Held last week: minutes go to justering only once the meeting has been held (meetings.rules.held_check).
        meeting.date = today() - 7 * DAY
        meetings.meeting_update(actor=secretary, meeting=meeting)
        item = meeting.items.order_by("position").first()
        meetings.minutes_for(Meeting.objects.get(pk=meeting.pk))
        if attendance:
            meetings.attendance_fill(actor=secretary, meeting=meeting)
        decision = meetings.decision_add(actor=secretary, item=item, kind="decision", text="Gruppen ställer sig bakom.")
        action = meetings.action_add(actor=secretary, item=item, text="Återkoppla till delregionen", owner="GITS")
        if state != "draft":
            meetings.minutes_send_for_justering(actor=secretary, meeting=meeting)
        if state == "justerat":
            meetings.minutes_respond(actor=user("fyrbodal"), meeting=meeting, approve=True)
            meetings.minutes_respond(actor=user("ordforande"), meeting=meeting, approve=True)
    fix = None
    if correction:
        fix = meetings.correction_add(actor=secretary, meeting=meeting, text="Rättelse: rätt namn är Östen Åberg.")
        if approved:
            meetings.correction_approve(actor=user("ordforande"), correction=fix)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == state, f"built {minutes.status}, wanted {state}"
    return {"meeting": meeting, "item": item, "decision": decision, "action": action, "correction": fix}


def meeting_form(ctx) -> dict:
    return {
        "title": "Ändrat arbetsmöte",
        "date": iso(ctx["meeting"].date if "meeting" in ctx else today() + 30 * DAY),
        "start_time": "09:00",
        "end_time": "12:00",
        "mode": "digital",
        "video_link": "https://video.example.se/referensgrupp-shvo",
        "secretary": person("sekreterare").pk,
        "chair": person("ordforande").pk,
        "adjusters": [person("fyrbodal").pk],
    }


ITEM_FORM = {"title": "Ny punkt", "purpose": "information"}


def attendance_form(ctx) -> dict:
    """Every row as it is, but the first person's presence flipped."""
    data = {"save": "1"}
    for n, a in enumerate(a for a in ctx["meeting"].attendance.order_by("pk") if a.person_id):
        flipped = "present" if a.status == "absent" else "absent"
        data[f"a{a.pk}-status"] = flipped if n == 0 else a.status
        data[f"a{a.pk}-substitute_for"] = a.substitute_for_id or ""
        data[f"a{a.pk}-title"] = a.title
        data[f"a{a.pk}-role_label"] = a.role_label
    return data


def guest_form(ctx) -> dict:
    return {
        "guest": "1",
        "guest-person": person("samordnare").pk,  # no member of the group: a guest
        "guest-status": "guest",
        "guest-group_label": "Gäster",
        "guest-role_label": "Funktionskoordinator",
    }


def typed_guest_form(ctx) -> dict:
    """An invited guest who is not in the portal, typed on the spot."""
    return {
        "guest": "1",
        "guest-guest_name": "Gunnel Gästsson",
        "guest-title": "Processledare TG Äldre och Rehab/Habilitering",
        "guest-guest_organisation": "Samverkanskontoret Göteborgsområdet",
        "guest-status": "guest",
    }


HELD_STATES = ["held_draft", "held_in_justering"]


def held_meeting_in(state: str) -> dict:
    """A Referensgrupp SHVO meeting held a week ago (so that its minutes can have been justerade on paper), with an
    item: `held_draft` or `held_in_justering`. Planned by `sekreterare`, chaired by `ordforande`, `fyrbodal` the
    justerare."""
    secretary = user("sekreterare")
    meeting = Meeting(
        body=ref_group(),
        title="Hållet arbetsmöte",
        date=today() - 7 * DAY,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        mode="digital",
        secretary=person("sekreterare"),
        chair=person("ordforande"),
    )
    meetings.meeting_create(actor=secretary, meeting=meeting, adjusters=[person("fyrbodal")])
    item = meetings.agenda_item_save(actor=secretary, item=AgendaItem(meeting=meeting, title="Lägesbild"))
    meetings.minutes_for(Meeting.objects.get(pk=meeting.pk))
    if state == "held_in_justering":
        meetings.minutes_send_for_justering(actor=secretary, meeting=meeting)
    return {"meeting": meeting, "item": item}


def paper_justering_form(ctx) -> dict:
    return {"date": iso(ctx["meeting"].date), "signers": [person("ordforande").pk, person("fyrbodal").pk]}


ROW_FIELDS = {
    "decisions": ("kind", "text", "escalated_to", "follow_up_on", "follow_up_note"),
    "actions": ("text", "owner", "due_date", "subregion"),
}
BLANK_ROW = {"decisions": {"kind": "decision"}, "actions": {}}


def _row_value(obj, name: str):
    value = getattr(obj, f"{name}_id" if name in ("escalated_to", "subregion") else name)
    return "" if value is None else value.isoformat() if isinstance(value, datetime.date) else value


def item_minutes_data(
    item, *, discussion=None, new_decision=None, new_action=None, change=None, remove=(), button="save"
) -> dict:
    """What an item's minutes page sends: the notes (and the digest of the notes it showed), every decision and action row as the page shows it (with
    `change` {object: {field: value}}, and "Ta bort" ticked for the objects in `remove`), and one blank row for each,
    filled with `new_decision` / `new_action` when given. button: "save", or "decisions"/"actions" (add another)."""
    from meetings.services import notes_digest

    data = {"discussion": item.discussion if discussion is None else discussion, "base": notes_digest(item.discussion)}
    data |= {"save": "1"} if button == "save" else {"more": button}
    change = change or {}
    existing = {"decisions": list(item.decisions.order_by("number")), "actions": list(item.actions.order_by("pk"))}
    blanks = {"decisions": new_decision or {}, "actions": new_action or {}}
    for prefix, rows in existing.items():
        data |= {f"{prefix}-TOTAL_FORMS": len(rows) + 1, f"{prefix}-INITIAL_FORMS": len(rows)}
        data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
        for n, obj in enumerate(rows):
            values = {name: _row_value(obj, name) for name in ROW_FIELDS[prefix]} | change.get(obj, {})
            data |= {f"{prefix}-{n}-{name}": v for name, v in values.items()} | {f"{prefix}-{n}-id": obj.pk}
            if obj in remove:
                data[f"{prefix}-{n}-DELETE"] = "on"
        blank = {name: "" for name in ROW_FIELDS[prefix]} | BLANK_ROW[prefix] | blanks[prefix]
        data |= {f"{prefix}-{len(rows)}-{name}": v for name, v in blank.items()}
    return data


def item_minutes_form(ctx) -> dict:
    """Notes, a new decision and a new action, saved together."""
    return item_minutes_data(
        ctx["item"],
        discussion="<p>Anteckning</p>",
        new_decision={"kind": "decision", "text": "Bifall."},
        new_action={"text": "Sammanställ", "owner": "GITS"},
    )


def item_minutes_edit_form(ctx) -> dict:
    """The item's decision and action changed in place."""
    item = ctx["item"]
    change = {d: {"text": "Ändrat ställningstagande."} for d in item.decisions.all()[:1]}
    change |= {a: {"owner": "Ny ansvarig"} for a in item.actions.all()[:1]}
    return item_minutes_data(item, change=change)


def item_minutes_remove_form(ctx) -> dict:
    """The item's decision and action removed ("Ta bort")."""
    item = ctx["item"]
    return item_minutes_data(item, remove=[*item.decisions.all()[:1], *item.actions.all()[:1]])


def item_minutes_more_form(ctx) -> dict:
    """A new decision saved with "add another"."""
    return item_minutes_data(ctx["item"], new_decision={"text": "Ett ställningstagande till."}, button="decisions")


def justering_comment(ctx) -> dict:
    return {"item": ctx["item"].pk, "comment": "Stavfel i punkten."}


# --- plans and review rounds -------------------------------------------------------------------


def plan_in(state: str, *, author: str = "samordnare", open_comment: bool = False, year: int | None = None) -> dict:
    """A plan of a new managed object in `state`, written by `author` (sections, a goal, the submission) and, in
    force, decided by `beredning`. From in review on it has a round asking all six subregions (so their
    representatives see the plan) with a comment by Fyrbodal's representative that the coordinator has taken a
    position on (open_comment=True: not yet, so the plan cannot be submitted)."""
    writer, coordinator = user(author), user("samordnare")
    plan = make_plan(year=today().year - 1 if year is None else year, actor=writer)
    section = plan.sections.get(key=PlanSection.Key.PURPOSE)
    plans.section_save(actor=writer, section=section, body="<p>Syftet med planen.</p>", base_version=section.revision)
    goal = plans.goal_save(actor=writer, goal=Goal(plan=plan, category="maintenance", title="Vidmakthålla SAMSA"))
    budget_line = plans.budget_line_save(
        actor=writer,
        plan=plan,
        line=BudgetLine(heading="Drift", name="Drift och licens", amount=7746000, own_region_percent=70),
    )
    review = comment = None
    if state != "draft":
        review = reviews.round_open(
            actor=coordinator, plan=plan, deadline=today() + 14 * DAY, subregions=list(Subregion.objects.all())
        )
        comment = reviews.comment_add(
            actor=user("fyrbodal"), round_=review, section_key=section.key, text="Förtydliga syftet."
        )
        if not open_comment:
            reviews.comment_dispose(actor=coordinator, comment=comment, disposition="accepted", reason="")
    if state in ("submitted", "in_force"):
        plans.plan_submit(actor=writer, plan=plan)
    if state == "in_force":
        plans.plan_record_position(actor=user("beredning"), plan=plan, date=today(), reference="§ 1")
    plan.refresh_from_db()
    assert plan.status == state, f"built {plan.status}, wanted {state}"
    return {
        "plan": plan,
        "section": PlanSection.objects.get(pk=section.pk),
        "goal": goal,
        "budget_line": BudgetLine.objects.get(pk=budget_line.pk),
        "round": review,
        "comment": comment,
    }


def demo_plan_in_force() -> dict:
    """A plan in force for this year (whatever today is): not to be archived before the year ends; next year's
    plan exists already, so it cannot be started again."""
    built = plan_in("in_force", year=today().year)
    plans.plan_create(actor=user("samordnare"), managed_object=built["plan"].managed_object, year=today().year + 1)
    return built


def round_in(state: str, *, asked: str = "all") -> dict:
    """A review round with a comment by Fyrbodal's representative that nobody has taken a position on: `open` or
    `closed` (the plan still in review), or `submitted` (closed by the plan's submission, the comment answered).
    asked="Fyrbodal" asks that subregion only."""
    if state == "submitted":
        return plan_in("submitted")
    coordinator = user("samordnare")
    plan = make_plan(year=today().year - 1, actor=coordinator)
    subregions = list(Subregion.objects.all() if asked == "all" else Subregion.objects.filter(short_name=asked))
    review = reviews.round_open(actor=coordinator, plan=plan, deadline=today() + 14 * DAY, subregions=subregions)
    section = plan.sections.get(key=PlanSection.Key.PURPOSE)
    comment = reviews.comment_add(
        actor=user("fyrbodal"), round_=review, section_key=section.key, text="Förtydliga syftet."
    )
    if state == "closed":
        reviews.round_close(actor=coordinator, round_=review)
    review.refresh_from_db()
    return {"plan": plan, "round": review, "section": section, "comment": comment}


def comment_in(state: str) -> dict:
    """Fyrbodal's representative's comment in a round: `open` (nobody has answered it), `disposed` (the coordinator
    has taken a position on it), `replied` (the coordinator has answered in its thread), `closed` (the round is
    closed, the comment unanswered)."""
    ctx = round_in("closed" if state == "closed" else "open")
    coordinator = user("samordnare")
    if state == "disposed":
        reviews.comment_dispose(actor=coordinator, comment=ctx["comment"], disposition="accepted", reason="")
    if state == "replied":
        reviews.comment_add(actor=coordinator, round_=ctx["round"], parent=ctx["comment"], text="Vi förtydligar.")
    ctx["comment"].refresh_from_db()
    return ctx


def comment_edit_form(ctx) -> dict:
    return {"text": "Förtydliga syftet med planen i första stycket."}


def response_in(state: str) -> dict:
    """Fyrbodal's joint response: `draft` (saved, not sent, the round open), `submitted`, or `closed` (still a
    draft when the round closed)."""
    ctx = round_in("open")
    rep = user("fyrbodal")
    response = ctx["round"].responses.get(subregion__short_name="Fyrbodal")
    saved = reviews.response_save(actor=rep, response=response, text="<p>Utkast.</p>", base_version=response.version)
    if state == "submitted":
        reviews.response_submit(actor=rep, response=saved)
    if state == "closed":
        reviews.round_close(actor=user("samordnare"), round_=ctx["round"])
    ctx["response"] = JointResponse.objects.get(pk=response.pk)
    return ctx


def response_form(submit: bool):
    def form(ctx) -> dict:
        data = {"text": "Fyrbodal ställer sig bakom planen.", "base_version": ctx["response"].version}
        return {**data, "submit": "1"} if submit else data

    return form


def is_submitted(ctx) -> bool:
    return JointResponse.objects.get(pk=ctx["response"].pk).submitted_at is not None


def round_form(ctx) -> dict:
    return {"deadline": iso(today() + 14 * DAY), "subregions": [s.pk for s in Subregion.objects.all()]}


def comment_form(ctx) -> dict:
    return {"action": "comment", "target": ctx["section"].key, f"s-{ctx['section'].key}-text": "Bra avsnitt."}


def reply_form(ctx) -> dict:
    return {"action": "reply", "target": ctx["comment"].pk, f"r{ctx['comment'].pk}-text": "Instämmer."}


def disposition_form(ctx) -> dict:
    prefix = f"d{ctx['comment'].pk}"
    return {
        "action": "dispose",
        "target": ctx["comment"].pk,
        f"{prefix}-disposition": "partly",
        f"{prefix}-disposition_reason": "Syftet förtydligas i avsnitt 2.",
    }


def follow_up_form(ctx) -> dict:
    prefix = f"goal{ctx['goal'].pk}"
    return {f"{prefix}-status": "ongoing", f"{prefix}-follow_up": "Pågår enligt plan."}


def section_form(ctx) -> dict:
    return {"body": "<p>Ny text.</p>", "base_version": ctx["section"].revision}


def position_form(ctx) -> dict:
    return {"date": iso(today()), "reference": "§ 3/2026"}


def plan_create_form(ctx) -> dict:
    return {"managed_object": ManagedObject.objects.get(slug="shvo").pk, "year": 2030}


# --- bodies and seats --------------------------------------------------------------------------


def seat(kind: str) -> dict:
    """A running seat: a Fyrbodal or a Skaraborg member of Referensgrupp SHVO (people without a login), the group's
    chair (no subregion), or the coordinator's own GITS seat (no subregion)."""
    current = Membership.objects.current()
    found = {
        "fyrbodal": lambda: current.get(body__slug="referensgrupp-shvo", person__last_name="Åström"),
        "skaraborg": lambda: current.get(body__slug="referensgrupp-shvo", person__last_name="Nyström"),
        "none": lambda: current.get(body__slug="referensgrupp-shvo", role=Membership.Role.CHAIR),
        "own": lambda: current.get(body__slug="gits", person__user__username="samordnare"),
    }[kind]()
    return {"seat": found}


def replaced_seat(kind: str) -> dict:
    """A running seat whose successor is already appointed (from a month ahead): nobody replaces it a second time."""
    from governance import services as seats

    found = seat(kind)["seat"]
    successor = Person(first_name="Redan", last_name="Utsedd")
    seats.membership_replace(
        actor=user("admin"), membership=found, person=successor, start_date=today() + 30 * DAY, reason="Matrisen"
    )
    return {"seat": Membership.objects.get(pk=found.pk)}


def _subregion(short_name: str | None):
    return Subregion.objects.get(short_name=short_name).pk if short_name else ""


def new_seat_form(*, role: str = "member", subregion: str | None = None, holder: str | None = None):
    """A seat in Referensgrupp SHVO for a new person, or for the user `holder` (appointing someone to herself)."""

    def form(ctx) -> dict:
        who = {"person": person(holder).pk} if holder else {"new_first_name": "Nya", "new_last_name": "Ledamotsson"}
        return {**who, "role": role, "subregion": _subregion(subregion), "start_date": iso(today()), "reason": "Test"}

    return form


def vacancy_form(subregion: str | None):
    return lambda ctx: {"subregion": _subregion(subregion), "role": "member", "since": iso(today())}


def seat_edit_form(ctx) -> dict:
    m = ctx["seat"]
    return {
        "person": m.person_id,
        "role": m.role,
        "subregion": m.subregion_id or "",
        "party": m.party_id or "",
        "start_date": iso(m.start_date),
        "note": "Ändrad i matrisen",
        "reason": "Test",
    }


def seat_end_form(ctx) -> dict:
    return {"end_date": iso(today()), "reason": "Test"}


def seat_replace_form(ctx) -> dict:
    return {"new_first_name": "Nya", "new_last_name": "Ersättarsson", "start_date": iso(today())}


def body_form(ctx) -> dict:
    fields = ["name", "short_name", "slug", "kind", "level", "subregion", "mandate_giver", "convener"]
    fields += ["description", "target_meetings_min", "target_meetings_max", "sort_order"]
    body = ctx["body"]
    data = {k: "" if v is None else v for k, v in model_to_dict(body, fields=fields).items()}
    return {**data, "mandate_parties": [o.pk for o in body.mandate_parties.all()], "description": "Ändrad."}


NEW_BODY_FORM = {"name": "Arbetsgrupp test", "short_name": "AG test", "slug": "ag-test", "kind": "working"}
NEW_BODY_FORM |= {"level": "county", "sort_order": "100"}


def status_form(ctx) -> dict:
    return {"status": "paused", "effective_from": iso(today() + 30 * DAY), "note": "Paus"}


def population_confirm_form(ctx) -> dict:
    """The import's confirm form: a figure for every municipality for a year the demo has none for, signed as the
    preview page signs it."""
    from governance.models import Organisation
    from governance.population_views import SIGNED, sign

    codes = Organisation.objects.filter(kind="municipality").exclude(code="").values_list("code", flat=True)
    year = today().year + 5
    return {SIGNED: sign("".join(f"{c};{year};{1000 + i}\n" for i, c in enumerate(sorted(codes))), "SCB")}


def charter_form(ctx) -> dict:
    return {"valid_from": iso(today()), "purpose": "Nytt syfte.", "reason": "Test"}


# --- accounts ----------------------------------------------------------------------------------

INVITE_STATES = ["fyrbodal", "skaraborg", "pending", "in_use"]
INVITE_FORM = {"email": "ny.adress@example.se"}


def invitee(state: str) -> dict:
    """Someone to invite to an account: Per Åström (a Fyrbodal seat only, no account), Lars Nyström (Skaraborg's),
    Per with his invitation pending, or Maria Ek, whose account is in use (it has a password)."""
    from governance import accounts

    per = Person.objects.get(first_name="Per", last_name="Åström")
    if state == "skaraborg":
        return {"person": Person.objects.get(first_name="Lars", last_name="Nyström")}
    if state == "pending":
        accounts.account_invite(actor=user("admin"), person=per, email="per.astrom@example.se", site_url="http://x")
    if state == "in_use":
        maria = person("fyrbodal")
        maria.user.set_password("ett-losenord-i-bruk-1")
        maria.user.save()
        return {"person": maria}
    return {"person": Person.objects.get(pk=per.pk)}


def invited_plainly(ctx) -> bool:
    """The invitation made the person's own account at the address posted, with no flag and no permission."""
    account = Person.objects.get(pk=ctx["person"].pk).user
    return (
        account is not None
        and account.email == INVITE_FORM["email"]
        and not (account.is_staff or account.is_superuser or account.has_usable_password())
        and not account.user_permissions.exists()
    )


def reset_limits() -> dict:
    """Glömt lösenordet? counts requests in the cache: every case starts from none."""
    from django.core.cache import cache

    cache.clear()
    return {}


def set_password_link() -> dict:
    """A working set-password link: Per Åström's invitation."""
    from governance import accounts

    invitee("pending")
    return {"path": accounts.set_password_path(Person.objects.get(first_name="Per", last_name="Åström").user)}


NEW_PASSWORD = {"new_password1": "ett-nytt-losenord-2026", "new_password2": "ett-nytt-losenord-2026"}


BUDGET_LINE_FORM = {
    "heading": "Drift",
    "name": "Ny budgetrad",
    "amount": "1 234,50",
    "key": "",
    "own_region_percent": "70",
}


# --- budgets: SITIV's decision, changes by a later decision, the uplift -------------------------------------------

BUDGET_STATES = ["draft", "in_force", "decided", "decided_in_force"]


def budget_in(state: str) -> dict:
    """A plan (draft or in force) with a budget line and a SITIV decision to cite (`decision`): the budget undecided,
    or (`decided…`) decided by `beredning` citing an earlier decision, `decision` then being a later one."""
    built = plan_in("in_force" if state.endswith("in_force") else "draft")
    first = sitiv_decision()
    built["decision"] = first
    if state.startswith("decided"):
        plans.budget_decide(actor=user("beredning"), plan=built["plan"], decision=first)
        built["decision"] = sitiv_decision(text="SITIV medger en ändring av budgeten.")
        built["budget_line"] = BudgetLine.objects.get(pk=built["budget_line"].pk)
    return built


def decision_form(ctx) -> dict:
    return {"decision": str(ctx["decision"].pk)}


def budget_change_form(ctx) -> dict:
    return {**BUDGET_LINE_FORM, "amount": "2 000", "decision": str(ctx["decision"].pk)}


UPLIFT_STATES = ["draft_next", "draft", "decided"]


def uplift_in(state: str) -> dict:
    """A draft for next year whose last year has a budget (`draft_next`), a draft with nothing to uplift from, or a
    draft next year whose own budget is decided."""
    built = plan_in("draft")
    if state == "draft":
        return built
    last = built["plan"]
    nxt = plans.plan_create(actor=user("samordnare"), managed_object=last.managed_object, year=last.year + 1)
    out = {"plan": nxt}
    if state == "decided":
        plans.budget_line_save(
            actor=user("samordnare"),
            plan=nxt,
            line=BudgetLine(heading="Drift", name="Drift", amount=1000, own_region_percent=70),
        )
        plans.budget_decide(actor=user("beredning"), plan=nxt, decision=sitiv_decision())
    return out


def uplift_form(ctx) -> dict:
    """The replace form as the preview renders it: percent, rounding and the previewed lines' signed digest (when
    there is a budget to uplift from)."""
    from decimal import Decimal

    from documents import rules as plan_rules
    from documents.budget_views import UPLIFT_SIGNED, _uplift_signed

    data = {"percent": "2,5", "rounding": "thousand", "replace": "1"}
    plan = ctx["plan"]
    source = plan_rules.uplift_source(plan)
    if source is not None:
        rows = plans.budget_uplift_rows(source=source, plan=plan, percent=Decimal("2.5"), rounding="thousand")
        data[UPLIFT_SIGNED] = _uplift_signed(plan, plans.uplift_digest(rows))
    return data


# --- budget follow-up (issue 11 item 7) --------------------------------------------------------


def followup_plan_in(state: str) -> dict:
    """A plan in `state` (plan_in) with a draft of the first quarter's report; `in_force_issued`: in force, that
    report issued."""
    from documents import followup
    from documents.models import QuarterlyReport

    built = plan_in("in_force" if state.startswith("in_force") else state)
    budget = built["budget_line"].budget
    built["report"] = QuarterlyReport.objects.create(budget=budget, quarter=1, economy="Utkast.")
    if state == "in_force_issued":
        built["report"] = followup.report_issue(actor=user("samordnare"), report=built["report"])
    return built


def outcome_form(ctx) -> dict:
    line = ctx["budget_line"]
    return {f"utfall_{line.pk}": "1 234 500", f"prognos_{line.pk}": ""}


def outcome_import_confirm_form(ctx) -> dict:
    from documents.followup_views import SIGNED, sign

    line = ctx["budget_line"]
    return {SIGNED: sign(f"Benämning;Kvartal;Utfall\n{line.name};2;905 000,50\n", ctx["plan"].pk)}


def report_form(ctx) -> dict:
    return {
        "economy": "Enligt budget.",
        "services_status": "I drift.",
        "development": "",
        "deviations": "",
        "other": "",
    }


def report_is_issued(ctx) -> bool:
    ctx["report"].refresh_from_db()
    return ctx["report"].is_issued


def budget_import_confirm_form(ctx) -> dict:
    """The budget import's confirm form for the plan: two lines of a CSV, signed as the preview page signs them
    (issue 11, item 2)."""
    from documents import budget_import
    from documents.budget_import_views import SIGNED, sign

    plan = ctx["plan"]
    data = "Benämning;Budget;Kommun;VGR\nDrift;1 000;300;700\nLöner;2 000;1 000;1 000\n".encode()
    return {SIGNED: sign(plan, budget_import.parse(data, year=plan.year, filename="budget.csv"))}
