"""Entering a meeting's minutes as it was held: the secretary types an invited guest who is not in the portal, then
records that the minutes were justerade on paper; the pages say so, and axe finds nothing on any of them."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .journey import label, sign_in_from_header

pytestmark = pytest.mark.browser


def test_secretary_types_a_guest_and_records_a_paper_justering(page, demo_site):
    from meetings.models import Minutes
    from tests.action_states import held_meeting_in

    meeting = held_meeting_in("held_draft")["meeting"]  # held a week ago: chair Anders Holm, justerare Maria Ek
    day = meeting.date.isoformat()
    sign_in_from_header(page, demo_site, "sekreterare")

    # An invited guest typed on the spot: name, title, organisation.
    page.goto(f"{demo_site.url}/moten/{meeting.pk}/narvaro/")
    assert_accessible(page)
    page.get_by_label(label("Eller: namn på en inbjuden som inte finns i portalen")).fill("Cecilia Lundgren")
    page.get_by_label(label("Titel")).fill("Processledare TG Äldre och Rehab/Habilitering")
    page.get_by_label(label("Organisation")).fill("Samverkanskontoret")
    page.get_by_label(label("Närvaro")).select_option(label="Inbjuden")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Cecilia Lundgren är tillagd i närvarolistan.")
    expect(page.get_by_label("Titel för Cecilia Lundgren")).to_have_value(
        "Processledare TG Äldre och Rehab/Habilitering"
    )
    assert_accessible(page)

    # The justering on paper: a day before the meeting is refused, what was typed stays.
    page.goto(f"{demo_site.url}{meeting.get_absolute_url()}")
    expect(page.locator("dl.facts")).to_contain_text("Maria Ek")  # the justerare, named on the meeting page
    page.get_by_role("link", name="Justerades protokollet på papper? Registrera justeringen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera justering på papper")
    assert_accessible(page)
    page.fill("input[name='date']", (meeting.date - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("checkbox", name="Anders Holm", exact=True).check()
    page.get_by_role("button", name="Registrera justeringen på papper").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("före mötet")
    expect(page.get_by_role("checkbox", name="Anders Holm", exact=True)).to_be_checked()
    assert_accessible(page)

    page.fill("input[name='date']", day)
    page.get_by_role("checkbox", name="Maria Ek", exact=True).check()
    page.get_by_role("button", name="Registrera justeringen på papper").click()
    expect(page).to_have_url(re.compile(rf"/moten/{meeting.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Justeringen på papper {day} är registrerad.")
    expect(page.get_by_role("region", name="Justerat")).to_contain_text(f"Justerat på papper {day}")
    expect(page.get_by_role("region", name="Närvaro")).to_contain_text(
        "Cecilia Lundgren, Processledare TG Äldre och Rehab/Habilitering, Samverkanskontoret: inbjuden"
    )
    assert_accessible(page)
    assert Minutes.objects.get(meeting=meeting).justerat_on_paper == meeting.date
