"""Cases on the start page and the body page (issue 12): who carries a body's cases forward sees what waits on it and
the follow-ups due; the members of the body that raised a case see its outcome and follow-up for 60 days; a body
page counts its cases for those who may read them, at once after a new case."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from core.versions import data_version
from governance import case_waiting, cases
from governance.case_models import Case
from governance.case_rules import stewards_of
from governance.models import Body

from .factories import make_case, signed_in, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _user(name):
    return get_user_model().objects.get(username=name)


def _body(slug) -> Body:
    return Body.objects.get(slug=slug)


def _home(user) -> str:
    client = signed_in(user) if user is not None else Client()
    return client.get("/").content.decode()


def _section(html: str, heading: str) -> str:
    """The <section> whose heading is `heading` (empty when the page has none)."""
    at = html.find(f">{heading}</h")
    if at < 0:
        return ""
    return html[html.rfind("<section", 0, at) : html.find("</section>", at)]


def _prepared_for_vvg(title: str, *, on: datetime.date | None = None) -> Case:
    """A case the reference group raised, sent by its secretary to Gemensam beredning for VVG's decision."""
    on = on or today()
    case = make_case(_body("referensgrupp-shvo"), title=title, on=on)
    return cases.case_send_for_preparation(
        actor=_user("sekreterare"),
        case=case,
        preparing_body=_body("gemensam-beredning"),
        deciding_body=_body("vvg"),
        on=on,
    )


def _decided_by_vvg(title: str, *, days_ago: int = 2, follow_up_on=None, outcome="decided", escalated_to=None):
    """A reference group's case that VVG decided (or referred back, escalated) `days_ago` days ago."""
    on = today() - datetime.timedelta(days=days_ago)
    case = _prepared_for_vvg(title, on=on)
    cases.case_record_outcome(
        actor=_user("sekreterare-vvg"),
        case=case,
        body=_body("vvg"),
        outcome=outcome,
        text="VVG beslutar.",
        reference=f"VVG {on.isoformat()}, § 3",
        source=f"test:{case.pk}",
        on=on,
        follow_up_on=follow_up_on,
        escalated_to=escalated_to,
    )
    case.refresh_from_db()
    return case


# --- Who sees which panel ---------------------------------------------------------------------------------------


def test_the_reference_groups_representative_sees_the_outcome_and_follow_up_of_its_case_only(rep_fyrbodal):
    follow_up = today() + 90 * DAY
    decided = _decided_by_vvg("Rutin för loggar", follow_up_on=follow_up)
    waiting = _prepared_for_vvg("Ännu inte beslutat")
    html = _home(rep_fyrbodal)
    outcomes = _section(html, "Utfall i ärenden ni väckt")
    assert decided.title in outcomes and decided.get_absolute_url() in outcomes
    assert decided.reference in outcomes and "Beslutat" in outcomes
    assert "i VVG" in outcomes and (today() - 2 * DAY).isoformat() in outcomes
    assert f"Följs upp {follow_up.isoformat()}" in outcomes
    assert waiting.title not in outcomes
    # A representative carries no body's cases forward.
    assert "Ärenden som väntar på" not in html and "Uppföljningar att göra" not in html


def test_an_outcome_names_referral_and_escalation_and_the_body_it_went_to(rep_fyrbodal):
    _decided_by_vvg("Återremitterad fråga", outcome="referred_back")
    _decided_by_vvg("Lyft fråga", outcome="escalated", escalated_to=_body("sitiv"))
    outcomes = _section(_home(rep_fyrbodal), "Utfall i ärenden ni väckt")
    referred = outcomes[outcomes.index("Återremitterad fråga") :].split("</li>")[0]
    escalated = outcomes[outcomes.index("Lyft fråga") :].split("</li>")[0]
    assert "Återremitterat" in referred and "i VVG" in referred and "Följs upp" not in referred
    assert "Lyft till annat organ" in escalated and "till SITIV" in escalated


def test_vvgs_secretary_sees_the_cases_waiting_on_vvg_and_its_follow_ups_due():
    waiting = _prepared_for_vvg("Väntar på VVG")
    due = _decided_by_vvg("Uppföljning i dag", days_ago=30, follow_up_on=today())
    later = _decided_by_vvg("Uppföljning senare", days_ago=30, follow_up_on=today() + 10 * DAY)
    html = _home(_user("sekreterare-vvg"))
    incoming = _section(html, "Ärenden som väntar på VVG")
    assert waiting.get_absolute_url() in incoming and waiting.reference in incoming
    assert 'class="badge badge-preparing"' in incoming and today().isoformat() in incoming
    follow_ups = _section(html, "Uppföljningar att göra")
    assert due.title in follow_ups and f"följer upp {today().isoformat()}" in follow_ups
    assert later.title not in follow_ups
    # Not a member of the reference group: its outcomes are not hers to follow.
    assert due.title not in _section(html, "Utfall i ärenden ni väckt")


