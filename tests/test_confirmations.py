"""Irreversible steps ask first and keep what was typed; empty drafts never replace text; one's own comment can be
changed or withdrawn until someone has answered it. (Every route × role × state is in tests/test_action_matrix.py;
these prove the rules and what the pages say.)"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.text import is_blank
from documents import reviews, rules, services
from documents.compilation import render_compilation_pdf
from documents.models import Comment, JointResponse, ManagementPlan, PlanSection, ReviewRound
from governance.models import Membership
from meetings import rules as meeting_rules
from meetings import services as meetings
from meetings.models import JusteringResponse, Minutes
from tests import action_states as st
from tests.test_review_rounds import pdf_text

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def round2027(db):
    return ReviewRound.objects.get(document__plan__year=2027)


@pytest.fixture
def fyrbodal_response(round2027):
    return round2027.responses.get(subregion__slug="fyrbodal")


def response_url(round_):
    return reverse("documents:response_edit", kwargs={"pk": round_.pk, "subregion": "fyrbodal"})


# --- empty drafts never replace someone's text ---------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "<p></p>", "<p><br></p>", "<p>&nbsp;</p>\n"])
def test_blank_is_text_without_a_word(blank):
    assert is_blank(blank)
    assert not is_blank("<p>x</p>")


def test_a_blank_draft_does_not_replace_the_saved_response(client, rep_fyrbodal, round2027, fyrbodal_response):
    saved_text, version = fyrbodal_response.text, fyrbodal_response.version
    assert saved_text.strip()
    with pytest.raises(ValidationError) as refused:
        reviews.response_save(actor=rep_fyrbodal, response=fyrbodal_response, text="<p> </p>", base_version=version)
    assert refused.value.message_dict == {"text": [str(rules.BLANK_RESPONSE_DRAFT)]}
    # On the page: "Spara utkast" with an empty box says so on the field, and the colleague's draft stays.
    response = signed_in(rep_fyrbodal).post(response_url(round2027), {"text": "  ", "base_version": version})
    assert response.status_code == 200 and "Rutan är tom, så utkastet sparades inte" in html(response)
    assert 'href="#id_text"' in html(response)
    kept = JointResponse.objects.get(pk=fyrbodal_response.pk)
    assert (kept.text, kept.version) == (saved_text, version)


def test_an_empty_response_may_be_saved_empty_again(rep_fyrbodal, round2027):
    # Nothing is replaced when there is nothing yet: the rule is about text, not about empty forms.
    skaraborg = round2027.responses.get(subregion__slug="skaraborg")
    saved = reviews.response_save(actor=st.user("skaraborg"), response=skaraborg, text="", base_version=1)
    assert saved.version == 2


def test_a_blank_section_does_not_replace_its_text(coordinator):
    section = ManagementPlan.objects.get(year=2027).sections.get(key=PlanSection.Key.PURPOSE)
    before = (section.body, section.revision)
    assert before[0].strip()
    response = signed_in(coordinator).post(
        reverse("documents:section_edit", kwargs={"pk": section.pk}),
        {"body": "<p><br></p>", "base_version": section.revision},
    )
    assert response.status_code == 200 and "Rutan är tom, så avsnittet sparades inte" in html(response)
    section.refresh_from_db()
    assert (section.body, section.revision) == before


def test_blank_minutes_notes_do_not_replace_the_notes(secretary):
    ctx = st.meeting_in("draft")
    item = ctx["item"]
    meetings.item_minutes_save(actor=secretary, item=item, discussion="<p>Gruppen diskuterade.</p>")
    with pytest.raises(ValidationError) as refused:
        meetings.item_minutes_save(actor=secretary, item=item, discussion="<p>\n</p>")
    assert refused.value.message_dict == {"discussion": [str(meeting_rules.BLANK_NOTES)]}
    item.refresh_from_db()
    assert item.discussion == "<p>Gruppen diskuterade.</p>"


# --- submitting the joint response asks first ----------------------------------------------------


def test_submitting_asks_once_with_the_text_and_keeps_it_on_avbryt(rep_fyrbodal, round2027, fyrbodal_response):
    client = signed_in(rep_fyrbodal)
    typed = {"text": "Fyrbodal tillstyrker.\n\nMed två tillägg.", "base_version": fyrbodal_response.version}
    asked = client.post(response_url(round2027), {**typed, "submit": "1"})
    page = html(asked)
    assert asked.status_code == 200 and "<h1>Skicka in svaret från Vårdsamverkan Fyrbodal?</h1>" in page
    assert "<p>Fyrbodal tillstyrker.</p><p>Med två tillägg.</p>" in page  # what will be submitted, as it will read
    assert "Det går inte att ångra:" in page and 'name="confirmed" value="1"' in page
    # Every typed value travels in hidden fields, line breaks included.
    assert ("text", typed["text"]) in asked.context["carried"] and ("submit", "1") in asked.context["carried"]
    assert not JointResponse.objects.get(pk=fyrbodal_response.pk).is_submitted
    back = client.post(response_url(round2027), {**typed, "submit": "1", "tillbaka": "1"})
    assert f"{typed['text']}</textarea>" in html(back) and "Ja, skicka in" not in html(back)
    assert not JointResponse.objects.get(pk=fyrbodal_response.pk).is_submitted
    done = client.post(response_url(round2027), {**typed, "submit": "1", "confirmed": "1"})
    assert done.status_code == 302  # asked once: the confirmation submits
    submitted = JointResponse.objects.get(pk=fyrbodal_response.pk)
    assert submitted.is_submitted and submitted.text == "<p>Fyrbodal tillstyrker.</p><p>Med två tillägg.</p>"


def test_an_empty_response_is_refused_before_anything_is_asked(rep_fyrbodal, round2027, fyrbodal_response):
    response = signed_in(rep_fyrbodal).post(
        response_url(round2027), {"text": "", "base_version": fyrbodal_response.version, "submit": "1"}
    )
    assert "components/confirm.html" not in [t.name for t in response.templates]
    assert str(rules.RESPONSE_EMPTY) in html(response)


def test_the_submit_check_needs_a_person_and_text(admin_user, rep_fyrbodal, fyrbodal_response):
    assert rules.response_submit_check(rep_fyrbodal, fyrbodal_response, "<p>Svar</p>") == []
    assert rules.response_submit_check(rep_fyrbodal, fyrbodal_response, "<p> </p>") == [str(rules.RESPONSE_EMPTY)]
    assert rules.response_submit_check(admin_user, fyrbodal_response, "<p>Svar</p>") == [str(rules.NO_PERSON)]


# --- the other questions say what happens -------------------------------------------------------


def test_closing_a_round_names_the_subregions_that_can_no_longer_answer(coordinator, round2027):
    asked = signed_in(coordinator).post(reverse("documents:round_close", kwargs={"pk": round2027.pk}))
    page = html(asked)
    assert "0 av 6 delregioner har skickat in sitt svar" in page
    assert "Fyrbodal, Göteborgsområdet, SAMLA, SIMBA, Skaraborg, Södra Älvsborg kan då inte längre svara." in page
    assert f'href="{round2027.get_absolute_url()}">Avbryt</a>' in page  # nothing typed: back to the round
    assert ReviewRound.objects.get(pk=round2027.pk).is_open


def test_the_chair_approving_last_is_told_the_minutes_become_locked(chair, rep_fyrbodal):
    ctx = st.meeting_in("in_justering")
    meeting = ctx["meeting"]
    url = reverse("meetings:justering", kwargs={"pk": meeting.pk})
    asked = html(signed_in(chair).post(url, {"approve": "1", "comment": "Bra skrivet."}))
    assert "Sedan väntar protokollet på: Maria Ek." in asked and "Din kommentar skickas med" in asked
    assert not JusteringResponse.objects.filter(minutes__meeting=meeting).exists()
    signed_in(rep_fyrbodal).post(url, {"approve": "1", "confirmed": "1"})
    asked = html(signed_in(chair).post(url, {"approve": "1"}))
    assert "Du är den sista som godkänner: protokollet blir justerat och låst" in asked
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.IN_JUSTERING
    signed_in(chair).post(url, {"approve": "1", "confirmed": "1"})
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.JUSTERAT


def test_a_comment_without_approval_is_not_asked(chair):
    meeting = st.meeting_in("in_justering")["meeting"]
    response = signed_in(chair).post(
        reverse("meetings:justering", kwargs={"pk": meeting.pk}), {"comment_only": "1", "comment": "Stavfel."}
    )
    assert response.status_code == 302 and JusteringResponse.objects.filter(comment="Stavfel.").exists()


def test_giving_up_ones_own_seat_asks_and_anyone_elses_does_not(coordinator, admin_fyrbodal):
    own = Membership.objects.current().get(body__slug="gits", person__user__username="samordnare")
    assert (
        signed_in(coordinator)
        .post(reverse("governance:membership_end", kwargs={"pk": own.pk}), {"end_date": st.iso(st.today())})
        .status_code
        == 200
    )
    assert Membership.objects.get(pk=own.pk).end_date is None
    other = st.seat("fyrbodal")["seat"]
    ended = signed_in(admin_fyrbodal).post(
        reverse("governance:membership_end", kwargs={"pk": other.pk}), {"end_date": st.iso(st.today())}
    )
    assert ended.status_code == 302 and Membership.objects.get(pk=other.pk).end_date == st.today()


def test_an_impossible_round_is_refused_before_anything_is_asked():
    errors = reviews.round_open_errors(deadline=st.today(), subregions=[])
    assert set(errors) == {"deadline", "subregions"}
    assert services.plan_position_errors(date=st.today() + st.DAY) and not services.plan_position_errors(
        date=st.today()
    )


# --- one's own comment -----------------------------------------------------------------------------


@pytest.fixture
def skaraborg_comment(round2027):
    return Comment.objects.get(round=round2027, author__user__username="skaraborg")


def test_the_author_changes_her_comment_and_the_history_keeps_the_old_text(rep_skaraborg, skaraborg_comment):
    client = signed_in(rep_skaraborg)
    url = reverse("documents:comment_edit", kwargs={"pk": skaraborg_comment.pk})
    form = client.get(url)
    assert form.status_code == 200 and "Önskar ett gemensamt utbildningspaket" in html(form)
    response = client.post(url, {"text": "Önskar ett utbildningspaket även för baspersonal."})
    assert response.status_code == 302 and response["Location"].endswith(f"#kommentar-{skaraborg_comment.pk}")
    skaraborg_comment.refresh_from_db()
    assert skaraborg_comment.text == "<p>Önskar ett utbildningspaket även för baspersonal.</p>"
    old, new = skaraborg_comment.history.order_by("-history_id")[:2][::-1]
    assert old.text.startswith("<p>Önskar ett gemensamt") and new.history_user == rep_skaraborg
    assert new.history_change_reason == "Kommentar ändrad av den som skrev den"


def test_an_empty_change_is_refused_on_the_field(rep_skaraborg, skaraborg_comment):
    response = signed_in(rep_skaraborg).post(
        reverse("documents:comment_edit", kwargs={"pk": skaraborg_comment.pk}), {"text": "  "}
    )
    assert response.status_code == 200 and "återkalla den om den ska bort" in html(response)
    assert Comment.objects.get(pk=skaraborg_comment.pk).text.startswith("<p>Önskar")


def test_withdrawing_asks_then_removes_the_comment_from_page_and_compilation_but_not_history(
    coordinator, rep_skaraborg, round2027, skaraborg_comment
):
    client = signed_in(rep_skaraborg)
    url = reverse("documents:comment_withdraw", kwargs={"pk": skaraborg_comment.pk})
    asked = client.post(url)
    assert asked.status_code == 200 and "Återkalla din kommentar?" in html(asked)
    assert "Önskar ett gemensamt utbildningspaket" in html(asked) and Comment.objects.filter(pk=skaraborg_comment.pk)
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not Comment.objects.filter(pk=skaraborg_comment.pk).exists()
    assert "Önskar ett gemensamt utbildningspaket" not in html(client.get(round2027.get_absolute_url()))
    assert "utbildningspaket" not in pdf_text(render_compilation_pdf(ReviewRound.objects.get(pk=round2027.pk)))
    gone = Comment.history.filter(id=skaraborg_comment.pk).latest("history_id")
    assert gone.history_type == "-" and gone.history_user == rep_skaraborg and gone.text.startswith("<p>Önskar")
    assert gone.history_change_reason == "Kommentar återkallad av den som skrev den"


def test_the_round_page_offers_change_and_withdraw_only_on_ones_own_unanswered_comments(
    rep_fyrbodal, rep_skaraborg, round2027, skaraborg_comment
):
    edit = reverse("documents:comment_edit", kwargs={"pk": skaraborg_comment.pk})
    fyrbodal_first = Comment.objects.get(round=round2027, author__user__username="fyrbodal", parent=None)
    assert edit in html(signed_in(rep_skaraborg).get(round2027.get_absolute_url()))
    page = html(signed_in(rep_fyrbodal).get(round2027.get_absolute_url()))
    assert edit not in page  # not hers
    # Fyrbodal's own comment has the coordinator's reply: no longer hers to change.
    assert reverse("documents:comment_edit", kwargs={"pk": fyrbodal_first.pk}) not in page


def test_only_the_author_may_change_a_comment(coordinator, rep_fyrbodal, admin_user, skaraborg_comment):
    for other in (coordinator, rep_fyrbodal, admin_user):
        assert rules.comment_change_check(other, skaraborg_comment) == [str(rules.COMMENT_NOT_YOURS)]
        with pytest.raises(PermissionDenied):
            reviews.comment_edit(actor=other, comment=skaraborg_comment, text="Ändrat av någon annan.")


def test_a_comment_with_a_disposition_replies_or_a_closed_round_stays_as_it_is(coordinator, rep_skaraborg):
    def refusal(state):
        ctx = st.comment_in(state)
        return rules.comment_change_check(st.user("fyrbodal"), Comment.objects.get(pk=ctx["comment"].pk))

    assert refusal("open") == []
    assert refusal("disposed") == [str(rules.COMMENT_HAS_DISPOSITION)]
    assert refusal("replied") == [str(rules.COMMENT_HAS_REPLIES)]
    assert refusal("closed") == [str(rules.COMMENT_ROUND_CLOSED)]


def test_a_reply_is_locked_once_its_thread_has_a_disposition(coordinator, rep_skaraborg):
    ctx = st.comment_in("open")
    reply = reviews.comment_add(actor=rep_skaraborg, round_=ctx["round"], parent=ctx["comment"], text="Instämmer.")
    assert rules.comment_change_check(rep_skaraborg, reply) == []
    reviews.comment_dispose(actor=coordinator, comment=ctx["comment"], disposition="accepted", reason="")
    reply = Comment.objects.get(pk=reply.pk)
    assert rules.comment_change_check(rep_skaraborg, reply) == [str(rules.COMMENT_HAS_DISPOSITION)]
    with pytest.raises(ValidationError):
        reviews.comment_withdraw(actor=rep_skaraborg, comment=reply)
