"""Management plans and review rounds, read side and check side: `visible_to(user)` querysets agree with the rules,
detail pages answer 404 outside the scope and 403 inside it, the state-aware checks say why, saving and submitting a
joint response is one transaction, and every documents write leaves history with a user and a reason."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents import querysets, reviews, rules, services, waiting
from documents.models import Comment, DocumentVersion, JointResponse, ManagementPlan, PlanSection, ReviewRound
from governance import permissions

from .factories import make_plan, superuser

pytestmark = pytest.mark.django_db
Status = ManagementPlan.Status
ROLES = ["reader", "rep_fyrbodal", "rep_skaraborg", "admin_fyrbodal", "coordinator", "preparer", "admin_user"]


@pytest.fixture
def plan2026(db):
    return ManagementPlan.objects.get(year=2026)


@pytest.fixture
def plan2027(db):
    return ManagementPlan.objects.get(year=2027)


@pytest.fixture
def round2027(db):
    return ReviewRound.objects.get(document__plan__year=2027)


def _user(request, role):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


# --- the public answer -----------------------------------------------------------------------------------


def test_anonymous_users_may_read_a_plan_in_force_and_no_draft(plan2026, plan2027):
    assert permissions.can(AnonymousUser(), rules.VIEW_PLAN, plan2026)
    assert permissions.can(None, rules.VIEW_PLAN, plan2026)
    assert not permissions.can(AnonymousUser(), rules.VIEW_PLAN, plan2027)
    assert list(ManagementPlan.objects.visible_to(AnonymousUser())) == list(ManagementPlan.objects.public())


def test_the_querysets_public_statuses_are_the_models():
    assert set(querysets.PUBLIC_STATUSES) == set(ManagementPlan.PUBLIC_STATUSES)


# --- the querysets say what the rules say ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_plan_scope_is_the_view_rule(request, role, plan2027):
    user = _user(request, role)
    make_plan()  # a draft nobody's subregion has on review
    visible = set(ManagementPlan.objects.visible_to(user).values_list("pk", flat=True))
    for plan in ManagementPlan.objects.prefetch_related("document__rounds__subregions"):
        assert (plan.pk in visible) == permissions.can(user, rules.VIEW_PLAN, plan), (role, plan)
        worked = set(ManagementPlan.objects.worked_on_by(user).values_list("pk", flat=True))
        assert (plan.pk in worked) == rules.works_with_plan(user, plan), (role, plan)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_round_and_comment_scope_is_the_rounds_audience(request, role, round2027, rep_fyrbodal):
    user = _user(request, role)
    reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Bra.")
    audience = permissions.can(user, rules.EDIT_PLAN, round2027.plan) or permissions.can(user, rules.COMMENT, round2027)
    assert ReviewRound.objects.visible_to(user).filter(pk=round2027.pk).exists() == audience
    assert Comment.objects.visible_to(user).filter(round=round2027).exists() == audience


def test_a_round_that_did_not_ask_a_subregion_is_out_of_its_scope(coordinator, rep_skaraborg, rep_fyrbodal):
    plan = make_plan(actor=coordinator)
    fyrbodal = permissions.represented_subregion_ids(rep_fyrbodal)
    from governance.models import Subregion

    review = reviews.round_open(
        actor=coordinator,
        plan=plan,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        subregions=list(Subregion.objects.filter(pk__in=fyrbodal)),
    )
    assert ReviewRound.objects.visible_to(rep_fyrbodal).filter(pk=review.pk).exists()
    assert not ReviewRound.objects.visible_to(rep_skaraborg).filter(pk=review.pk).exists()
    assert ManagementPlan.objects.visible_to(rep_fyrbodal).filter(pk=plan.pk).exists()
    assert not ManagementPlan.objects.visible_to(rep_skaraborg).filter(pk=plan.pk).exists()


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_joint_response_scope(request, role, round2027, rep_fyrbodal):
    user = _user(request, role)
    draft = round2027.responses.get(subregion__slug="fyrbodal")
    submitted = round2027.responses.get(subregion__slug="skaraborg")
    skaraborg_rep = request.getfixturevalue("rep_skaraborg")
    reviews.response_save(
        actor=skaraborg_rep, response=submitted, text="<p>Ja.</p>", base_version=submitted.version, submit=True
    )
    visible = set(JointResponse.objects.visible_to(user).values_list("pk", flat=True))
    for response in (draft, submitted):
        respond = permissions.can(user, rules.RESPOND, (round2027, response.subregion))
        coordinator_reads = permissions.is_coordinator(user) and response.pk == submitted.pk
        assert (response.pk in visible) == (respond or coordinator_reads), (role, response.subregion)


@pytest.mark.parametrize("role", ["anonymous", "reader", "rep_fyrbodal", "coordinator"])
def test_version_scope_the_public_sees_only_the_decided_text(request, role, plan2026, plan2027):
    user = _user(request, role)
    numbers = set(
        DocumentVersion.objects.visible_to(user).filter(document__plan=plan2026).values_list("number", flat=True)
    )
    latest = plan2026.versions.order_by("-number").first().number
    if rules.works_with_plan(user, plan2026):
        assert numbers == set(plan2026.versions.values_list("number", flat=True))
    else:
        assert numbers == {latest}
    drafts = DocumentVersion.objects.visible_to(user).filter(document__plan=plan2027).exists()
    assert drafts == rules.works_with_plan(user, plan2027)


def test_each_scope_is_one_query(rep_fyrbodal):
    permissions.represented_subregion_ids(rep_fyrbodal)  # the role facts, cached on the user for the request
    permissions.is_coordinator(rep_fyrbodal)
    for queryset in (
        ManagementPlan.objects.visible_to(rep_fyrbodal),
        DocumentVersion.objects.visible_to(rep_fyrbodal),
        ReviewRound.objects.visible_to(rep_fyrbodal),
        Comment.objects.visible_to(rep_fyrbodal),
        JointResponse.objects.visible_to(rep_fyrbodal),
    ):
        with CaptureQueriesContext(connection) as queries:
            list(queryset)
        assert len(queries) == 1, queryset.model


# --- 404 outside, 403 inside ------------------------------------------------------------------------------


def test_plan_pages_are_not_found_outside_and_forbidden_inside(client, reader, rep_fyrbodal, plan2027):
    client.force_login(reader)
    for path in ("", "versioner/", "jamfor/?a=1&b=2", "pdf/", "historik/", "mal/nytt/", "remiss/ny/"):
        assert client.get(f"/forvaltningsplaner/{plan2027.pk}/{path}").status_code == 404, path
    section = plan2027.sections.first()
    assert client.get(f"/forvaltningsplaner/avsnitt/{section.pk}/andra/").status_code == 404
    client.force_login(rep_fyrbodal)  # its subregion has the draft on review: reads, may not write
    for path in ("mal/nytt/", "remiss/ny/", "stallningstagande/"):
        assert client.get(f"/forvaltningsplaner/{plan2027.pk}/{path}").status_code == 403, path
    assert client.get(f"/forvaltningsplaner/avsnitt/{section.pk}/andra/").status_code == 403
    assert client.post(f"/forvaltningsplaner/{plan2027.pk}/lamna-in/").status_code == 403


def test_round_pages_are_not_found_outside_and_forbidden_inside(client, reader, rep_fyrbodal, round2027):
    client.force_login(reader)
    for path in ("", "svar/fyrbodal/", "sammanstallning.pdf"):
        assert client.get(f"/remisser/{round2027.pk}/{path}").status_code == 404, path
    assert client.post(f"/remisser/{round2027.pk}/stang/").status_code == 404
    client.force_login(rep_fyrbodal)
    comment = reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Bra.")
    post = {"action": "dispose", "target": comment.pk, f"d{comment.pk}-disposition": "accepted"}
    assert client.post(f"/remisser/{round2027.pk}/", post).status_code == 403
    assert client.post(f"/remisser/{round2027.pk}/stang/").status_code == 403
    assert client.get(f"/remisser/{round2027.pk}/svar/skaraborg/").status_code == 404  # another subregion's draft


def test_a_coordinator_reads_a_submitted_response_and_may_not_change_it(client, coordinator, rep_fyrbodal, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    url = f"/remisser/{round2027.pk}/svar/fyrbodal/"
    client.force_login(coordinator)
    assert client.get(url).status_code == 404  # a draft is the subregion's own
    reviews.response_save(
        actor=rep_fyrbodal, response=response, text="<p>Ja.</p>", base_version=response.version, submit=True
    )
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Ändrat", "base_version": response.version + 1}).status_code == 403


def test_the_public_compares_no_draft_version_of_a_plan_in_force(client, plan2026):
    latest = plan2026.versions.order_by("-number").first().number
    page = client.get(f"/forvaltningsplaner/{plan2026.pk}/jamfor/?a=1&b={latest}")
    assert latest > 1 and page.status_code == 400 and "ingen version 1" in page.content.decode()
    assert client.get(f"/forvaltningsplaner/{plan2026.pk}/pdf/").status_code == 200


# --- the checks: one message per state ----------------------------------------------------------------------


def test_plan_edit_check_per_state(coordinator, rep_fyrbodal):
    plan = make_plan(actor=coordinator)
    assert rules.plan_edit_check(coordinator, plan) == []
    assert rules.plan_edit_check(rep_fyrbodal, plan) == [str(permissions.NOT_ALLOWED)]
    for status in (Status.SUBMITTED, Status.IN_FORCE, Status.ARCHIVED):
        plan.status = status
        label = str(Status(status).label).lower()
        assert rules.plan_edit_check(coordinator, plan) == [rules.PLAN_LOCKED % {"s": label}]
    plan.status = Status.IN_REVIEW
    assert rules.plan_edit_check(coordinator, plan) == []


def test_decide_check_per_state(coordinator, preparer, plan2027):
    assert rules.decide_check(coordinator, plan2027) == [str(permissions.NOT_ALLOWED)]
    assert rules.decide_check(preparer, plan2027) == [rules.POSITION_NEEDS_SUBMITTED % {"s": "på remiss"}]
    assert rules.decide_check(preparer, plan2027, refer_back=True) == [
        rules.REFER_BACK_NEEDS_SUBMITTED % {"s": "på remiss"}
    ]
    admin = superuser()
    plan = make_plan(actor=admin)  # the administrator wrote it: may not decide on it
    services.plan_submit(actor=coordinator, plan=plan)
    assert rules.decide_check(preparer, plan) == []
    assert rules.decide_check(admin, plan) == [str(rules.AUTHOR_MAY_NOT_DECIDE)]
    with pytest.raises(ValidationError) as error:
        services.plan_record_position(actor=admin, plan=plan, date=timezone.localdate())
    assert error.value.messages == [str(rules.AUTHOR_MAY_NOT_DECIDE)]


def test_submit_check_counts_the_comments_without_a_position(coordinator, rep_fyrbodal, round2027):
    plan = round2027.plan
    before = Comment.objects.filter(round__document__plan=plan, parent__isnull=True, disposition="").count()
    reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Oklart.")
    refusal = rules.COMMENTS_WITHOUT_DISPOSITION % {"n": before + 1}
    assert rules.submit_check(coordinator, plan) == [refusal]
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=coordinator, plan=plan)
    assert error.value.messages == [refusal]


def test_lifecycle_checks_of_a_plan_in_force(coordinator, plan2026, plan2027):
    assert rules.follow_up_check(coordinator, plan2026) == []
    assert rules.follow_up_check(coordinator, plan2027) == [str(rules.FOLLOW_UP_NEEDS_IN_FORCE)]
    assert rules.start_next_check(coordinator, plan2026) == []
    assert rules.start_next_check(coordinator, plan2027) == [rules.NEXT_YEAR_NEEDS_IN_FORCE % {"s": "på remiss"}]
    assert rules.archive_check(coordinator, plan2027) == [str(rules.ARCHIVE_NEEDS_IN_FORCE)]
    during = datetime.date(plan2026.year, 6, 1)
    assert rules.archive_check(coordinator, plan2026, today=during) == [rules.ARCHIVE_AFTER_YEAR % {"y": 2026}]
    assert rules.archive_check(coordinator, plan2026, today=datetime.date(plan2026.year + 1, 1, 1)) == []


def test_round_checks_per_state(coordinator, rep_fyrbodal, admin_user, round2027, plan2026):
    assert rules.round_open_check(coordinator, round2027.plan) == [str(rules.ROUND_ALREADY_OPEN)]
    assert rules.round_open_check(coordinator, plan2026) == [str(rules.ROUND_NEEDS_DRAFT)]
    assert rules.comment_check(rep_fyrbodal, round2027) == []
    assert rules.comment_check(admin_user, round2027) == [str(permissions.NO_PERSON)]
    comment = reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Bra.")
    reply = reviews.comment_add(actor=coordinator, round_=round2027, parent=comment, text="Tack.")
    assert rules.dispose_check(coordinator, comment) == []
    assert rules.dispose_check(coordinator, reply) == [str(rules.DISPOSE_THE_ROOT)]
    assert rules.dispose_check(rep_fyrbodal, comment) == [str(permissions.NOT_ALLOWED)]
    assert rules.round_close_check(coordinator, round2027) == []
    reviews.round_close(actor=coordinator, round_=round2027)
    assert rules.round_close_check(coordinator, round2027) == [str(rules.ROUND_ALREADY_CLOSED)]
    assert rules.comment_check(rep_fyrbodal, round2027) == [str(rules.ROUND_CLOSED_FOR_COMMENTS)]
    with pytest.raises(ValidationError) as error:
        reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Sent.")
    assert error.value.messages == [str(rules.ROUND_CLOSED_FOR_COMMENTS)]
    round2027.plan.status = Status.SUBMITTED
    assert rules.dispose_check(coordinator, comment) == [str(rules.DISPOSITIONS_LOCKED)]


def test_response_edit_check_per_state(coordinator, rep_fyrbodal, rep_skaraborg, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    assert rules.response_edit_check(rep_fyrbodal, response) == []
    assert rules.response_edit_check(rep_skaraborg, response) == [str(permissions.NOT_ALLOWED)]
    assert rules.response_edit_check(coordinator, response) == [str(permissions.NOT_ALLOWED)]
    reviews.round_close(actor=coordinator, round_=round2027)
    response.round.closed_at = timezone.now()
    assert rules.response_edit_check(rep_fyrbodal, response) == [str(rules.ROUND_CLOSED)]
    response.submitted_at = timezone.now()
    assert rules.response_edit_check(rep_fyrbodal, response) == [str(rules.RESPONSE_SUBMITTED)]


# --- one intent, one call -------------------------------------------------------------------------------------


def test_saving_and_submitting_a_response_is_one_call(rep_fyrbodal, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    saved = reviews.response_save(
        actor=rep_fyrbodal, response=response, text="<p>Vi står bakom.</p>", base_version=response.version, submit=True
    )
    before = response.version
    saved.refresh_from_db()
    assert saved.is_submitted and saved.text == "<p>Vi står bakom.</p>" and saved.version == before + 1
    rows = list(JointResponse.history.filter(id=response.pk).order_by("history_date", "history_id"))[-2:]
    assert [r.history_change_reason for r in rows] == ["Utkast till gemensamt svar sparat", "Gemensamt svar inskickat"]
    assert all(r.history_user_id == rep_fyrbodal.pk for r in rows)


def test_a_refused_submission_saves_nothing(client, rep_fyrbodal, admin_user, round2027):
    """Save and submit is one transaction: when the submission is refused, the text is not saved either (it stays
    on the form, so nothing typed is lost)."""
    response = round2027.responses.get(subregion__slug="fyrbodal")
    text, version = response.text, response.version
    rows = JointResponse.history.filter(id=response.pk).count()
    with pytest.raises(ValidationError):  # the administrator has no person to sign with
        reviews.response_save(
            actor=admin_user, response=response, text="<p>Text.</p>", base_version=response.version, submit=True
        )
    with pytest.raises(ValidationError):  # nothing to submit
        reviews.response_save(
            actor=rep_fyrbodal, response=response, text="  ", base_version=response.version, submit=True
        )
    response.refresh_from_db()
    assert response.text == text and response.version == version and not response.is_submitted
    assert JointResponse.history.filter(id=response.pk).count() == rows
    client.force_login(admin_user)
    data = {"text": "Min text", "base_version": response.version, "submit": 1}
    page = client.post(f"/remisser/{round2027.pk}/svar/fyrbodal/", data)
    assert page.status_code == 200 and "Min text" in page.content.decode()
    response.refresh_from_db()
    assert response.text == text and not response.is_submitted


def test_a_submitted_response_refuses_another_save(rep_fyrbodal, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    reviews.response_save(
        actor=rep_fyrbodal, response=response, text="<p>Ja.</p>", base_version=response.version, submit=True
    )
    response.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        reviews.response_save(actor=rep_fyrbodal, response=response, text="<p>Nej.</p>", base_version=response.version)
    assert error.value.messages == [str(rules.RESPONSE_SUBMITTED)]


# --- history: every write with a user and a reason -------------------------------------------------------------


def test_response_save_writes_a_history_row_with_user_and_reason(rep_fyrbodal, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    reviews.response_save(actor=rep_fyrbodal, response=response, text="<p>Utkast.</p>", base_version=response.version)
    row = JointResponse.history.filter(id=response.pk).latest("history_date")
    assert row.history_user_id == rep_fyrbodal.pk and row.history_change_reason
    assert row.text == "<p>Utkast.</p>" and row.version == response.version + 1


def test_a_stale_response_save_is_a_conflict_and_writes_nothing(rep_fyrbodal, round2027):
    response = round2027.responses.get(subregion__slug="fyrbodal")
    stale = response.version
    reviews.response_save(actor=rep_fyrbodal, response=response, text="<p>Först.</p>", base_version=stale)
    rows = JointResponse.history.filter(id=response.pk).count()
    with pytest.raises(services.EditConflict) as conflict:
        reviews.response_save(actor=rep_fyrbodal, response=response, text="<p>Sent.</p>", base_version=stale)
    assert conflict.value.current.text == "<p>Först.</p>"
    assert JointResponse.history.filter(id=response.pk).count() == rows


def test_section_save_writes_a_history_row_with_user_and_reason(coordinator, plan2027):
    section = plan2027.sections.get(key="purpose")
    services.section_save(actor=coordinator, section=section, body="<p>Nytt syfte.</p>", base_version=section.revision)
    row = PlanSection.history.filter(id=section.pk).latest("history_date")
    assert row.history_user_id == coordinator.pk and row.history_change_reason == "Avsnittet Syfte ändrat"
    assert row.body == "<p>Nytt syfte.</p>"
    version = plan2027.versions.order_by("-number").first()
    assert version.created_by_id == coordinator.pk and version.note == "Avsnittet Syfte ändrat"


def test_plan_services_leave_history_with_user_and_reason(coordinator, rep_fyrbodal):
    """Walk a plan through its services: every history row written names the actor and a reason, and the rows
    without history (transitions, versions) name who did it."""
    from documents.models import Goal, PlanTransition
    from governance.models import Subregion

    start = timezone.now()
    plan = make_plan(actor=coordinator)
    goal = services.goal_save(actor=coordinator, goal=Goal(plan=plan, category="maintenance", title="Ett mål"))
    services.goal_delete(actor=coordinator, goal=goal)
    review = reviews.round_open(
        actor=coordinator,
        plan=plan,
        deadline=timezone.localdate() + datetime.timedelta(days=2),
        subregions=list(Subregion.objects.filter(pk__in=permissions.represented_subregion_ids(rep_fyrbodal))),
    )
    assert reviews.round_send_reminders() >= 0
    reviews.round_close(actor=coordinator, round_=review)
    services.plan_submit(actor=coordinator, plan=plan)
    for model in (ManagementPlan, PlanSection, Goal, ReviewRound, JointResponse):
        rows = model.history.filter(history_date__gte=start)
        assert rows.exists(), model
        for row in rows:
            assert row.history_change_reason, (model, row.history_type)
            if row.history_change_reason != "Påminnelse om remissvar skickad":  # the daily command, no user
                assert row.history_user_id == coordinator.pk, (model, row.history_change_reason)
    m2m = ReviewRound.subregions.through.history if hasattr(ReviewRound.subregions.through, "history") else None
    assert m2m is None or all(r.history_user_id == coordinator.pk for r in m2m.all())
    assert all(t.by_id == coordinator.pk for t in PlanTransition.objects.filter(plan=plan))
    assert all(v.created_by_id == coordinator.pk for v in plan.versions.all())


# --- the start page's panel --------------------------------------------------------------------------------


class _Request:
    def __init__(self, user):
        self.user = user


def test_the_start_page_panel_says_what_waits(reader, rep_fyrbodal, coordinator, round2027):
    assert waiting.reviews_waiting(_Request(reader)) is None
    assert waiting.reviews_waiting(_Request(AnonymousUser())) is None
    panel = waiting.reviews_waiting(_Request(rep_fyrbodal))
    assert [r.subregion.slug for r in panel["to_answer"]] == ["fyrbodal"]
    response = round2027.responses.get(subregion__slug="fyrbodal")
    reviews.response_save(
        actor=rep_fyrbodal, response=response, text="<p>Ja.</p>", base_version=response.version, submit=True
    )
    assert (
        waiting.reviews_waiting(_Request(rep_fyrbodal)) is None
        or not waiting.reviews_waiting(_Request(rep_fyrbodal))["to_answer"]
    )
    reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Oklart.")
    follow = waiting.reviews_waiting(_Request(coordinator))["to_follow_up"]
    assert [r.pk for r in follow] == [round2027.pk] and follow[0].undisposed >= 1


def test_the_view_refuses_what_the_rule_refuses(coordinator):
    with pytest.raises(PermissionDenied):
        rules.require_comment(AnonymousUser(), ReviewRound.objects.first())


def test_the_plan_page_links_only_the_rounds_the_reader_is_asked_in(client, coordinator, rep_fyrbodal, rep_skaraborg):
    from governance.models import Subregion

    plan = make_plan(actor=coordinator)
    deadline = timezone.localdate() + datetime.timedelta(days=10)

    def subregion_of(user):
        return list(Subregion.objects.filter(pk__in=permissions.represented_subregion_ids(user)))

    first = reviews.round_open(actor=coordinator, plan=plan, deadline=deadline, subregions=subregion_of(rep_fyrbodal))
    reviews.round_close(actor=coordinator, round_=first)
    second = reviews.round_open(actor=coordinator, plan=plan, deadline=deadline, subregions=subregion_of(rep_skaraborg))
    client.force_login(rep_fyrbodal)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f"/remisser/{first.pk}/" in page and f"/remisser/{second.pk}/" not in page
    assert client.get(f"/remisser/{second.pk}/").status_code == 404
    client.force_login(coordinator)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f"/remisser/{first.pk}/" in page and f"/remisser/{second.pk}/" in page


def test_the_plan_page_says_why_the_plan_cannot_be_submitted_yet(client, coordinator, rep_fyrbodal, round2027):
    reviews.comment_add(actor=rep_fyrbodal, round_=round2027, text="Oklart.")
    client.force_login(coordinator)
    page = client.get(round2027.plan.get_absolute_url()).content.decode()
    assert rules.submit_check(coordinator, round2027.plan)[0] in page
