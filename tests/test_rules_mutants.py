"""Rule tests written to kill surviving mutants of `make mutation` (mutmut over the permission and service modules).
Each test names the behaviour it pins down; the mutants it was written against are noted in its docstring."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission

from documents import reviews as document_reviews
from documents import rules as document_rules
from documents import services as document_services
from documents.models import ManagementPlan, PlanTransition
from governance import permissions
from governance import rules as governance_rules
from governance import services as governance_services
from governance.models import Body, CompositionRule, Membership, Organisation, Subregion, Vacancy

from .factories import make_body, make_plan, superuser, today

Role = Membership.Role
PER_SUBREGION = CompositionRule.Kind.PER_SUBREGION
PARTY_BALANCE = CompositionRule.Kind.PARTY_BALANCE


def fresh(user):
    """The same account without the permission policy's per-request caches."""
    return get_user_model().objects.get(pk=user.pk)


# --- permissions: which bodies give a subregion seats --------------------------------------------


@pytest.mark.django_db
def test_a_subregional_body_gives_seats_to_its_own_subregion_only(subregion):
    """gives_subregion_seats: the body's own subregion (mutants 1, 2)."""
    own = make_body(kind=Body.Kind.SUBREGIONAL, level=Body.Level.SUBREGIONAL, subregion=subregion["Fyrbodal"])
    assert governance_rules.gives_subregion_seats(own, subregion["Fyrbodal"]) is True
    assert governance_rules.gives_subregion_seats(own, subregion["Skaraborg"]) is False


@pytest.mark.django_db
def test_only_this_bodys_per_subregion_rules_give_seats(subregion):
    """gives_subregion_seats: the rule's subregion, not others; other bodies' rules and party-balance rules do not
    count (mutants 12, 16, 17, 26)."""
    fyrbodal, skaraborg = subregion["Fyrbodal"], subregion["Skaraborg"]
    named = make_body()
    CompositionRule.objects.create(body=named, kind=PER_SUBREGION, subregion=skaraborg, min_count=1, max_count=2)
    assert governance_rules.gives_subregion_seats(named, skaraborg) is True
    assert governance_rules.gives_subregion_seats(Body.objects.get(pk=named.pk), fyrbodal) is False
    balance_only = make_body()
    CompositionRule.objects.create(body=balance_only, kind=PARTY_BALANCE)
    assert governance_rules.gives_subregion_seats(balance_only, fyrbodal) is False
    assert governance_rules.gives_subregion_seats(make_body(), fyrbodal) is False  # the demo's rules are other bodies'


@pytest.mark.django_db
def test_a_default_per_subregion_rule_gives_every_subregion_seats(subregion):
    body = make_body()
    CompositionRule.objects.create(body=body, kind=PER_SUBREGION, subregion=None, min_count=1)
    assert all(governance_rules.gives_subregion_seats(body, s) for s in subregion.values())


@pytest.mark.django_db
def test_a_bodys_seat_rules_are_read_once_per_request(subregion, django_assert_num_queries):
    """gives_subregion_seats caches the rules on the body (mutants 3, 4)."""
    body = make_body()
    governance_rules.gives_subregion_seats(body, subregion["Fyrbodal"])
    with django_assert_num_queries(0):
        governance_rules.gives_subregion_seats(body, subregion["Skaraborg"])


# --- permissions: which seats a user may fill ----------------------------------------------------


@pytest.mark.django_db
def test_the_administrator_and_coordinators_may_fill_every_seat_of_a_body(admin_user, coordinator, ref_group):
    """seat_scope None for either, may_appoint_in True (seat_scope 1-3, may_appoint_in 1, 2, 6, 7)."""
    for user in (admin_user, coordinator):
        assert governance_rules.seat_scope(fresh(user), ref_group) is None
        assert governance_rules.may_appoint_in(fresh(user), ref_group) is True
    plain_admin = superuser()  # no memberships: the administrator's right alone
    assert governance_rules.seat_scope(plain_admin, make_body()) is None
    assert governance_rules.may_appoint_in(plain_admin, make_body()) is True


