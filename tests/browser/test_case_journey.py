"""A question's way through the bodies in a real browser (issue 12): Fyrbodal's representative adds a wish to the
reference group's backlog, Skaraborg's says they have the same need, the coordinator makes it a case prepared by
Gemensam beredning for VVG, VVG's secretary puts it on VVG's agenda, VVG decides it with a follow-up date and the
minutes are justerade on paper, and the reference group's representative finds the outcome and the follow-up on her
start page. Every page is scanned with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label, sign_in_from_header, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TITLE = "Gemensam rutin för spårbarhet i loggarna"


def _add_and_support(page, site):
    sign_in_from_header(page, site, "fyrbodal")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/")
    page.get_by_role("link", name="Backlogg", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Backlogg")
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till i backloggen").click()  # an empty title first
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Rubrik")).fill(TITLE)
    page.get_by_role("button", name="Lägg till i backloggen").click()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    assert_accessible(page)
    sign_out(page, site)

    sign_in_from_header(page, site, "skaraborg")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/backlogg/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    page.get_by_role("button", name="Vi i Skaraborg har samma behov").click()
    expect(page.locator("#supports-heading").locator("xpath=..")).to_contain_text("Skaraborg")
    assert_accessible(page)
    sign_out(page, site)


def _make_case(page, site):
    sign_in_from_header(page, site, "samordnare")
    page.goto(f"{site.url}/organ/referensgrupp-shvo/backlogg/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Gör ärende").click()
    assert_accessible(page)
    page.get_by_label(label("Bereds av")).select_option(label="Gemensam beredning VVG och SITIV")
    page.get_by_label(label("För beslut i")).select_option(label="Vårdsamverkan Västra Götaland")
    page.get_by_role("button", name="Gör ärende").click()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    assert_accessible(page)
    sign_out(page, site)


def test_a_wish_in_the_backlog_becomes_a_case_decided_by_vvg_and_the_outcome_reaches_the_reference_group(
    page, demo_site
):
    from governance.models import BacklogItem, Case

    _add_and_support(page, demo_site)
    item = BacklogItem.objects.get(title=TITLE)
    assert [s.subregion.short_name for s in item.supports.all()] == ["Skaraborg"]
    _make_case(page, demo_site)
    case = Case.objects.get(title=TITLE)
    assert (case.raised_by.slug, case.owner.slug, case.preparing_body.slug) == (
        "referensgrupp-shvo",
        "vvg",
        "gemensam-beredning",
    )
    meeting = _vvg_meeting_held_two_days_ago()
    _decide_at_vvg(page, demo_site, meeting)
    case.refresh_from_db()
    follow_up = timezone.localdate() + datetime.timedelta(days=60)
    assert (case.status, case.follow_up_on) == (Case.Status.DECIDED, follow_up)
    decided = case.steps.get(kind="decided")
    assert decided.reference.startswith(f"VVG {meeting.date.isoformat()}, § ")

    # The reference group's representative follows the outcome from her start page to the case.
    sign_in_from_header(page, demo_site, "fyrbodal")
    page.goto(f"{demo_site.url}{case.get_absolute_url()}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Beslutat")
    expect(main).to_contain_text(follow_up.isoformat())
    expect(main).to_contain_text(decided.reference)
    assert_accessible(page)

    # Her start page tells the outcome and the follow-up date (governance.case_waiting.case_outcomes).
    page.goto(f"{demo_site.url}/")
    outcomes = page.get_by_role("region", name="Utfall i ärenden ni väckt")
    row = outcomes.get_by_role("listitem").filter(has_text=TITLE)
    expect(row).to_contain_text("Beslutat")
    expect(row).to_contain_text("i VVG")
    expect(row).to_contain_text(f"Följs upp {follow_up.isoformat()}")
    assert_accessible(page)
    row.get_by_role("link", name=f"{case.reference}: {TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def _vvg_meeting_held_two_days_ago():
    """VVG's meeting, planned earlier by its secretary and held two days ago, chaired by VVG's chair."""
    from django.contrib.auth import get_user_model

    from governance.models import Body, Person
    from meetings import services
    from meetings.models import Meeting

    vvg = Body.objects.get(slug="vvg")
    secretary = get_user_model().objects.get(username="sekreterare-vvg")
    chair = vvg.memberships.get(role="chair").person
    meeting = Meeting(
        body=vvg,
        title="VVG:s möte i december",
        date=timezone.localdate() - datetime.timedelta(days=2),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        mode="digital",
        secretary=Person.objects.get(user=secretary),
        chair=chair,
    )
    return services.meeting_create(actor=secretary, meeting=meeting)


def _decide_at_vvg(page, site, meeting):
    follow_up = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    sign_in_from_header(page, site, "sekreterare-vvg")
    page.goto(f"{site.url}/")  # her start page lists the case among those waiting on VVG
    expect(page.get_by_role("region", name="Ärenden som väntar på VVG")).to_contain_text(TITLE)
    assert_accessible(page)
    page.goto(f"{site.url}{meeting.get_absolute_url()}")
    expect(page.locator("#waiting-cases")).to_be_visible()
    assert_accessible(page)
    waiting = page.locator("ul.waiting-cases > li").filter(has_text=TITLE)
    waiting.get_by_role("button", name="Ta upp på dagordningen").click()
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    assert_accessible(page)
    page.get_by_role("link", name="Skriv anteckningar för punkt 2", exact=True).click()  # 1 is a standing item
    assert_accessible(page)
    new_decision = page.get_by_role("group", name="Nytt ställningstagande")
    new_decision.get_by_label(label("Typ")).select_option(label="Beslut")
    new_decision.get_by_label(label("Ställningstagande")).fill(
        "VVG ger Gemensam beredning i uppdrag att ta fram en länsgemensam rutin för spårbarhet i loggarna."
    )
    new_decision.get_by_label(label("Följs upp")).fill(follow_up)
    new_decision.get_by_label(label("Vad som följs upp")).fill("Rutinen redovisas för VVG")
    page.get_by_role("button", name="Spara anteckningar, ställningstaganden och åtgärder").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Justerades protokollet på papper? Registrera justeringen").click()
    assert_accessible(page)
    page.fill("input[name='date']", timezone.localdate().isoformat())
    page.get_by_role("checkbox", name=str(meeting.chair), exact=True).check()
    page.get_by_role("button", name="Registrera justeringen på papper").click()
    expect(page.get_by_role("status")).to_contain_text("är registrerad")
    assert_accessible(page)
    sign_out(page, site)
