"""The preview PDF of minutes in justering (meetings.rules PREVIEW_MINUTES, Meeting.objects.minutes_preview_visible_to):
for the chair, the justerare, the body's secretaries and the administrator, and only while the minutes are in
justering. The rule (the link on the justering page) and the query (404 for everyone else) are one rule."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import permissions
from meetings import querysets, rules, services
from meetings.models import Meeting, Minutes

from .meeting_builders import add_item, adjuster_with_user, planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_justering(secretary, chair):
    """A meeting whose minutes are sent for justering to the chair and Per Åström."""
    adjuster, adjuster_user = adjuster_with_user()
    meeting = planned_meeting(secretary, chair, adjusters=[adjuster])
    add_item(secretary, meeting, "Punkt")
    services.minutes_send_for_justering(actor=secretary, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk), adjuster_user  # as a request loads it, with its minutes as they are


def preview_url(meeting) -> str:
    return reverse("meetings:minutes_preview_pdf", kwargs={"pk": meeting.pk})


@pytest.mark.parametrize("stage", ["draft", "justerat", "published"])
def test_there_is_no_preview_outside_justering(client, settings, tmp_path, secretary, chair, stage):
    settings.MEDIA_ROOT = tmp_path  # publishing writes the file
    adjuster, adjuster_user = adjuster_with_user()
    meeting = planned_meeting(secretary, chair, adjusters=[adjuster])
    add_item(secretary, meeting, "Punkt")
    services.minutes_for(meeting)
    if stage != "draft":
        services.minutes_send_for_justering(actor=secretary, meeting=meeting)
        for user in (chair, adjuster_user):
            services.minutes_respond(actor=user, meeting=meeting, approve=True)
    if stage == "published":
        services.minutes_publish(actor=secretary, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    for user in (secretary, chair, adjuster_user):
        client.force_login(user)
        assert client.get(preview_url(meeting)).status_code == 404
        assert not permissions.can(user, rules.PREVIEW_MINUTES, meeting)


def test_the_preview_rule_and_its_query_agree_for_every_role(in_justering):
    """meetings.rules PREVIEW_MINUTES (the link) and Meeting.objects.minutes_preview_visible_to (the 404) are one rule:
    the signatories and the body's secretaries and the administrator, not other members or outsiders."""
    meeting, adjuster_user = in_justering
    users = {u.username: u for u in get_user_model().objects.all()}
    allowed = {name for name, user in users.items() if permissions.can(user, rules.PREVIEW_MINUTES, meeting)}
    visible = {
        name
        for name, user in users.items()
        if Meeting.objects.minutes_preview_visible_to(user).filter(pk=meeting.pk).exists()
    }
    assert allowed == visible == {"ordforande", adjuster_user.username, "sekreterare", "admin"}
    assert querysets.IN_JUSTERING == Minutes.Status.IN_JUSTERING


def test_the_justering_page_links_to_the_preview(client, in_justering):
    meeting, adjuster_user = in_justering
    client.force_login(adjuster_user)
    page = client.get(reverse("meetings:justering", kwargs={"pk": meeting.pk})).content.decode()
    assert f'href="{preview_url(meeting)}"' in page and "Läs protokollet som PDF" in page
