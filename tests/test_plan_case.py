"""A management plan's path as a case: submitted by the coordinators (raised for GITS, sent to Gemensam beredning for
VVG's decision), decided or referred back when the preparer records VVG's answer, sent again when resubmitted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from documents import reviews, services
from documents.models import Comment, ManagementPlan
from governance.case_models import Case, CaseStep
from governance.models import Body, BodyStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator):
    plan = ManagementPlan.objects.get(year=2027)
    for c in Comment.objects.filter(round__document__plan=plan, parent__isnull=True):
        reviews.comment_dispose(actor=coordinator, comment=c, disposition="accepted", reason="")
    return plan


def steps(case):
    return list(case.steps.values_list("kind", "from_body__slug", "to_body__slug", "actor__username"))


def test_submission_raises_a_case_for_gits_and_sends_it_to_gemensam_beredning_for_vvg(coordinator, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    case = plan.case
    assert case.title == "Förvaltningsplan SHVO 2027"
    assert (case.raised_by.slug, case.owner.slug, case.preparing_body.slug) == ("gits", "vvg", "gemensam-beredning")
    assert case.status == Case.Status.PREPARING
    assert steps(case) == [
        ("raised", None, "gits", "samordnare"),
        ("preparing", "gits", "gemensam-beredning", "samordnare"),
    ]
    assert list(case.links.values_list("title", "address")) == [(str(plan), plan.get_absolute_url())]


def test_recording_vvgs_position_decides_the_case(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    on = timezone.localdate() - datetime.timedelta(days=1)
    services.plan_record_position(actor=preparer, plan=plan, date=on, reference="§ 5/2027")
    case = Case.objects.get(pk=plan.case_id)
    assert case.status == Case.Status.DECIDED
    decided = case.steps.get(kind=CaseStep.Kind.DECIDED)
    assert (decided.from_body.slug, decided.actor.username, decided.happened_on) == ("vvg", "beredning", on)
    assert decided.reference == f"VVG {on.isoformat()}, § 5/2027"
    assert decided.source == f"documents.plan:{plan.pk}:position"


def test_a_position_without_reference_names_vvg_and_the_date(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    on = timezone.localdate()
    services.plan_record_position(actor=preparer, plan=plan, date=on)
    assert CaseStep.objects.get(case=plan.case_id, kind="decided").reference == f"VVG {on.isoformat()}"


def test_referral_back_refers_the_case_back_with_the_note(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    services.plan_refer_back(actor=preparer, plan=plan, note="Förtydliga huvuduppgiften.")
    case = Case.objects.get(pk=plan.case_id)
    assert case.status == Case.Status.REFERRED_BACK
    step = case.steps.get(kind=CaseStep.Kind.REFERRED_BACK)
    assert (step.text, step.from_body.slug, step.actor.username) == (
        "<p>Förtydliga huvuduppgiften.</p>",
        "vvg",
        "beredning",
    )


def test_resubmission_sends_the_same_case_for_preparation_again(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    services.plan_refer_back(actor=preparer, plan=plan, note="Förtydliga huvuduppgiften.")
    services.plan_submit(actor=coordinator, plan=plan)
    services.plan_refer_back(actor=preparer, plan=plan, note="Ett mål saknas.")
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    assert Case.objects.filter(title=str(plan)).count() == 1
    assert [k for k, *_ in steps(plan.case)] == [
        "raised",
        "preparing",
        "referred_back",
        "preparing",
        "referred_back",
        "preparing",
    ]
    assert plan.case.status == Case.Status.PREPARING


def test_a_refused_submission_writes_no_case(rep_fyrbodal, coordinator, plan):
    before = (Case.objects.count(), CaseStep.objects.count())
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=rep_fyrbodal, plan=plan)
    services.plan_submit(actor=coordinator, plan=plan)
    after = (Case.objects.count(), CaseStep.objects.count())
    with pytest.raises(ValidationError):
        services.plan_submit(actor=coordinator, plan=plan)  # already submitted
    assert (Case.objects.count(), CaseStep.objects.count()) == after == (before[0] + 1, before[1] + 2)


def test_a_refused_position_or_referral_writes_no_step(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    before = steps(plan.case)
    with pytest.raises(PermissionDenied):
        services.plan_record_position(actor=coordinator, plan=plan, date=timezone.localdate())
    with pytest.raises(ValidationError):
        services.plan_record_position(actor=preparer, plan=plan, date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.plan_refer_back(actor=preparer, plan=plan, note=" ")
    assert steps(plan.case) == before
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED


def test_a_position_the_case_refuses_leaves_the_plan_submitted(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    Case.objects.filter(pk=plan.case_id).update(owner=Body.objects.get(slug="sitiv"))  # moved on elsewhere
    with pytest.raises(ValidationError):
        services.plan_record_position(actor=preparer, plan=plan, date=timezone.localdate())
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED and plan.position_date is None


def test_without_a_preparing_body_for_vvg_the_plan_is_submitted_without_a_case(coordinator, preparer, plan):
    beredning = Body.objects.get(slug="gemensam-beredning")
    BodyStatusChange.objects.create(body=beredning, status="closed", effective_from=timezone.localdate())
    cases_before = Case.objects.count()
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED and plan.case is None
    services.plan_record_position(actor=preparer, plan=plan, date=timezone.localdate())
    assert Case.objects.count() == cases_before


def test_without_a_coordinating_body_the_plan_is_submitted_without_a_case(coordinator, plan):
    gits = Body.objects.get(slug="gits")
    BodyStatusChange.objects.create(body=gits, status="closed", effective_from=timezone.localdate())
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED and plan.case is None


def test_the_preparing_body_is_found_by_structure_not_by_slug(coordinator, plan):
    Body.objects.filter(slug="gemensam-beredning").update(slug="beredning-vvg-sitiv")
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.case.preparing_body.slug == "beredning-vvg-sitiv"


def test_the_next_years_plan_starts_without_the_case(coordinator, preparer, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    services.plan_record_position(actor=preparer, plan=plan, date=timezone.localdate())
    plan.refresh_from_db()
    assert plan.case is not None
    new = services.plan_start_next_year(actor=coordinator, plan=plan)
    assert new.case is None


# --- the plan page -------------------------------------------------------------------------------------------------


def _stub_case_page(request, pk):  # pragma: no cover - only reversed
    raise AssertionError


def _urls_with_case_page():
    """The project's routes, with governance:case_detail added if the case pages are not there yet."""
    from django.urls import NoReverseMatch

    from governance import urls as governance_urls
    from shvo import urls as project

    try:
        reverse("governance:case_detail", kwargs={"pk": 1})
        return project.urlpatterns
    except NoReverseMatch:
        pass
    governance = [*governance_urls.urlpatterns, path("arenden/<int:pk>/", _stub_case_page, name="case_detail")]
    return [
        path("", include((governance, "governance"))) if getattr(p, "namespace", None) == "governance" else p
        for p in project.urlpatterns
    ]


urlpatterns = _urls_with_case_page()


@pytest.mark.urls(__name__)
def test_the_plan_page_links_its_case_for_those_who_may_see_it(coordinator, rep_fyrbodal, plan):
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    link = reverse("governance:case_detail", kwargs={"pk": plan.case_id})
    page = reverse("documents:plan_detail", kwargs={"pk": plan.pk})
    client = Client()
    client.force_login(coordinator)
    html = client.get(page).content.decode()
    assert f'href="{link}"' in html and "<dt>Ärende</dt>" in html
    client.force_login(rep_fyrbodal)  # sees the draft on review, but not the case (no seat on its path)
    response = client.get(page)
    assert response.status_code in (200, 404)
    assert f'href="{link}"' not in response.content.decode()