@pytest.mark.django_db
def test_a_subregion_administrator_fills_her_subregions_seats_where_the_body_gives_them(admin_fyrbodal, ref_group):
    """seat_scope lists the subregion in a body with seats for it, none in a body without (may_appoint_in 8)."""
    assert [s.short_name for s in governance_rules.seat_scope(fresh(admin_fyrbodal), ref_group)] == ["Fyrbodal"]
    assert governance_rules.may_appoint_in(fresh(admin_fyrbodal), ref_group) is True
    assert governance_rules.seat_scope(fresh(admin_fyrbodal), make_body()) == []
    assert governance_rules.may_appoint_in(fresh(admin_fyrbodal), make_body()) is False
    gits = make_body(kind=Body.Kind.COORDINATION)
    assert governance_rules.seat_scope(fresh(admin_fyrbodal), gits) == []


@pytest.mark.django_db
def test_someone_without_rights_is_offered_no_seat(reader, ref_group):
    assert governance_rules.seat_scope(reader, ref_group) == []
    assert governance_rules.may_appoint_in(reader, ref_group) is False
    assert governance_rules.may_manage_seats(reader) is False


@pytest.mark.django_db
def test_no_user_administers_no_subregion_and_belongs_to_no_body():
    """administered_subregions and member_body_ids with no user at all (mutants 1 of each)."""
    assert permissions.administered_subregions(None) == []
    assert permissions.administered_subregions(AnonymousUser()) == []
    assert permissions.member_body_ids(None) == set()
    assert permissions.member_body_ids(AnonymousUser()) == set()


@pytest.mark.django_db
def test_a_global_seat_permission_does_not_make_a_subregion_administrator(reader):
    """Only the object permission on a subregion counts (administered_subregions 19, 22)."""
    reader.user_permissions.add(Permission.objects.get(codename="manage_seats"))
    assert permissions.administered_subregions(fresh(reader)) == []
    assert governance_rules.may_manage_seats(fresh(reader)) is False


@pytest.mark.django_db
def test_administered_subregions_are_read_once_per_request(admin_fyrbodal, django_assert_num_queries):
    """administered_subregions caches on the user (mutants 5, 6)."""
    user = fresh(admin_fyrbodal)
    assert [s.short_name for s in permissions.administered_subregions(user)] == ["Fyrbodal"]
    with django_assert_num_queries(0):
        permissions.administered_subregions(user)


@pytest.mark.django_db
def test_member_body_ids_are_the_bodies_of_todays_seats(rep_fyrbodal, ref_group):
    assert ref_group.pk in permissions.member_body_ids(fresh(rep_fyrbodal))


# --- governance.services.body_composition_check (pure: built from unsaved rows) -----------------


def _sub(pk, short):
    return Subregion(pk=pk, name=f"Delregion {short}", short_name=short)


def _rep(sub, role=Role.MEMBER, party=None):
    return Membership(role=role, subregion=sub, party=party)


def _check(subregions, memberships=(), rules=(), vacancies=()):
    return governance_services.body_composition_check(
        body=Body(name="Organ"),
        subregions=list(subregions),
        memberships=list(memberships),
        vacancies=list(vacancies),
        rules=list(rules),
    )


REGION = Organisation(name="Regionen", kind="region")
MUNICIPALITY = Organisation(name="Kommunen", kind="municipality")


def test_too_few_and_too_many_representatives_are_errors_for_that_subregion():
    """The finding carries the subregion (mutants 20, 23, 42, 45)."""
    a, b = _sub(1, "A"), _sub(2, "B")
    rules = [CompositionRule(kind=PER_SUBREGION, subregion=None, min_count=1, max_count=1)]
    findings = _check([a, b], [_rep(b), _rep(b)], rules)
    assert [(f.level, f.subregion, f.message) for f in findings] == [
        ("error", a, "A har 0 representanter; minst 1 krävs."),
        ("error", b, "B har 2 representanter; högst 1 är tillåtet."),
    ]


def test_a_subregion_without_a_rule_does_not_stop_the_check_of_the_next():
    """`continue`, not `break` (mutant 11)."""
    a, b = _sub(1, "A"), _sub(2, "B")
    rules = [CompositionRule(kind=PER_SUBREGION, subregion=b, min_count=1)]
    assert [f.subregion for f in _check([a, b], [], rules)] == [b]


