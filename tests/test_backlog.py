"""A body's backlog (issue 12 item 4): who reads it, adds, supports (once per subregion, never one's own
subregion's), comments, and who carries an item on (the secretary or a coordinator, never its author); the pages'
query counts do not grow with the rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance import backlog, backlog_rules
from governance.case_models import BacklogItem, BacklogSupport, Case
from governance.models import Body
from governance.permissions import NO_PERSON, can
from tests.factories import make_backlog_item, make_working_group, person_of_user, signed_in

pytestmark = pytest.mark.django_db


def _body(slug):
    return Body.objects.get(slug=slug)


def test_the_backlog_is_read_by_its_members_the_coordinators_and_the_administrator(
    ref_group, secretary, rep_fyrbodal, coordinator, admin_user, reader, preparer, admin_fyrbodal
):
    for user in (secretary, rep_fyrbodal, coordinator, admin_user):
        assert can(user, backlog_rules.VIEW_BACKLOG, ref_group)
    for user in (reader, preparer, admin_fyrbodal):
        assert not can(user, backlog_rules.VIEW_BACKLOG, ref_group)
        assert signed_in(user).get(reverse("governance:backlog", args=[ref_group.slug])).status_code == 403


def test_an_item_is_hidden_from_outsiders_by_get_and_post(ref_group, reader, preparer):
    item = make_backlog_item(ref_group)
    url = item.get_absolute_url()
    for user in (reader, preparer):
        client = signed_in(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"comment": "1", "text": "Hej"}).status_code == 404
        assert client.post(reverse("governance:backlog_close", args=[item.pk]), {"reason": "x"}).status_code == 404
    assert BacklogItem.objects.visible_to(reader).filter(pk=item.pk).exists() is False


def test_a_member_adds_an_item_and_a_non_member_may_not(ref_group, rep_skaraborg, coordinator, subregion):
    item = backlog.backlog_add(
        actor=rep_skaraborg, body=ref_group, title="Loggning", proposed_by=subregion["Skaraborg"]
    )
    assert item.author == person_of_user("skaraborg") and item.is_open
    with pytest.raises(PermissionDenied):
        backlog.backlog_add(actor=coordinator, body=ref_group, title="Loggning")


def test_the_administrator_is_told_she_has_no_person(ref_group, admin_user):
    with pytest.raises(ValidationError) as error:
        backlog.backlog_add(actor=admin_user, body=ref_group, title="Loggning")
    assert str(NO_PERSON) in error.value.messages


def test_an_item_needs_a_title_and_the_subregion_proposing_is_ones_own(ref_group, rep_fyrbodal, subregion):
    with pytest.raises(ValidationError, match="rubrik"):
        backlog.backlog_add(actor=rep_fyrbodal, body=ref_group, title=" ")
    with pytest.raises(ValidationError, match="företräder inte Skaraborg"):
        backlog.backlog_add(actor=rep_fyrbodal, body=ref_group, title="X", proposed_by=subregion["Skaraborg"])


def test_another_subregion_supports_once_and_the_proposing_subregion_not_at_all(rep_fyrbodal, rep_skaraborg):
    item = make_backlog_item()
    support = backlog.backlog_support(actor=rep_skaraborg, item=item, note="Samma här")
    assert support.subregion.short_name == "Skaraborg"
    with pytest.raises(ValidationError, match="Skaraborg har redan instämt"):
        backlog.backlog_support(actor=rep_skaraborg, item=item)
    with pytest.raises(ValidationError, match="Fyrbodal föreslog själv"):
        backlog.backlog_support(actor=rep_fyrbodal, item=item)


def test_only_a_representative_with_a_seat_in_the_body_supports(secretary, chair, coordinator):
    item = make_backlog_item()
    for user in (secretary, chair, coordinator):
        assert not can(user, backlog_rules.SUPPORT_BACKLOG_ITEM, item)
        with pytest.raises(PermissionDenied):
            backlog.backlog_support(actor=user, item=item)


def test_a_database_constraint_keeps_one_support_per_subregion(rep_skaraborg, subregion):
    item = make_backlog_item()
    backlog.backlog_support(actor=rep_skaraborg, item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        BacklogSupport.objects.create(item=item, subregion=subregion["Skaraborg"], person=person_of_user("skaraborg"))


def test_a_race_on_the_constraint_is_told_in_swedish(rep_skaraborg, monkeypatch):
    item = make_backlog_item()
    monkeypatch.setattr(backlog_rules, "support_check", lambda *a, **k: [])
    backlog.backlog_support(actor=rep_skaraborg, item=item)
    with pytest.raises(ValidationError, match="Skaraborg har redan instämt"):
        backlog.backlog_support(actor=rep_skaraborg, item=item)


def test_a_closed_item_takes_no_support_or_comment(secretary, rep_skaraborg):
    item = make_backlog_item()
    backlog.backlog_close(actor=secretary, item=item, reason="Löst på annat sätt")
    with pytest.raises(ValidationError, match="avslutad"):
        backlog.backlog_support(actor=rep_skaraborg, item=item)
    with pytest.raises(ValidationError, match="avslutad"):
        backlog.backlog_comment(actor=rep_skaraborg, item=item, text="Hej")


def test_members_comment_and_outsiders_may_not(rep_skaraborg, preparer, admin_user):
    item = make_backlog_item()
    comment = backlog.backlog_comment(actor=rep_skaraborg, item=item, text="Vi har <script>x</script>samma")
    assert "<script>" not in comment.text
    with pytest.raises(PermissionDenied):
        backlog.backlog_comment(actor=preparer, item=item, text="Hej")
    with pytest.raises(ValidationError):
        backlog.backlog_comment(actor=admin_user, item=item, text="Hej")


def test_the_secretary_and_coordinators_manage_but_members_do_not(secretary, coordinator, chair, rep_skaraborg):
    item = make_backlog_item()
    for user in (chair, rep_skaraborg):
        with pytest.raises(PermissionDenied):
            backlog.backlog_prioritise(actor=user, item=item, priority=1)
    assert backlog.backlog_prioritise(actor=secretary, item=item, priority=1).priority == 1
    assert backlog.backlog_prioritise(actor=coordinator, item=item, priority=2).priority == 2


def test_the_author_never_carries_her_own_item_on(secretary, coordinator):
    item = make_backlog_item(author="sekreterare", proposed_by=None)
    for step in (
        lambda: backlog.backlog_prioritise(actor=secretary, item=item, priority=1),
        lambda: backlog.backlog_close(actor=secretary, item=item, reason="Klar"),
        lambda: backlog.backlog_to_case(actor=secretary, item=item),
    ):
        with pytest.raises(ValidationError, match="åtskilda roller"):
            step()
    backlog.backlog_close(actor=coordinator, item=item, reason="Klar")


def test_closing_needs_a_reason(secretary):
    item = make_backlog_item()
    with pytest.raises(ValidationError, match="varför"):
        backlog.backlog_close(actor=secretary, item=item, reason=" ")


def test_an_item_becomes_a_case_prepared_by_gemensam_beredning_for_vvg(coordinator):
    item = make_backlog_item()
    case = backlog.backlog_to_case(
        actor=coordinator, item=item, preparing_body=_body("gemensam-beredning"), deciding_body=_body("vvg")
    )
    item.refresh_from_db()
    assert item.status == BacklogItem.Status.CASE and item.case == case
    assert case.raised_by.slug == "referensgrupp-shvo" and case.owner.slug == "vvg"
    assert case.preparing_body.slug == "gemensam-beredning" and case.status == Case.Status.PREPARING
    with pytest.raises(ValidationError):
        backlog.backlog_close(actor=coordinator, item=item, reason="Igen")


def test_an_item_becomes_a_working_groups_task(secretary):
    group = make_working_group()
    item = make_backlog_item()
    case = backlog.backlog_to_task(actor=secretary, item=item, working_group=group)
    item.refresh_from_db()
    assert item.status == BacklogItem.Status.TASK and item.case == case
    assert case in Case.objects.incoming(group)


def test_a_task_goes_only_to_an_active_working_group(secretary):
    item = make_backlog_item()
    with pytest.raises(ValidationError, match="arbetsgrupp"):
        backlog.backlog_to_task(actor=secretary, item=item, working_group=_body("vvg"))
    with pytest.raises(ValidationError, match="arbetsgrupp"):
        backlog.backlog_to_task(actor=secretary, item=item, working_group=_body("ag-utveckling"))


def test_the_pages_work_for_a_representative(rep_skaraborg, ref_group, secretary):
    item = make_backlog_item()
    client = signed_in(rep_skaraborg)
    page = client.get(reverse("governance:backlog", args=[ref_group.slug]))
    assert item.title in page.content.decode()
    answer = client.post(item.get_absolute_url(), {"support": "1", "note": "Samma"})
    assert answer.status_code == 302 and item.supports.count() == 1
    page = client.get(reverse("governance:backlog", args=[ref_group.slug]) + "?var=1")
    assert "Ni instämmer" in page.content.decode()
    assert "Vi i Skaraborg har samma behov" not in client.get(item.get_absolute_url()).content.decode()
    added = client.post(reverse("governance:backlog", args=[ref_group.slug]), {"title": "Reservrutin"})
    assert added.status_code == 302 and BacklogItem.objects.filter(title="Reservrutin").exists()
    closing = signed_in(secretary).post(reverse("governance:backlog_close", args=[item.pk]), {"reason": "Klar"})
    assert closing.status_code == 200 and b"Ja, avsluta" in closing.content  # asks first
    item.refresh_from_db()
    assert item.is_open


def test_the_support_button_names_the_subregion(rep_skaraborg):
    item = make_backlog_item()
    assert "Vi i Skaraborg har samma behov" in signed_in(rep_skaraborg).get(item.get_absolute_url()).content.decode()


def _grow(n):
    for i in range(n):
        item = make_backlog_item(title=f"Växer {i}")
        BacklogSupport.objects.create(item=item, subregion_id=_skaraborg(), person=person_of_user("skaraborg"))
        backlog.backlog_comment(actor=_user("skaraborg"), item=item, text="Hej")


def _skaraborg():
    from governance.models import Subregion

    return Subregion.objects.get(short_name="Skaraborg").pk


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _count(client, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_backlog_page_query_count_does_not_grow_with_items(rep_skaraborg, ref_group, django_assert_num_queries):
    client = signed_in(rep_skaraborg)
    url = reverse("governance:backlog", args=[ref_group.slug])
    _grow(2)
    few = _count(client, url, django_assert_num_queries)
    _grow(10)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_item_page_query_count_does_not_grow_with_supports_and_comments(rep_skaraborg, django_assert_num_queries):
    item = make_backlog_item()
    client = signed_in(rep_skaraborg)
    backlog.backlog_comment(actor=rep_skaraborg, item=item, text="Ett")
    few = _count(client, item.get_absolute_url(), django_assert_num_queries)
    for i in range(10):
        backlog.backlog_comment(actor=rep_skaraborg, item=item, text=f"Fler {i}")
    with django_assert_num_queries(few):
        client.get(item.get_absolute_url())


def test_the_body_page_links_the_backlog_for_its_readers_only(rep_skaraborg, reader, ref_group):
    url = reverse("governance:backlog", args=[ref_group.slug])
    assert url in signed_in(rep_skaraborg).get(ref_group.get_absolute_url()).content.decode()
    assert url not in signed_in(reader).get(ref_group.get_absolute_url()).content.decode()