def test_the_reference_groups_secretary_sees_nothing_waiting_on_vvg(secretary):
    waiting = _prepared_for_vvg("Väntar på VVG")
    html = _home(secretary)
    assert "Ärenden som väntar på VVG" not in html
    # …but she is secretary of Gemensam beredning, which prepares it.
    assert waiting.title in _section(html, "Ärenden som väntar på Gemensam beredning")


@pytest.mark.parametrize("username", ["samordnare", "admin"])
def test_coordinators_and_the_administrator_see_every_bodys_waiting_cases(username):
    waiting = _prepared_for_vvg("Väntar på VVG")
    own = make_case(_body("sitiv"), title="SITIV:s eget ärende")
    html = _home(_user(username))
    # One list over every body (not one per body: they steward hundreds), each row naming the body it waits on.
    listed = _section(html, "Ärenden som väntar")
    assert "Ärenden som väntar på" not in html
    total = Case.objects.incoming_to(None).count()
    assert listed.count("<li>") == min(total, case_waiting.SHOWN)
    if total > case_waiting.SHOWN:
        assert f"av {total}." in listed and 'href="/arenden/"' in listed
    else:
        assert f"{waiting.title}</a>" in listed and "hos VVG" in listed
        assert f"{own.title}</a>" in listed and "hos SITIV" in listed


def test_every_body_a_start_page_lists_is_one_the_user_stewards():
    _prepared_for_vvg("Väntar på VVG")
    make_case(_body("sitiv"), title="SITIV:s eget ärende")
    for name in ["sekreterare", "sekreterare-vvg", "beredning", "samordnare", "fyrbodal"]:
        user = _user(name)
        request = RequestFactory().get("/")
        request.user = user
        shown = (case_waiting.cases_waiting(request) or {}).get("incoming", [])
        assert all(stewards_of(user, group["body"]) for group in shown), name
        if name == "fyrbodal":
            assert not shown


def test_a_stewards_list_shows_ten_and_links_to_the_rest():
    sitiv = _body("sitiv")
    for n in range(case_waiting.SHOWN + 2):
        make_case(sitiv, title=f"SITIV-fråga {n}")
    incoming = _section(_home(_user("beredning")), "Ärenden som väntar på SITIV")  # SITIV's preparer
    assert incoming.count("<li>") == case_waiting.SHOWN
    assert "SITIV-fråga 0" in incoming and "SITIV-fråga 11" not in incoming  # oldest first
    assert f"Visar {case_waiting.SHOWN} av {case_waiting.SHOWN + 2}" in incoming
    assert "/arenden/?organ=sitiv" in incoming


def test_the_public_sees_no_case_panel(client):
    _decided_by_vvg("Beslutat ärende", follow_up_on=today())
    html = client.get("/").content.decode()
    assert "Beslutat ärende" not in html and "Utfall i ärenden" not in html and "Ärenden som väntar" not in html
    body_page = client.get("/organ/referensgrupp-shvo/").content.decode()
    assert 'id="cases-heading"' not in body_page


def test_a_signed_in_user_without_seats_sees_no_case_panel(reader):
    _decided_by_vvg("Beslutat ärende", follow_up_on=today())
    assert "Beslutat ärende" not in _home(reader)
    assert 'id="cases-heading"' not in signed_in(reader).get("/organ/referensgrupp-shvo/").content.decode()


# --- The 60-day window -------------------------------------------------------------------------------------------


def test_an_outcome_shows_for_60_days_and_not_on_the_61st(rep_fyrbodal):
    shown = _decided_by_vvg("Beslutat för 60 dagar sedan", days_ago=case_waiting.OUTCOME_DAYS)
    gone = _decided_by_vvg("Beslutat för 61 dagar sedan", days_ago=case_waiting.OUTCOME_DAYS + 1)
    outcomes = _section(_home(rep_fyrbodal), "Utfall i ärenden ni väckt")
    assert shown.title in outcomes
    assert gone.title not in outcomes