def test_only_representatives_of_a_subregion_count_towards_its_seats():
    """A secretary or substitute with a subregion does not fill a seat (mutant 3)."""
    a = _sub(1, "A")
    rules = [CompositionRule(kind=PER_SUBREGION, subregion=None, min_count=1)]
    findings = _check([a], [_rep(a, role=Role.SUBSTITUTE), _rep(a, role=Role.SECRETARY)], rules)
    assert [f.level for f in findings] == ["error"]
    assert _check([a], [_rep(a, role=Role.VICE_CHAIR)], rules) == []


def test_party_balance_is_only_checked_when_a_balance_rule_exists_and_someone_sits():
    """mutants 58, 60: no balance rule, or nobody seated, means no balance warning."""
    a = _sub(1, "A")
    per = CompositionRule(kind=PER_SUBREGION, subregion=None, min_count=0)
    assert _check([a], [_rep(a, party=REGION)], [per]) == []
    assert _check([a], [], [CompositionRule(kind=PARTY_BALANCE)]) == []


@pytest.mark.parametrize(
    ("region", "municipality", "uneven"),
    [(1, 1, False), (1, 2, False), (2, 1, False), (1, 3, True), (3, 1, True), (0, 2, True), (2, 0, True)],
)
def test_party_balance_is_uneven_when_one_side_is_missing_or_more_than_twice_the_other(region, municipality, uneven):
    """mutants 63, 76 and the other boundaries of the balance rule; the message gives both counts."""
    a = _sub(1, "A")
    seats = [_rep(a, party=REGION) for _ in range(region)] + [_rep(a, party=MUNICIPALITY) for _ in range(municipality)]
    findings = _check([a], seats, [CompositionRule(kind=PARTY_BALANCE)])
    assert [f.level for f in findings] == (["warning"] if uneven else [])
    if uneven:
        assert findings[0].message == (
            f"Fördelningen mellan kommun och region är ojämn: {municipality} från kommuner, {region} från regionen."
        )
        assert findings[0].subregion is None


def test_a_vacancy_is_listed_with_its_role_subregion_and_date():
    a = _sub(1, "A")
    since = datetime.date(2026, 3, 1)
    findings = _check(
        [a], [], [], [Vacancy(role=Role.MEMBER, subregion=a, since=since), Vacancy(role=Role.CHAIR, since=since)]
    )
    assert [(f.level, f.subregion, f.message) for f in findings] == [
        ("vacancy", a, "Vakant plats: ledamot för A sedan 2026-03-01."),
        ("vacancy", None, "Vakant plats: ordförande för organet sedan 2026-03-01."),
    ]


# --- documents.services: who wrote a plan, versions, transitions ---------------------------------


@pytest.mark.django_db
def test_plan_authors_are_the_writers_of_this_plan_only(coordinator):
    """plan_author_ids: sections, goals, versions and who sent it on, each counted, for this plan only."""
    from documents.models import Goal

    plan, other = make_plan(), make_plan()
    assert document_rules.plan_author_ids(plan) == {superuser().pk}  # created it: its first version
    section = other.sections.first()
    document_services.section_save(actor=coordinator, section=section, body="<p>Annan plan</p>", base_version=1)
    assert coordinator.pk not in document_rules.plan_author_ids(plan)
    assert coordinator.pk in document_rules.plan_author_ids(other)
    writer = get_user_model().objects.create_superuser("goal-writer")
    document_services.goal_save(actor=writer, goal=Goal(plan=plan, category=Goal.Category.values[0], title="Mål"))
    assert document_rules.plan_author_ids(plan) == {superuser().pk, writer.pk}


