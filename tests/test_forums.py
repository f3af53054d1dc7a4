"""The process forums (issue 12 item 5): read and written by the members of the bodies that take part, the convener,
the coordinators and the administrator (404 for everybody else, by GET and POST); threaded posts; moderation by the
convener only (a hidden post keeps its text for her and in history, everyone else reads who hid it and why); a
topic lifted into a participating body's backlog. The pages' query counts do not grow with the rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import backlog, backlog_rules
from governance.case_models import Forum, ForumPost, ForumTopic
from governance.models import Body
from governance.permissions import can
from tests.factories import make_forum, make_forums, make_topic, person_of_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(ref_group):
    """SIP's forum, for the reference group, convened by its chair (ordforande, Anders Holm)."""
    make_forums(bodies=[ref_group])
    return make_forum("SIP", convener=person_of_user("ordforande"))


def test_a_forum_is_read_by_its_bodies_members_convener_coordinators_and_admin(
    forum, secretary, rep_fyrbodal, coordinator, admin_user, reader, preparer, admin_fyrbodal
):
    for user in (secretary, rep_fyrbodal, coordinator, admin_user):
        assert can(user, backlog_rules.VIEW_FORUM, forum)
    for user in (reader, preparer, admin_fyrbodal):
        assert not can(user, backlog_rules.VIEW_FORUM, forum)
        assert Forum.objects.visible_to(user).count() == 0


def test_the_convener_reads_a_forum_of_bodies_she_is_not_in(preparer):
    forum = make_forum("Öppenvård", convener=person_of_user("beredning"))
    assert can(preparer, backlog_rules.VIEW_FORUM, forum)


def test_topics_and_posts_are_hidden_from_outsiders_by_get_and_post(forum, reader, preparer):
    topic = make_topic(forum)
    post = topic.posts.get()
    for user in (reader, preparer):
        client = signed_in(user)
        assert client.get(forum.get_absolute_url()).status_code == 404
        assert client.post(forum.get_absolute_url(), {"title": "X", "text": "Y"}).status_code == 404
        assert client.get(topic.get_absolute_url()).status_code == 404
        assert client.post(topic.get_absolute_url(), {"text": "Hej"}).status_code == 404
        assert client.post(reverse("governance:forum_hide_post", args=[post.pk]), {"reason": "x"}).status_code == 404
        assert "Tråd" not in client.get(reverse("governance:forum_list")).content.decode()
    assert ForumTopic.objects.visible_to(reader).count() == 0


def test_a_member_starts_a_topic_and_replies_in_threads(forum, rep_skaraborg):
    topic = backlog.forum_topic_create(actor=rep_skaraborg, forum=forum, title="SIP i hemmet", text="Hur gör ni?")
    first = topic.posts.get()
    reply = backlog.forum_post(actor=rep_skaraborg, topic=topic, text="Så här", parent=first)
    assert reply.parent == first
    page = signed_in(rep_skaraborg).get(topic.get_absolute_url()).content.decode()
    assert page.index("Hur gör ni?") < page.index("Så här") and page.count('<ol class="thread">') == 2


def test_a_reply_stays_in_its_topic(forum, rep_skaraborg):
    one, other = make_topic(forum), make_topic(forum)
    with pytest.raises(ValidationError, match="samma tråd"):
        backlog.forum_post(actor=rep_skaraborg, topic=one, text="Hej", parent=other.posts.get())


def test_a_topic_needs_a_title_and_a_post(forum, rep_skaraborg):
    with pytest.raises(ValidationError) as error:
        backlog.forum_topic_create(actor=rep_skaraborg, forum=forum, title=" ", text=" ")
    assert set(error.value.error_dict) == {"title", "text"}


def test_the_administrator_is_told_she_has_no_person(forum, admin_user):
    with pytest.raises(ValidationError, match="inte kopplat till en person"):
        backlog.forum_topic_create(actor=admin_user, forum=forum, title="X", text="Y")


def test_only_the_convener_moderates(forum, chair, coordinator, admin_user, secretary):
    topic = make_topic(forum)
    post = topic.posts.get()
    for user in (coordinator, admin_user, secretary):
        assert not can(user, backlog_rules.MODERATE_FORUM, forum)
        with pytest.raises(PermissionDenied):
            backlog.forum_hide_post(actor=user, post=post, reason="Fel tråd")
        with pytest.raises(PermissionDenied):
            backlog.forum_summary_save(actor=user, topic=topic, summary="Sammanfattat")
        with pytest.raises(PermissionDenied):
            backlog.forum_lift_to_backlog(actor=user, topic=topic, body=Body.objects.get(slug="referensgrupp-shvo"))
    assert can(chair, backlog_rules.MODERATE_FORUM, forum)