def test_a_case_sent_on_after_its_outcome_no_longer_shows_the_outcome(rep_fyrbodal):
    """The latest step counts: a referred case put back on the agenda waits again."""
    case = _decided_by_vvg("Återremitterad och tillbaka", outcome="referred_back", days_ago=5)
    assert case.title in _section(_home(rep_fyrbodal), "Utfall i ärenden ni väckt")
    cases.case_on_agenda(
        actor=_user("sekreterare-vvg"),
        case=case,
        body=_body("vvg"),
        reference="VVG, punkt 4",
        source=f"test-agenda:{case.pk}",
        on=today(),
    )
    assert case.title not in _home(rep_fyrbodal)


def test_the_step_recorded_last_counts_even_when_it_names_an_earlier_day(rep_fyrbodal):
    """A meeting held two days ago decides a case raised and sent on today (the browser journey's path)."""
    case = _prepared_for_vvg("Beslutat på ett tidigare möte")
    meeting_day = today() - 2 * DAY
    cases.case_record_outcome(
        actor=_user("sekreterare-vvg"),
        case=case,
        body=_body("vvg"),
        outcome="decided",
        text="VVG beslutar.",
        reference=f"VVG {meeting_day.isoformat()}, § 2",
        source=f"test:{case.pk}",
        on=meeting_day,
    )
    outcomes = _section(_home(rep_fyrbodal), "Utfall i ärenden ni väckt")
    assert case.title in outcomes and meeting_day.isoformat() in outcomes


def test_a_reported_back_case_shows_the_report_and_who_reported(rep_fyrbodal):
    case = _decided_by_vvg("Återrapporteras", follow_up_on=today() + 30 * DAY)
    cases.case_report_back(actor=_user("sekreterare-vvg"), case=case, text="VVG har beslutat om rutinen.")
    outcomes = _section(_home(rep_fyrbodal), "Utfall i ärenden ni väckt")
    row = outcomes[outcomes.index("Återrapporteras") :].split("</li>")[0]
    assert "Återrapporterat" in row and "av VVG" in row and today().isoformat() in row
    assert f"Följs upp {(today() + 30 * DAY).isoformat()}" in row


# --- Kept start page --------------------------------------------------------------------------------------------


def test_the_start_page_changes_after_a_case_step(rep_fyrbodal):
    case = _prepared_for_vvg("Beslutas nu")
    client = signed_in(rep_fyrbodal)
    before = client.get("/").content.decode()
    assert case.title not in before
    version = data_version()
    cases.case_record_outcome(
        actor=_user("sekreterare-vvg"),
        case=case,
        body=_body("vvg"),
        outcome="decided",
        text="VVG beslutar.",
        reference="VVG, § 9",
        source=f"test:{case.pk}",
        on=today(),
        follow_up_on=today() + 14 * DAY,
    )
    assert data_version() != version  # the kept page's key changes with the write
    after = _section(client.get("/").content.decode(), "Utfall i ärenden ni väckt")
    assert case.title in after and f"Följs upp {(today() + 14 * DAY).isoformat()}" in after


# --- Query counts -----------------------------------------------------------------------------------------------


def _rendered(provider, user, template) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = provider(request)
    return render_to_string(template, context) if context else ""


@pytest.mark.parametrize("n", [1, 6])
def test_the_outcomes_panel_reads_one_query_however_many_outcomes(n, django_assert_num_queries):
    for i in range(n):
        _decided_by_vvg(f"Utfall {i}", follow_up_on=today() + DAY, escalated_to=None)
    user = _user("fyrbodal")
    _rendered(case_waiting.case_outcomes, user, "governance/case_waiting/_home_outcomes.html")  # the seats, once
    with django_assert_num_queries(1):
        html = _rendered(case_waiting.case_outcomes, user, "governance/case_waiting/_home_outcomes.html")
    assert html.count("<li>") == n