@pytest.mark.django_db
def test_a_snapshot_is_numbered_after_the_last_and_signed_by_its_actor(coordinator):
    """plan_snapshot: number last+1, created_by the actor (mutants 14, 15, 20, 24-28)."""
    from documents.models import Goal

    plan = make_plan()
    first = plan.versions.get()
    assert first.number == 1 and first.created_by == superuser() and first.note == "Ny plan"
    document_services.goal_save(actor=coordinator, goal=Goal(plan=plan, category=Goal.Category.values[0], title="Mål"))
    latest = plan.versions.order_by("-number").first()
    assert latest.number == 2 and latest.created_by == coordinator and latest.note == "Mål: Mål"
    same = document_services.plan_snapshot(plan=plan, actor=coordinator)
    assert same == latest  # unchanged text: no new version
    document_services.goal_save(actor=coordinator, goal=Goal(plan=plan, category=Goal.Category.values[0], title="B"))
    assert plan.versions.order_by("-number").first().number == 3
    plan.goals.filter(title="B").update(title="C")  # changed outside the services: the next snapshot records it
    unsigned = document_services.plan_snapshot(plan=plan, actor=AnonymousUser())
    assert unsigned.number == 4 and unsigned.created_by is None and unsigned.note == ""


@pytest.mark.django_db
def test_a_status_change_records_where_it_came_from_and_why(subregion):
    """_transition: from_status, note, and the history row's user and reason (mutants 8, 11, 14, 15, 19-26)."""
    plan = make_plan()
    document_reviews.round_open(
        actor=superuser(), plan=plan, deadline=today() + datetime.timedelta(days=7), subregions=[subregion["Fyrbodal"]]
    )
    step = PlanTransition.objects.get(plan=plan)
    assert (step.from_status, step.to_status, step.note) == ("draft", "in_review", "Skickad på remiss")
    record = ManagementPlan.history.filter(id=plan.pk).order_by("-history_date").first()
    assert record.history_user == superuser() and record.history_change_reason == "Skickad på remiss"
    plan.refresh_from_db()
    document_services._transition(plan, actor=superuser(), to=ManagementPlan.Status.SUBMITTED)
    record = ManagementPlan.history.filter(id=plan.pk).order_by("-history_date").first()
    assert record.history_change_reason == f"Status: {plan.get_status_display()}"
    assert PlanTransition.objects.filter(plan=plan).order_by("-at", "-pk").first().note == ""


# --- permissions: rights on a given day, and no user at all -------------------------------------


@pytest.mark.django_db
def test_rights_are_checked_on_the_day_asked_not_today():
    """is_coordinator(on=...) and is_member_of(on=...) use that day (is_coordinator 4, 6; is_member_of 4, 7)."""
    from .factories import DAY, make_membership, make_person

    gits = make_body(kind=Body.Kind.COORDINATION)
    person = make_person()
    make_membership(body=gits, person=person, role=Role.MEMBER, start=today() - 100 * DAY, end=today() - 10 * DAY)
    user = fresh(person.user)
    assert permissions.is_coordinator(user, on=today() - 50 * DAY) is True
    assert permissions.is_coordinator(user) is False
    assert permissions.is_member_of(user, gits, on=today() - 50 * DAY) is True
    assert permissions.is_member_of(fresh(person.user), gits) is False


@pytest.mark.django_db
def test_no_user_speaks_for_no_subregion():
    assert permissions.represented_subregion_ids(None) == set()
    assert permissions.represented_subregion_ids(AnonymousUser()) == set()


@pytest.mark.django_db
def test_a_clash_message_names_the_other_terms_dates(ref_group, rep_fyrbodal):
    """_fmt shows a term's date, "tills vidare" only when it runs on (_fmt 1)."""
    from django.core.exceptions import ValidationError

    seat = Membership.objects.filter(body=ref_group, person__user=rep_fyrbodal).first()
    twin = Membership(
        body=ref_group, person=seat.person, role=seat.role, subregion=seat.subregion, start_date=seat.start_date
    )
    with pytest.raises(ValidationError) as error:
        governance_services.membership_validate(twin)
    assert seat.start_date.isoformat() in error.value.message_dict["start_date"][0]


# --- documents.services: sanitising, the person behind an account, comparing versions -----------


