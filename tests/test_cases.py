"""Who may move a case, and when (issue 12, cases): every steward's step (send for preparation, report back, record
a follow-up, close) per role and per state, proven on the rule (governance.case_rules) and on the service that asks it
(governance.cases), a named preparer who must sit in the preparing body, texts kept to the allowed tags, and a path
whose steps are never changed or removed."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import case_rules, cases
from governance.case_models import Case, CaseStep, ImmutableStep
from governance.models import Body, Membership, Person
from tests.factories import CASE_STATES as STATES
from tests.factories import case_in, make_case, make_person, signed_in

pytestmark = pytest.mark.django_db

Status = Case.Status


def _user(name):
    if name == "lasare":  # signed in, without a seat or a right (the demo has no such user)
        return get_user_model().objects.get_or_create(username="lasare")[0]
    return get_user_model().objects.get(username=name)


def _body(slug):
    return Body.objects.get(slug=slug)


# The stewards of Referensgrupp SHVO's cases: its secretary, the coordinators, the administrator. Its chair and the
# subregions' representatives are members but carry no case forward; VVG's preparer is outside the group.
STEWARDS = ["sekreterare", "samordnare", "admin"]
NOT_STEWARDS = ["ordforande", "fyrbodal", "skaraborg", "lasare", "beredning"]
PREPARABLE = {"raised", "referred_back"}  # of the states the group owns (preparing/escalated: owned by VVG)


def _steward_of(state: str, role: str) -> bool:
    """Whether the role carries the case forward in this state: VVG owns it when prepared for it or escalated to it,
    and VVG's preparer ('beredning') is a steward there while the group's secretary is not."""
    if state in ("preparing", "escalated"):
        return role in ("beredning", "samordnare", "admin")
    return role in STEWARDS


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", STEWARDS + NOT_STEWARDS)
def test_who_may_send_a_case_for_preparation_in_each_state(state, role):
    case = case_in(state)
    actor = _user(role)
    allowed = _steward_of(state, role) and state in {"raised", "preparing", "referred_back", "escalated"}
    assert (case_rules.prepare_check(actor, case) == []) is allowed
    gb, sitiv = _body("gemensam-beredning"), _body("sitiv")
    if allowed:
        cases.case_send_for_preparation(actor=actor, case=case, preparing_body=gb, deciding_body=sitiv)
        case.refresh_from_db()
        assert (case.status, case.owner, case.preparing_body) == (Status.PREPARING, sitiv, gb)
    else:
        with pytest.raises(ValidationError):
            cases.case_send_for_preparation(actor=actor, case=case, preparing_body=gb, deciding_body=sitiv)
        assert Case.objects.get(pk=case.pk).status == state


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", STEWARDS + NOT_STEWARDS)
def test_only_a_decided_case_is_reported_back_and_only_by_its_stewards(state, role):
    case = case_in(state)
    actor = _user(role)
    allowed = _steward_of(state, role) and state == "decided"
    assert (case_rules.report_back_check(actor, case) == []) is allowed
    if allowed:
        cases.case_report_back(actor=actor, case=case, text="Gäller från i dag.")
        assert Case.objects.get(pk=case.pk).status == Status.REPORTED_BACK
        assert case.steps.last().to_body == case.raised_by
    else:
        with pytest.raises(ValidationError):
            cases.case_report_back(actor=actor, case=case, text="Gäller från i dag.")
        assert Case.objects.get(pk=case.pk).status == state


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", STEWARDS + NOT_STEWARDS)
def test_a_follow_up_is_recorded_only_for_a_decision_that_set_one_and_by_its_stewards(state, role):
    case = case_in(state)
    actor = _user(role)
    allowed = _steward_of(state, role) and state == "decided"  # only the decided case here has a follow-up date
    assert (case_rules.follow_up_check(actor, case) == []) is allowed
    if allowed:
        cases.case_follow_up_done(actor=actor, case=case, text="Rutinen används.")
        case.refresh_from_db()
        assert case.followed_up_at is not None
        assert case_rules.follow_up_check(actor, case) == [str(case_rules.FOLLOW_UP_NONE)]  # once
    else:
        with pytest.raises(ValidationError):
            cases.case_follow_up_done(actor=actor, case=case, text="Rutinen används.")
        assert Case.objects.get(pk=case.pk).followed_up_at is None


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", STEWARDS + NOT_STEWARDS)
def test_an_open_case_is_closed_by_the_stewards_of_the_raising_or_the_owning_body(state, role):
    case = case_in(state)
    actor = _user(role)
    allowed = state != "closed" and (role in STEWARDS or _steward_of(state, role))
    assert (case_rules.close_check(actor, case) == []) is allowed
    if allowed:
        cases.case_close(actor=actor, case=case, reason="Frågan är löst.")
        assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    else:
        with pytest.raises(ValidationError):
            cases.case_close(actor=actor, case=case, reason="Frågan är löst.")
        assert Case.objects.get(pk=case.pk).status == state


def test_the_steps_told_in_words_need_their_words(secretary):
    decided = case_in("decided")
    for step, kwargs, message in (
        (cases.case_report_back, {"text": "  "}, case_rules.REPORT_TEXT % {"body": decided.raised_by}),
        (cases.case_follow_up_done, {"text": "<p> </p>"}, case_rules.FOLLOW_UP_TEXT),
        (cases.case_close, {"reason": ""}, case_rules.CLOSE_REASON),
    ):
        with pytest.raises(ValidationError) as refused:
            step(actor=secretary, case=decided, **kwargs)
        assert str(message) in refused.value.messages
    assert Case.objects.get(pk=decided.pk).status == Status.DECIDED


def test_a_case_is_not_prepared_by_the_body_that_decides_it_nor_by_a_closed_body(secretary):
    case = make_case()
    vvg = _body("vvg")
    with pytest.raises(ValidationError) as refused:
        cases.case_send_for_preparation(actor=secretary, case=case, preparing_body=vvg, deciding_body=vvg)
    assert str(case_rules.PREPARE_SAME_BODY) in refused.value.messages


def test_a_named_preparer_must_sit_in_the_preparing_body(secretary):
    case = make_case()
    gb, vvg = _body("gemensam-beredning"), _body("vvg")
    outsider = make_person(first_name="Utan", last_name="Uppdrag", user=False)
    with pytest.raises(ValidationError) as refused:
        cases.case_send_for_preparation(
            actor=secretary, case=case, preparing_body=gb, deciding_body=vvg, preparer=outsider
        )
    assert str(case_rules.PREPARER_NOT_IN_BODY % {"person": outsider, "body": gb}) in refused.value.messages
    ended = Membership.objects.filter(body=gb, role="preparer").select_related("person").first()
    assert ended is not None
    seated = ended.person
    cases.case_send_for_preparation(actor=secretary, case=case, preparing_body=gb, deciding_body=vvg, preparer=seated)
    assert Case.objects.get(pk=case.pk).preparer == seated


def test_a_preparer_whose_seat_has_ended_is_refused(secretary):
    gb, vvg = _body("gemensam-beredning"), _body("vvg")
    former = make_person(first_name="Före", last_name="Detta", user=False)
    Membership.objects.create(
        person=former,
        body=gb,
        role="preparer",
        start_date=timezone.localdate() - datetime.timedelta(days=400),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    case = make_case()
    assert case_rules.prepare_check(secretary, case, preparing_body=gb, deciding_body=vvg, preparer=former) == [
        str(case_rules.PREPARER_NOT_IN_BODY % {"person": former, "body": gb})
    ]


def test_case_texts_keep_only_the_allowed_tags(secretary):
    case = make_case(description='<p onclick="x()">Se <script>alert(1)</script><a href="javascript:x">här</a></p>')
    assert "script" not in case.description and "onclick" not in case.description
    assert "javascript" not in case.description
    decided = case_in("decided")
    cases.case_report_back(actor=secretary, case=decided, text="<p>Klart<img src=x onerror=alert(1)></p>")
    text = decided.steps.last().text
    assert "onerror" not in text and "<img" not in text and "Klart" in text
    closed = make_case()
    cases.case_close(actor=secretary, case=closed, reason="Rad ett\n\nRad två")
    assert "<p>Rad ett</p>" in closed.steps.last().text and "<p>Rad två</p>" in closed.steps.last().text


def test_a_step_on_the_path_is_never_changed_or_removed():
    case = case_in("decided")
    step = case.steps.get(kind=CaseStep.Kind.DECIDED)
    step.text = "Något annat beslutades."
    with pytest.raises(ImmutableStep):
        step.save()
    with pytest.raises(ImmutableStep):
        CaseStep.objects.filter(pk=step.pk).update(text="Omskrivet")
    with pytest.raises(ImmutableStep):
        CaseStep.objects.filter(pk=step.pk).delete()
    with pytest.raises(ImmutableStep):
        step.delete()
    assert CaseStep.objects.get(pk=step.pk).text == "<p>Beslut.</p>"


# --- the pages -------------------------------------------------------------------------------------------------------


def test_the_secretary_sends_a_case_for_preparation_from_its_page(secretary):
    case = make_case(title="Loggning")
    client = signed_in(secretary)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("governance:case_prepare", args=[case.pk]) in page
    assert reverse("governance:case_report_back", args=[case.pk]) not in page  # not decided
    gb, vvg = _body("gemensam-beredning"), _body("vvg")
    answer = client.post(
        reverse("governance:case_prepare", args=[case.pk]),
        {"preparing_body": gb.pk, "deciding_body": vvg.pk, "note": "Till VVG i maj."},
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.owner, case.preparing_body) == (Status.PREPARING, vvg, gb)


def test_the_prepare_form_keeps_what_was_typed_and_points_at_the_field(secretary):
    case = make_case()
    outsider = make_person(first_name="Utan", last_name="Uppdrag", user=False)
    Membership.objects.create(
        person=outsider,
        body=_body("gits"),
        role="secretary",
        start_date=timezone.localdate() - datetime.timedelta(days=9),
    )
    page = signed_in(secretary).post(
        reverse("governance:case_prepare", args=[case.pk]),
        {"deciding_body": _body("vvg").pk, "preparer": outsider.pk, "note": "Mitt utkast"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Välj vilket organ som bereder ärendet." in html and "Mitt utkast" in html
    page = signed_in(secretary).post(
        reverse("governance:case_prepare", args=[case.pk]),
        {"preparing_body": _body("gemensam-beredning").pk, "deciding_body": _body("vvg").pk, "preparer": outsider.pk},
    )
    assert "har inget pågående uppdrag i" in page.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.RAISED


def test_a_step_the_state_does_not_allow_says_why_on_its_page(secretary):
    case = case_in("closed")
    html = signed_in(secretary).get(reverse("governance:case_report_back", args=[case.pk])).content.decode()
    assert str(case_rules.CLOSED) in html
    assert 'name="text"' not in html  # no form to fill in vain


def test_closing_a_case_asks_first_and_then_closes_it(secretary):
    case = make_case()
    url = reverse("governance:case_close", args=[case.pk])
    asked = signed_in(secretary).post(url, {"reason": "Löst i annat forum"})
    assert asked.status_code == 200 and "Ja, avsluta ärendet" in asked.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.RAISED
    done = signed_in(secretary).post(url, {"reason": "Löst i annat forum", "confirmed": "1"})
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_the_case_history_names_its_steps_and_is_seen_only_by_its_readers(secretary, reader):
    case = case_in("decided")
    cases.case_report_back(actor=secretary, case=case, text="Gäller nu.")
    url = reverse("governance:case_history", args=[case.pk])
    html = signed_in(secretary).get(url).content.decode()
    assert "Återrapporterat" in html and "Historik för" in html
    assert signed_in(reader).get(url).status_code == 404


def test_a_person_without_a_seat_is_not_offered_as_preparer(secretary):
    idle = make_person(first_name="Ledig", last_name="Person", user=False)
    html = signed_in(secretary).get(reverse("governance:case_prepare", args=[make_case().pk])).content.decode()
    assert str(idle) not in html
    assert Person.objects.filter(pk=idle.pk).exists()