@pytest.mark.parametrize("n", [1, 6])
def test_the_waiting_panel_reads_a_fixed_number_of_queries(n, django_assert_num_queries):
    for i in range(n):
        _prepared_for_vvg(f"Väntar {i}")
        _decided_by_vvg(f"Följs upp {i}", follow_up_on=today())
    user = _user("beredning")  # prepares for Gemensam beredning, VVG and SITIV: a list per body
    _rendered(case_waiting.cases_waiting, user, "governance/case_waiting/_home_cases.html")  # the seats, once
    # Two per body grouping (owned, prepared: querysets.first_per) and the follow-ups.
    with django_assert_num_queries(5):
        html = _rendered(case_waiting.cases_waiting, user, "governance/case_waiting/_home_cases.html")
    # Each body's first SHOWN waiting cases and the first SHOWN follow-ups due, whatever the demo holds besides.
    stewarded = Body.objects.filter(slug__in=["gemensam-beredning", "vvg", "sitiv"])
    waiting_on = [min(case_waiting.SHOWN, Case.objects.incoming(b).count()) for b in stewarded]
    due = min(case_waiting.SHOWN, Case.objects.follow_ups_due(on=today(), bodies={b.pk for b in stewarded}).count())
    assert html.count("<li>") == sum(waiting_on) + due
    assert "Väntar 0" in _section(html, "Ärenden som väntar på Gemensam beredning")


# --- The body page ----------------------------------------------------------------------------------------------


def _counts(html: str) -> list[int]:
    box = html[html.index('id="cases-heading"') : html.index("</section>", html.index('id="cases-heading"'))]
    return [int(n) for n in re.findall(r": (\d+)</li>", box)]


def test_the_body_page_counts_its_cases_and_a_new_case_shows_at_once(rep_fyrbodal):
    client = signed_in(rep_fyrbodal)
    url = "/organ/referensgrupp-shvo/"
    incoming, owned, raised = _counts(client.get(url).content.decode())
    make_case(_body("referensgrupp-shvo"), title="Nytt ärende")
    html = client.get(url).content.decode()
    assert _counts(html) == [incoming + 1, owned + 1, raised + 1]
    assert "/arenden/?organ=referensgrupp-shvo" in html
    # Sent to VVG: the reference group no longer owns it nor has it waiting, but raised it.
    _prepared_for_vvg("Till VVG")
    assert _counts(client.get(url).content.decode()) == [incoming + 1, owned + 1, raised + 2]


def test_the_body_page_counts_what_waits_on_the_deciding_body():
    client = signed_in(_user("sekreterare-vvg"))
    incoming, owned, raised = _counts(client.get("/organ/vvg/").content.decode())
    _prepared_for_vvg("Väntar på VVG")
    assert _counts(client.get("/organ/vvg/").content.decode()) == [incoming + 1, owned + 1, raised]


def test_the_body_box_is_for_members_stewards_and_the_administrator(rep_fyrbodal, admin_user, coordinator):
    vvg = _body("vvg")
    assert 'id="cases-heading"' not in signed_in(rep_fyrbodal).get("/organ/vvg/").content.decode()
    for user in (admin_user, coordinator):
        assert 'id="cases-heading"' in signed_in(user).get(vvg.get_absolute_url()).content.decode()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert case_waiting.body_cases(request, vvg) is None


def test_a_decided_case_no_longer_waits_on_the_body_that_prepared_it():
    """Gemensam beredning has a case to act on while it prepares it; once VVG has decided, only VVG (which reports
    back) still has it."""
    from governance.case_models import CaseStep
    from tests.factories import case_in, superuser

    case = case_in("preparing")
    gb, vvg = Body.objects.get(slug="gemensam-beredning"), Body.objects.get(slug="vvg")
    assert case in Case.objects.incoming(gb) and case in Case.objects.incoming(vvg)

    cases.case_record_outcome(
        actor=superuser(),
        case=case,
        body=vvg,
        outcome=CaseStep.Kind.DECIDED,
        text="Beslut.",
        reference="§ 1",
        source="test:gb-done",
        on=timezone.localdate(),
    )
    assert case not in Case.objects.incoming(gb)
    assert case in Case.objects.incoming(vvg)
    assert case not in Case.objects.being_prepared()


@pytest.mark.parametrize("n", [1, 12])
def test_the_coordinators_waiting_list_reads_a_fixed_number_of_queries(n, django_assert_num_queries):
    for i in range(n):
        _prepared_for_vvg(f"Väntar {i}")
    user = _user("samordnare")
    _rendered(case_waiting.cases_waiting, user, "governance/case_waiting/_home_cases.html")
    with django_assert_num_queries(3):  # the oldest SHOWN, their count, the follow-ups due
        html = _rendered(case_waiting.cases_waiting, user, "governance/case_waiting/_home_cases.html")
    assert _section(html, "Ärenden som väntar").count("<li>") == min(
        case_waiting.SHOWN, Case.objects.incoming_to(None).count()
    )