def test_plan_text_keeps_its_small_set_of_tags_and_links_and_drops_the_rest():
    """core.text.sanitise: only the listed tags, only href on links, rel added (sanitise 2-4, 6, 7, 11-16)."""
    from core.text import sanitise

    clean = sanitise(
        '<table><tr><td colspan="2" style="width:9cm">Cell</td></tr></table><img src="x.png"><p onclick="x()">Text</p>'
        '<blockquote cite="https://example.se">Citat</blockquote>'
        '<a href="https://example.se" hreflang="sv">Länk</a><script>alert(1)</script>'
    )
    # A tag of the list, with only the attributes listed for it (a cell keeps how far it spans).
    assert "<table>" in clean and '<td colspan="2">Cell</td>' in clean
    assert "<img" not in clean and "<script" not in clean and "alert" not in clean
    assert "<p>Text</p>" in clean and "<blockquote>Citat</blockquote>" in clean
    assert '<a href="https://example.se" rel="noopener noreferrer">Länk</a>' in clean


@pytest.mark.django_db
def test_an_account_without_a_person_is_told_why_it_cannot_sign(reader):
    """governance.permissions.require_person raises with the explanation, not an empty error (used by documents and
    meetings alike)."""
    from django.core.exceptions import ValidationError

    from governance import permissions as audit

    with pytest.raises(ValidationError) as error:
        audit.require_person(reader)
    assert error.value.messages == [str(audit.NO_PERSON)]


def _version(sections, goals=()):
    from documents.models import DocumentVersion

    return DocumentVersion(
        content={
            "sections": [{"key": k, "title": t, "body": b} for k, t, b in sections],
            "goals": [{"category": "Kat", "title": g, "description": "Beskr", "status": "Planerad"} for g in goals],
        }
    )


def test_comparing_versions_shows_added_removed_and_changed_sections_and_the_goals():
    """versions_compare: a section only in one version, the goals as one row (versions_compare 10, 12, 38-40, 46, 51)."""
    old = _version([("a", "Syfte", "gammal"), ("gone", "Borttaget", "bort")], goals=["Ett", "Två"])
    new = _version([("a", "Syfte", "ny"), ("added", "Tillagt", "till")], goals=["Ett", "Tre"])
    rows = {r["title"]: r for r in document_services.versions_compare(old, new)}
    assert set(rows) == {"Syfte", "Borttaget", "Tillagt", "Mål (lista)"}
    assert rows["Syfte"]["changed"] and rows["Syfte"]["diff"] == "<del>gammal</del><ins>ny</ins>"
    assert rows["Borttaget"]["diff"] == "<del>bort</del>"
    assert rows["Tillagt"]["diff"] == "<ins>till</ins>"
    goals = rows["Mål (lista)"]["diff"]
    assert "Kat: Ett – Beskr (Planerad)\nKat: " in goals and "XX" not in goals
    same = document_services.versions_compare(old, old)
    assert not any(r["changed"] for r in same)


# --- documents.reviews.round_send_reminders ----------------------------------------------------


def _open_round(sub, deadline):
    plan = make_plan()
    return document_reviews.round_open(actor=superuser(), plan=plan, deadline=deadline, subregions=[sub])


def _simba_reps(*emails, start=None):
    from .factories import make_membership, make_person

    simba_body = make_body()
    CompositionRule.objects.create(body=simba_body, kind=PER_SUBREGION, subregion=None, min_count=0)
    for email in emails:
        make_membership(
            body=simba_body,
            person=make_person(email=email),
            subregion=Subregion.objects.get(short_name="SIMBA"),
            start=start,
        )


@pytest.mark.django_db
def test_reminders_go_to_representatives_with_an_address_once_a_day(subregion, mailoutbox):
    """round_send_reminders: e-mail addresses only (44, 47), once a day (28), and next day again."""
    _simba_reps("simba-rep@example.se", "")
    review = _open_round(subregion["SIMBA"], today() + datetime.timedelta(days=2))
    expected = sorted(
        set(
            Membership.objects.current()
            .representatives()
            .filter(subregion=subregion["SIMBA"])
            .exclude(person__email="")
            .values_list("person__email", flat=True)
        )
    )
    assert document_reviews.round_send_reminders(today=today()) == len(expected)
    assert mailoutbox[-1].to == expected and "" not in mailoutbox[-1].to
    assert "simba-rep@example.se" in expected
    assert document_reviews.round_send_reminders(today=today()) == 0
    review.refresh_from_db()
    assert review.reminded_at is not None
    assert document_reviews.round_send_reminders(today=today() + datetime.timedelta(days=1)) == len(expected)
    from django.utils import timezone

    from documents.models import ReviewRound

    yesterday = today() - datetime.timedelta(days=1)
    ReviewRound.objects.filter(pk=review.pk).update(reminded_at=timezone.now() - datetime.timedelta(days=1))
    assert document_reviews.round_send_reminders(today=yesterday) == 0  # the day it was reminded, not today (28)