def test_a_hidden_post_shows_who_hid_it_and_why_and_its_text_to_the_convener_only(forum, chair, rep_skaraborg):
    topic = make_topic(forum, author="skaraborg")
    post = topic.posts.get()
    with pytest.raises(ValidationError, match="varför"):
        backlog.forum_hide_post(actor=chair, post=post, reason=" ")
    backlog.forum_hide_post(actor=chair, post=post, reason="Personuppgifter")
    post.refresh_from_db()
    assert post.is_hidden and post.text  # kept
    assert post.history.filter(history_change_reason__startswith="Dolt").exists()
    member_page = signed_in(rep_skaraborg).get(topic.get_absolute_url()).content.decode()
    assert "Dolt av Anders Holm: Personuppgifter" in member_page and "Hur gör ni?" not in member_page
    convener_page = signed_in(chair).get(topic.get_absolute_url()).content.decode()
    assert "Dolt av Anders Holm: Personuppgifter" in convener_page and "Hur gör ni?" in convener_page
    with pytest.raises(ValidationError, match="redan dolt"):
        backlog.forum_hide_post(actor=chair, post=post, reason="Igen")


def test_the_convener_summarises_and_lifts_a_topic_into_a_participating_backlog(forum, chair, ref_group):
    topic = make_topic(forum)
    backlog.forum_summary_save(actor=chair, topic=topic, summary="Alla vill ha en rutin.")
    item = backlog.forum_lift_to_backlog(actor=chair, topic=topic, body=ref_group)
    topic.refresh_from_db()
    assert topic.backlog_item == item and item.author == person_of_user("ordforande")
    assert item.body == ref_group and item.process == forum.process and "rutin" in item.description
    with pytest.raises(ValidationError, match="redan lyft"):
        backlog.forum_lift_to_backlog(actor=chair, topic=topic, body=ref_group)


def test_a_topic_is_lifted_only_into_a_participating_body(forum, chair):
    topic = make_topic(forum)
    with pytest.raises(ValidationError, match="deltar i forumet"):
        backlog.forum_lift_to_backlog(actor=chair, topic=topic, body=Body.objects.get(slug="vvg"))


def test_a_reply_form_per_post_works_without_javascript(forum, rep_skaraborg):
    topic = make_topic(forum)
    first = topic.posts.get()
    client = signed_in(rep_skaraborg)
    assert f'name="parent" value="{first.pk}"' in client.get(topic.get_absolute_url()).content.decode()
    answer = client.post(topic.get_absolute_url(), {"parent": first.pk, "text": "Svar utan JS"})
    assert answer.status_code == 302
    assert ForumPost.objects.get(text__contains="Svar utan JS").parent == first


def test_the_start_page_links_the_forums_one_may_read(forum, rep_skaraborg, reader):
    assert forum.get_absolute_url() in signed_in(rep_skaraborg).get("/").content.decode()
    assert forum.get_absolute_url() not in signed_in(reader).get("/").content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "forum", "topic"])
def test_the_forum_pages_query_counts_do_not_grow(forum, rep_skaraborg, page, django_assert_num_queries):
    client = signed_in(rep_skaraborg)
    topic = make_topic(forum, replies=2)
    url = {
        "list": reverse("governance:forum_list"),
        "forum": forum.get_absolute_url(),
        "topic": topic.get_absolute_url(),
    }[page]
    few = _count(client, url)
    for _ in range(5):
        make_topic(forum, replies=3)
    for i in range(10):
        backlog.forum_post(actor=rep_skaraborg, topic=topic, text=f"Mer {i}", parent=topic.posts.first())
    with django_assert_num_queries(few):
        client.get(url)


def test_the_forum_lists_its_topics_by_latest_post(forum, rep_skaraborg):
    """A reply lifts its topic to the top of the forum's list (ForumTopic.last_post_at, written with each post)."""
    from governance import backlog

    older = make_topic(forum, title="Äldre tråd")
    newer = make_topic(forum, title="Nyare tråd")
    html = signed_in(rep_skaraborg).get(forum.get_absolute_url()).content.decode()
    assert html.index("Nyare tråd") < html.index("Äldre tråd")
    backlog.forum_post(actor=rep_skaraborg, topic=older, text="Vi gör så här.")
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.last_post_at >= newer.last_post_at
    html = signed_in(rep_skaraborg).get(forum.get_absolute_url()).content.decode()
    assert html.index("Äldre tråd") < html.index("Nyare tråd")
    assert older.history.first().history_change_reason == "Nytt inlägg"
