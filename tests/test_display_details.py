"""Small things users saw: a focus ring that shows on every background, time and URL inputs styled like the others,
roles shown as typed, an abbreviation that equals the name said once, side-by-side text that is not broken mid-word,
and no template comment leaking onto a page."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from governance.models import Subregion
from meetings.models import Action, Attendance

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "shvo.css").read_text(encoding="utf-8")


def _variables() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _rule(selector: str) -> str:
    """The declarations of the last rule whose selector list is exactly `selector`."""
    found = re.findall(rf"(?:^|}}|\*/)\s*{re.escape(selector)}\s*{{([^}}]*)}}", CSS, re.M)
    assert found, f"no rule for {selector}"
    return found[-1]


def _colour(value: str) -> str:
    value = value.strip()
    var = re.fullmatch(r"var\(--([\w-]+)\)", value)
    return _variables()[var.group(1)] if var else value


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _focus_colours() -> tuple[str, str]:
    """The focus indicator's outline colour and the colour of the ring (box-shadow) inside it."""
    rule = _rule(":focus-visible")
    outline = re.search(r"outline:\s*\d+px\s+solid\s+([^;]+);", rule).group(1)
    ring = re.search(r"box-shadow:\s*0 0 0 \d+px\s+([^;]+);", rule).group(1)
    return _colour(outline), _colour(ring)


@pytest.mark.parametrize("background", ["bg", "soft", "#e7f4ea", "#fbeaea", "#eaf2f8"])
def test_the_focus_outline_has_three_to_one_contrast_on_white_and_the_page_backgrounds(background):
    outline, _ring = _focus_colours()
    colour = _variables().get(background, background)
    assert contrast(outline, colour) >= 3, f"focus outline {outline} on {colour}: {contrast(outline, colour):.1f}:1"


def test_the_focus_indicator_also_shows_on_the_blue_header():
    """The header's links sit on the brand blue: there the yellow ring carries the contrast."""
    outline, ring = _focus_colours()
    brand = _variables()["brand"]
    assert max(contrast(outline, brand), contrast(ring, brand)) >= 3
    assert contrast(_variables()["focus"], "#ffffff") < 3  # why the yellow alone was not enough


def test_time_and_url_inputs_are_styled_like_the_other_inputs(client, secretary):
    styled = re.search(r"([^{}]*\.field select, \.field textarea)\s*{", CSS).group(1)
    for kind in ("text", "date", "time", "url"):
        assert f".field input[type={kind}]" in styled, kind
    client.force_login(secretary)
    form = client.get("/organ/referensgrupp-shvo/moten/nytt/").content.decode()
    assert 'type="time"' in form and 'type="url"' in form  # the meeting form's inputs those selectors reach


def test_side_by_side_versions_do_not_break_words_or_numbers_mid_token():
    side = _rule(".compare-side")
    assert "overflow-wrap: anywhere" not in side and "word-break: break-all" not in side
    assert "overflow-wrap: break-word" in side
    assert "minmax(0, 1fr)" in _rule(".compare-sides")
    assert "white-space: nowrap" in _rule(".nowrap")  # numbers with thousands spaces in a word diff (core.text)


@pytest.mark.django_db
def test_a_typed_role_is_shown_as_typed_not_lower_cased(client, secretary, demo_planned_meeting):
    from governance.models import Person

    guest = Person.objects.create(first_name="Linnea", last_name="Hjort")
    Attendance.objects.create(
        meeting=demo_planned_meeting, person=guest, status=Attendance.Status.GUEST, role_label="Processledare TG äldre"
    )
    client.force_login(secretary)
    for url in (demo_planned_meeting.get_absolute_url(), f"/moten/{demo_planned_meeting.pk}/narvaro/"):
        page = client.get(url).content.decode()
        assert "Processledare TG äldre" in page, url
        assert "processledare tg äldre" not in page, url


@pytest.mark.django_db
def test_an_owner_that_names_the_subregion_is_not_followed_by_it_again():
    simba = Subregion.objects.get(short_name="SIMBA")
    fyrbodal = Subregion.objects.get(short_name="Fyrbodal")
    assert Action(owner="SIMBA", subregion=simba).owner_display == "SIMBA"
    assert Action(owner="Representanterna för Fyrbodal", subregion=fyrbodal).owner_display == (
        "Representanterna för Fyrbodal"
    )
    assert Action(owner="Anna Berg", subregion=fyrbodal).owner_display == "Anna Berg (Fyrbodal)"
    assert Action(owner="Anna Berg").owner_display == "Anna Berg"


@pytest.mark.django_db
def test_simba_is_said_once_on_the_item_page_and_in_the_minutes_pdf(client, secretary, settings, tmp_path):
    from meetings.publishing import render_minutes_pdf

    settings.MEDIA_ROOT = tmp_path
    action = Action.objects.select_related("item__meeting").get(owner="SIMBA")
    client.force_login(secretary)
    page = client.get(f"/punkter/{action.item_id}/anteckningar/").content.decode()
    assert "SIMBA" in page and "SIMBA (SIMBA)" not in page
    pdf = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=render_minutes_pdf(action.item.meeting),
        capture_output=True,
        check=True,
    ).stdout.decode()
    text = " ".join(pdf.split())
    assert "Ansvarig: SIMBA" in text and "SIMBA (SIMBA)" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/organ/", "/forvaltningsplaner/", "/protokoll/", "/organ/referensgrupp-shvo/"])
def test_no_template_comment_leaks_onto_a_page(client, url):
    page = client.get(url).content.decode()
    assert "{#" not in page and "#}" not in page