@pytest.mark.django_db
def test_reminders_start_three_days_before_the_deadline_and_stop_after_it(subregion, mailoutbox):
    """days_before defaults to 3 (1); rounds past their deadline (11) or closed (10) are not reminded."""
    _simba_reps("simba-rep@example.se")
    deadline = today() + datetime.timedelta(days=4)
    review = _open_round(subregion["SIMBA"], deadline)
    assert document_reviews.round_send_reminders(today=today()) == 0
    assert document_reviews.round_send_reminders(today=deadline + datetime.timedelta(days=1)) == 0
    document_reviews.round_close(actor=superuser(), round_=review)
    assert document_reviews.round_send_reminders(today=deadline) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_every_waiting_round_is_reminded_and_counted(subregion, mailoutbox):
    """A round reminded today does not stop the others (30); the count adds up over rounds (80)."""
    from django.utils import timezone

    from documents.models import ReviewRound

    _simba_reps("simba-rep@example.se")
    rounds = [_open_round(subregion["SIMBA"], today() + datetime.timedelta(days=2)) for _ in range(3)]
    ReviewRound.objects.filter(pk=rounds[1].pk).update(reminded_at=timezone.now())  # the middle one, either order
    total = document_reviews.round_send_reminders(today=today())
    assert len(mailoutbox) == 2
    assert total == sum(len(m.to) for m in mailoutbox) and total >= 2


@pytest.mark.django_db
def test_reminders_use_the_memberships_running_on_the_day_given(subregion, mailoutbox):
    """Membership.objects.current(today), not the real today (46)."""
    _simba_reps("later-rep@example.se", start=today() + datetime.timedelta(days=1))
    _open_round(subregion["SIMBA"], today() + datetime.timedelta(days=3))
    document_reviews.round_send_reminders(today=today() + datetime.timedelta(days=1))
    assert "later-rep@example.se" in mailoutbox[-1].to


# --- meetings.services: who wrote the minutes, the summary --------------------------------------


@pytest.mark.django_db
def test_whoever_saved_an_item_or_a_position_of_this_meeting_is_a_writer_of_its_minutes():
    """minutes_writer_ids: item, position and action writers of this meeting, as Person ids (4-32)."""
    from governance.models import Person
    from meetings import services as meeting_services
    from meetings.models import AgendaItem, Decision

    from .factories import add_item, make_meeting, make_secretary

    meeting = make_meeting()
    item_writer, position_writer, action_writer, elsewhere = (make_secretary(meeting.body) for _ in range(4))
    item = meeting_services.agenda_item_save(actor=item_writer, item=AgendaItem(meeting=meeting, title="Punkt"))
    meeting_services.decision_add(actor=position_writer, item=item, kind=Decision.Kind.DECISION, text="Beslut")
    meeting_services.action_add(actor=action_writer, item=item, text="Gör", owner="Ägare")
    other = make_meeting(meeting.body, secretary=meeting.secretary.user, date=today() + datetime.timedelta(days=7))
    meeting_services.agenda_item_save(actor=elsewhere, item=AgendaItem(meeting=other, title="Annan"))
    add_item(other)
    ids = meeting_services.minutes_writer_ids(meeting)
    person = {u: Person.objects.get(user=u).pk for u in (item_writer, position_writer, action_writer, elsewhere)}
    assert ids == {meeting.secretary_id, person[item_writer], person[position_writer], person[action_writer]}


@pytest.mark.django_db
def test_the_summary_groups_each_subregions_actions_under_it(subregion):
    """summary()["by_subregion"]: (subregion, its actions), by short name (summary 17, 28, 29)."""
    from meetings import services as meeting_services

    from .factories import add_item, make_meeting, secretary_of

    meeting = make_meeting()
    item = add_item(meeting)
    actor = secretary_of(meeting)
    skaraborg = meeting_services.action_add(
        actor=actor, item=item, text="S", owner="Ägare", subregion=subregion["Skaraborg"]
    )
    fyrbodal = meeting_services.action_add(
        actor=actor, item=item, text="F", owner="Ägare", subregion=subregion["Fyrbodal"]
    )
    meeting_services.action_add(actor=actor, item=item, text="Alla", owner="Ägare")
    result = meeting_services.summary(meeting)
    assert result["by_subregion"] == [(subregion["Fyrbodal"], [fyrbodal]), (subregion["Skaraborg"], [skaraborg])]
    assert len(result["actions"]) == 3 and result["items"] == [item]


@pytest.mark.django_db
def test_a_versions_goals_are_listed_by_category_then_position():
    """plan_content orders goals by category, then position (plan_content 25, 26)."""
    from documents.models import Goal

    plan = make_plan()
    first = Goal.objects.create(plan=plan, category=Goal.Category.MAINTENANCE, title="M-först", position=1)
    Goal.objects.create(plan=plan, category=Goal.Category.DEVELOPMENT, title="U", position=5)
    second = Goal.objects.create(plan=plan, category=Goal.Category.MAINTENANCE, title="M-sist", position=2)
    Goal.objects.filter(pk=first.pk).update(position=3)  # moved last: position, not creation order, counts
    titles = [g["title"] for g in document_services.plan_content(plan)["goals"]]
    assert titles == ["U", "M-sist", "M-först"] and second.position == 2


def test_an_edit_conflict_tells_the_user_someone_else_saved():
    assert str(document_services.EditConflict(None)) == "Någon annan har sparat avsnittet sedan du öppnade det."


@pytest.mark.django_db
def test_each_kind_of_writing_makes_an_author_of_that_plan_only(subregion):
    """plan_author_ids: section and goal history, versions, sending on, dispositions; each source on its own, for
    this plan only; sending a plan back is not writing it (plan_author_ids 7-57)."""
    from core.audit import save
    from documents.models import Comment, Goal
    from governance.models import Person

    from .factories import make_person

    plan, other = make_plan(), make_plan()  # their versions are the factory administrator's
    section_u, goal_u, sent_u, disposed_u, back_u, other_u = (make_person().user for _ in range(6))
    section = plan.sections.first()
    section.body = "<p>Text</p>"
    save(section, actor=section_u, reason="Skrivet")
    save(Goal(plan=plan, category=Goal.Category.MAINTENANCE, title="Mål", position=1), actor=goal_u, reason="Mål")
    PlanTransition.objects.create(plan=plan, from_status="draft", to_status="submitted", by=sent_u)
    PlanTransition.objects.create(plan=plan, from_status="submitted", to_status="draft", by=back_u)
    deadline = today() + datetime.timedelta(days=7)
    for p, disposer in ((plan, Person.objects.get(user=disposed_u)), (other, Person.objects.get(user=other_u))):
        round_ = document_reviews.round_open(
            actor=superuser(), plan=p, deadline=deadline, subregions=[subregion["Fyrbodal"]]
        )
        Comment.objects.create(
            round=round_, author=make_person(), text="K", disposition="accepted", disposition_by=disposer
        )
    Comment.objects.create(
        round=plan.rounds.get(),
        author=make_person(),
        text="K",
        disposition="accepted",
        disposition_by=make_person(user=False),
    )
    other_section = other.sections.first()
    save(other_section, actor=other_u, reason="Annan plan")
    expected = {superuser().pk, section_u.pk, goal_u.pk, sent_u.pk, disposed_u.pk}
    assert document_rules.plan_author_ids(plan) == expected


def test_minutes_plans_and_responses_are_sanitised_with_the_one_tag_list():
    """One allowed-tag list (core.text.ALLOWED_TAGS) for every kind of rich text: the services use core's sanitise."""
    from core import text
    from documents import reviews
    from documents import services as document_services
    from meetings import services as meeting_services

    assert meeting_services.sanitise is text.sanitise
    assert document_services.sanitise is text.sanitise
    assert reviews.sanitise is text.sanitise
    clean = text.sanitise('<img src="x.png"><blockquote cite="https://example.se">Citat</blockquote><script>1</script>')
    assert clean == "<blockquote>Citat</blockquote>"
    assert text.sanitise(None) == "" and text.sanitise("") == ""


@pytest.mark.django_db
def test_a_meeting_without_a_secretary_or_chair_has_no_empty_writer_or_signatory():
    """minutes_writer_ids adds the secretary only when there is one (50, 51); _signatories skips a missing chair (4)."""
    from meetings import services as meeting_services

    from .factories import make_meeting

    meeting = make_meeting(chair=None)
    assert meeting.secretary_id in meeting_services.minutes_writer_ids(meeting)
    assert meeting_services.signatories(meeting) == list(meeting.adjusters.all())
    meeting.secretary = None
    assert None not in meeting_services.minutes_writer_ids(meeting)


@pytest.mark.django_db
def test_a_one_day_term_is_valid_and_a_later_term_of_the_same_seat_does_not_clash():
    """membership_validate: end == start is allowed (4); only terms overlapping this one's dates clash (14)."""
    from .factories import DAY, make_membership, make_person

    body, person = make_body(), make_person()
    one_day = Membership(body=body, person=person, role=Role.MEMBER, start_date=today(), end_date=today())
    governance_services.membership_validate(one_day)
    make_membership(body=body, person=person, role=Role.MEMBER, start=today() + 10 * DAY)
    earlier = Membership(body=body, person=person, role=Role.MEMBER, start_date=today() - 30 * DAY, end_date=today())
    governance_services.membership_validate(earlier)


@pytest.mark.django_db
def test_a_saved_term_does_not_clash_with_itself_nor_with_the_same_persons_other_role():
    """membership_validate excludes the term itself (17) and clashes only in the same role (23)."""
    from .factories import make_membership, make_person

    body, person = make_body(), make_person()
    seat = make_membership(body=body, person=person, role=Role.MEMBER)
    governance_services.membership_validate(seat)
    other_role = Membership(body=body, person=person, role=Role.SECRETARY, start_date=seat.start_date)
    governance_services.membership_validate(other_role)


@pytest.mark.django_db
def test_each_seat_refusal_points_at_its_field_with_its_message(admin_fyrbodal, subregion, ref_group):
    """seat_refusals: {field: message} per rule (seat_refusals 3-46): the form shows it on that field."""
    P, R = permissions, governance_rules
    admin = fresh(admin_fyrbodal)
    fyr = subregion["Fyrbodal"]

    def refusals(user, body=ref_group, role=Role.MEMBER, sub=fyr, person=None):
        return R.seat_refusals(user, body=body, role=role, subregion=sub, person=person)

    assert refusals(None) == {"__all__": str(R.SEAT_NEEDS_COORDINATOR)}
    inactive = get_user_model().objects.create_user("inaktiv", is_active=False)
    assert refusals(inactive) == {"__all__": str(R.SEAT_NEEDS_COORDINATOR)}
    assert refusals(admin, person=P.person_of(admin)) == {"person": str(R.SELF_SEAT)}
    assert refusals(admin, sub=None) == {"subregion": str(R.SEAT_NEEDS_COORDINATOR)}
    assert refusals(admin, sub=subregion["Skaraborg"]) == {"subregion": str(R.SEAT_OWN_SUBREGION)}
    gits = make_body(kind=Body.Kind.COORDINATION)
    assert refusals(admin, body=gits) == {"subregion": str(R.SEAT_NOT_IN_COORDINATING_BODY % {"b": gits})}
    assert refusals(admin, role=Role.SECRETARY) == {"role": str(R.SEAT_ROLE_NOT_FOR_SUBREGION % {"r": "sekreterare"})}
    assert refusals(admin, role="okand") == {"role": str(R.SEAT_ROLE_NOT_FOR_SUBREGION % {"r": "okand"})}
    assert refusals(admin) == {}
