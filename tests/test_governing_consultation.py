"""A proposal's consultation beyond the positions (issue 13): comments on a section, on a passage quoted from it or on
the whole proposal, by those in the consultation while it is open; the proposer's (or the owner's steward's) answer to
each, once, with a reason unless it is taken care of; the proposer taking her proposal back, which closes its case;
and a revision escalated by the owner body's decision, prepared by Gemensam beredning for VVG.

Every refusal leaves the database as it was (`_written` before and after). The pages keep what was typed on a
refusal and say why on the field; taking a proposal back asks first."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from documents import governing
from documents import governing_rules as rules
from documents.governing_models import Revision, RevisionComment, RevisionPosition
from governance.case_models import Case, CaseStep
from governance.models import Body, Membership, Subregion
from governance.permissions import NO_PERSON, NOT_ALLOWED
from tests import governing_builders as gb
from tests.factories import make_membership, make_person

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
PROPOSER = "goteborg"  # Eva Dahl, Göteborgsområdet's representative: neither a steward nor a coordinator
STEWARDS = ["sekreterare", "samordnare"]  # the reference group's secretary, a coordinator (and the administrator)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sub(slug) -> Subregion:
    return Subregion.objects.get(slug=slug)


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def _proposal(**kw) -> Revision:
    """An open editorial revision of a new routine of the reference group, proposed by Göteborgsområdet's
    representative."""
    return gb.propose(gb.make_routine(), actor=gb.user(PROPOSER), **kw)


def _actor(username, django_user_model):
    if username == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if username == "reader":
        return django_user_model.objects.create_user("lasare")
    return gb.user(username)


def _written() -> tuple:
    """What any of these steps writes: comments and their history, revisions' history, cases and their steps."""
    return (
        RevisionComment.objects.count(),
        RevisionComment.history.count(),
        Revision.history.count(),
        RevisionPosition.objects.count(),
        Case.history.count(),
        CaseStep.objects.count(),
    )


def _comment(revision, username="fyrbodal", **kw) -> RevisionComment:
    return gb.comment_on(revision, username=username, **kw)


def _approved() -> Revision:
    revision = _proposal()
    gb.all_agree(revision)
    gb.decide(revision)
    revision.refresh_from_db()
    assert revision.is_approved
    return revision


def _withdrawn() -> Revision:
    revision = _proposal()
    gb.withdraw(revision, username=PROPOSER)
    revision.refresh_from_db()
    return revision


def _closed(state) -> Revision:
    return _approved() if state == "approved" else _withdrawn()


# --- who comments ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, subregion",
    [
        ("fyrbodal", "fyrbodal"),  # a representative of a subregion asked: her comment is her subregion's
        ("skaraborg", "skaraborg"),
        (PROPOSER, "goteborgsomradet"),  # the proposer
        ("ordforande", None),  # the owner body's chair and secretary answer for no subregion
        ("sekreterare", None),
        ("samordnare", None),  # a coordinator
    ],
)
def test_everyone_in_the_consultation_comments_and_the_comment_names_the_subregion_she_answers_for(username, subregion):
    revision = _proposal()
    comment = _comment(revision, username=username)
    assert comment.revision == revision and comment.author.user == gb.user(username)
    assert (comment.subregion.slug if comment.subregion else None) == subregion
    assert comment.text == "<p>Vem ansvarar för hemtjänsten?</p>" and not comment.is_answered


def test_the_proposer_comments_and_answers_after_her_seat_has_ended():
    revision = _proposal()
    yesterday = timezone.localdate() - DAY
    Membership.objects.filter(person__user__username=PROPOSER, body=gb.ref()).update(end_date=yesterday)
    proposer = gb.user(PROPOSER)
    assert not rules.is_member_of(proposer, gb.ref()) and not rules.represented_subregion_ids(proposer)
    own = _comment(revision, username=PROPOSER)
    assert own.subregion is None  # she answers for no subregion any more
    governing.comment_answer(actor=proposer, comment=_comment(revision), disposition="accepted", reason="")


def test_a_representative_of_a_subregion_asked_comments_from_another_body_but_answers_for_no_subregion_here():
    person = make_person()
    make_membership(
        body=Body.objects.get(slug="lgs-goteborgsomradet"), person=person, subregion=_sub("goteborgsomradet")
    )
    revision = _proposal()
    comment = _comment(revision, username=person.user.username)
    assert comment.author == person and comment.subregion is None


@pytest.mark.parametrize("username", ["anonymous", "reader", "admin-fyrbodal", "beredning", "sekreterare-vvg"])
def test_nobody_outside_the_consultation_comments(username, django_user_model):
    revision = _proposal()
    actor = _actor(username, django_user_model)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_add(actor=actor, revision=revision, text="Jag tycker till.", section_key="ansvar")
    assert _messages(refused.value) == [str(NOT_ALLOWED)]
    assert _written() == before
    assert rules.comment_check(actor, revision) == [str(NOT_ALLOWED)]


def test_the_administrator_is_told_a_comment_is_signed_by_a_person():
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_add(actor=gb.user("admin"), revision=revision, text="Från administratören.")
    assert _messages(refused.value) == [str(NO_PERSON)]
    assert _written() == before


@pytest.mark.parametrize("state, status", [("approved", "fastställd"), ("withdrawn", "återtaget")])
def test_no_comment_once_the_proposal_is_approved_or_withdrawn(state, status):
    revision = _closed(state)
    before = _written()
    for username in ["fyrbodal", PROPOSER, "samordnare"]:
        with pytest.raises(ValidationError) as refused:
            _comment(revision, username=username)
        assert _messages(refused.value) == [str(rules.COMMENT_NOT_OPEN % {"s": status})]
    assert _written() == before


def test_comments_are_taken_on_a_principled_revision_and_on_one_on_the_agenda():
    principled = _proposal(change_class="principled")
    assert _comment(principled).subregion == _sub("fyrbodal")
    on_agenda = _proposal()
    gb.on_agenda(on_agenda)
    on_agenda.refresh_from_db()
    assert on_agenda.case.status == "on_agenda"
    assert _comment(on_agenda, username="skaraborg").subregion == _sub("skaraborg")


# --- what a comment is on ----------------------------------------------------------------------------------------------


def test_a_comment_is_on_a_section_or_on_the_whole_proposal():
    revision = _proposal()
    on_section = _comment(revision, section_key="ansvar")
    whole = _comment(revision, section_key="", text="Bra förslag i sin helhet.")
    assert (on_section.section_key, on_section.quote) == ("ansvar", "")
    assert (whole.section_key, whole.quote) == ("", "")


def test_a_quoted_passage_is_found_in_its_section_whatever_its_spaces_and_the_sections_markup():
    body = "<p>Meddelanden <strong>skickas</strong> i&nbsp;SAMSA</p>\n<p>och i NPÖ &amp; 1177.</p>"
    revision = _proposal(body=body)
    comment = _comment(revision, section_key="it-stod", quote="  Meddelanden   skickas i\nSAMSA och i NPÖ & 1177. ")
    assert comment.quote == "Meddelanden   skickas i\nSAMSA och i NPÖ & 1177."  # kept as typed, trimmed


@pytest.mark.parametrize(
    "section_key, quote",
    [
        ("it-stod", "Meddelanden skickas i IT-tjänsten."),  # the text of the version it changes, not the proposed one
        ("ansvar", "Meddelanden skickas i SAMSA."),  # in another section
        ("ansvar", "Regionen ansvarar"),  # nowhere
    ],
)
def test_a_quoted_passage_not_in_the_proposed_sections_text_is_refused_on_the_quote(section_key, quote):
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _comment(revision, section_key=section_key, quote=quote)
    assert refused.value.message_dict == {"quote": [str(rules.COMMENT_QUOTE_NOT_FOUND)]}
    assert _written() == before


def test_a_quoted_passage_without_its_section_is_refused_on_the_quote():
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _comment(revision, section_key="", quote="Kommunen ansvarar")
    assert refused.value.message_dict == {"quote": [str(rules.COMMENT_QUOTE_WITHOUT_SECTION)]}
    assert _written() == before


def test_a_section_the_proposed_version_does_not_have_is_refused_on_the_section():
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _comment(revision, section_key="finns-inte", quote="Kommunen ansvarar")
    assert refused.value.message_dict == {"section_key": [str(rules.COMMENT_SECTION_UNKNOWN)]}
    assert _written() == before


@pytest.mark.parametrize(
    "text", ["", "   ", "\xa0", "<p> </p>", "<p><br></p>", "<p>&nbsp;</p>", "<p><script>alert(1)</script></p>"]
)
def test_a_comment_without_words_is_refused_on_its_text(text):
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _comment(revision, text=text)
    assert refused.value.message_dict == {"text": [str(rules.COMMENT_TEXT_REQUIRED)]}
    assert _written() == before


def test_a_comments_markup_is_sanitised_and_shown_as_text():
    revision = _proposal()
    text = '<p onclick="stjal()">Se <a href="javascript:alert(1)">här</a><script>alert(2)</script> <b>nu</b></p>'
    comment = _comment(revision, text=text)
    assert "onclick" not in comment.text and "javascript:" not in comment.text and "<script" not in comment.text
    assert "<b>nu</b>" in comment.text or "<strong>nu</strong>" in comment.text
    page = _client("skaraborg").get(revision.get_absolute_url()).content.decode()
    assert "stjal()" not in page and "alert(1)" not in page and "alert(2)" not in page


# --- answering a comment ---------------------------------------------------------------------------------------------


def test_the_proposer_answers_a_comment_and_who_when_and_how_are_recorded():
    revision = _proposal()
    comment = _comment(revision)
    governing.comment_answer(
        actor=gb.user(PROPOSER), comment=comment, disposition="partly", reason="Hemtjänsten nämns i nästa version."
    )
    comment.refresh_from_db()
    assert comment.disposition == "partly" and comment.is_answered
    assert comment.disposition_reason == "<p>Hemtjänsten nämns i nästa version.</p>"
    assert comment.disposition_by.user == gb.user(PROPOSER) and comment.disposition_at is not None
    assert comment.history.first().history_change_reason == "Kommentar besvarad"


@pytest.mark.parametrize("username", STEWARDS)
def test_the_owners_steward_answers_a_comment_in_the_proposers_place(username):
    comment = _comment(_proposal())
    governing.comment_answer(actor=gb.user(username), comment=comment, disposition="accepted", reason="")
    comment.refresh_from_db()
    assert comment.disposition == "accepted" and comment.disposition_by.user == gb.user(username)


@pytest.mark.parametrize(
    "username", ["anonymous", "reader", "fyrbodal", "skaraborg", "ordforande", "beredning", "sekreterare-vvg"]
)
def test_nobody_else_answers_a_comment(username, django_user_model):
    comment = _comment(_proposal(), username="skaraborg" if username == "fyrbodal" else "fyrbodal")
    actor = _actor(username, django_user_model)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_answer(actor=actor, comment=comment, disposition="accepted", reason="")
    assert _messages(refused.value) == [str(NOT_ALLOWED)]
    assert _written() == before


def test_the_administrator_may_answer_but_is_told_an_answer_is_signed_by_a_person():
    comment = _comment(_proposal())
    assert rules.answer_check(gb.user("admin"), comment) == []
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_answer(actor=gb.user("admin"), comment=comment, disposition="accepted", reason="")
    assert _messages(refused.value) == [str(NO_PERSON)]
    assert _written() == before


def test_nobody_answers_her_own_comment():
    revision = _proposal()
    own = _comment(revision, username="sekreterare")
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_answer(actor=gb.user("sekreterare"), comment=own, disposition="accepted", reason="")
    assert _messages(refused.value) == [str(rules.ANSWER_OWN_COMMENT)]
    assert _written() == before
    proposers_own = _comment(revision, username=PROPOSER)
    with pytest.raises(ValidationError):
        governing.comment_answer(actor=gb.user(PROPOSER), comment=proposers_own, disposition="accepted", reason="")
    governing.comment_answer(actor=gb.user(PROPOSER), comment=own, disposition="accepted", reason="")
    governing.comment_answer(actor=gb.user("sekreterare"), comment=proposers_own, disposition="accepted", reason="")


def test_a_comment_is_answered_once():
    comment = _comment(_proposal())
    governing.comment_answer(actor=gb.user(PROPOSER), comment=comment, disposition="accepted", reason="")
    before = _written()
    for username in [PROPOSER, "sekreterare"]:
        with pytest.raises(ValidationError) as refused:
            governing.comment_answer(
                actor=gb.user(username), comment=comment, disposition="not_accepted", reason="Nej ändå."
            )
        assert _messages(refused.value) == [str(rules.ANSWER_ALREADY % {"d": timezone.localdate()})]
    assert _written() == before
    comment.refresh_from_db()
    assert comment.disposition == "accepted" and comment.disposition_by.user == gb.user(PROPOSER)


@pytest.mark.parametrize("disposition", ["partly", "not_accepted"])
@pytest.mark.parametrize("reason", ["", "  ", "<p> </p>"])
def test_an_answer_that_does_not_take_care_of_the_comment_says_why_on_its_reason(disposition, reason):
    comment = _comment(_proposal())
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_answer(actor=gb.user(PROPOSER), comment=comment, disposition=disposition, reason=reason)
    assert refused.value.message_dict == {"reason": [str(rules.ANSWER_REASON)]}
    assert _written() == before


def test_a_comment_taken_care_of_needs_no_reason():
    comment = _comment(_proposal())
    governing.comment_answer(actor=gb.user(PROPOSER), comment=comment, disposition="accepted", reason="")
    comment.refresh_from_db()
    assert comment.disposition == "accepted" and comment.disposition_reason == ""


@pytest.mark.parametrize("disposition", ["", "maybe", "ACCEPTED"])
def test_an_answer_of_no_known_kind_is_refused_on_its_choice(disposition):
    comment = _comment(_proposal())
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.comment_answer(actor=gb.user(PROPOSER), comment=comment, disposition=disposition, reason="Se svaret.")
    assert refused.value.message_dict == {"disposition": [str(rules.ANSWER_CHOICE)]}
    assert _written() == before


@pytest.mark.parametrize("state, status", [("approved", "fastställd"), ("withdrawn", "återtaget")])
def test_no_answer_once_the_proposal_is_approved_or_withdrawn(state, status):
    revision = _proposal()
    comment = _comment(revision)
    if state == "approved":
        gb.all_agree(revision)
        gb.decide(revision)
    else:
        gb.withdraw(revision, username=PROPOSER)
    comment.refresh_from_db()
    before = _written()
    for username in [PROPOSER, "sekreterare"]:
        with pytest.raises(ValidationError) as refused:
            governing.comment_answer(actor=gb.user(username), comment=comment, disposition="accepted", reason="")
        assert _messages(refused.value) == [str(rules.COMMENT_NOT_OPEN % {"s": status})]
    assert _written() == before


# --- taking a proposal back ----------------------------------------------------------------------------------------------


def test_the_proposer_takes_her_proposal_back_with_a_reason_and_its_case_is_closed():
    revision = _proposal()
    case = revision.case
    governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason="SAMSA byter namn igen.")
    revision.refresh_from_db()
    case.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and not revision.is_open
    assert revision.history.first().history_change_reason == "Förslaget återtaget"
    assert case.status == "closed"
    closing = case.steps.get(kind="closed")
    assert closing.text == "<p>Förslaget återtogs: SAMSA byter namn igen.</p>" and closing.actor == gb.user(PROPOSER)
    states = {s.revision.pk: s.label for s in governing.version_states(list(revision.document.revisions.all()))}
    assert states[revision.pk] == "Återtaget"


@pytest.mark.parametrize("username", [*STEWARDS, "admin"])
def test_the_owners_steward_takes_a_proposal_back(username):
    revision = _proposal()
    governing.revision_withdraw(actor=gb.user(username), revision=revision, reason="Förslagsställaren har slutat.")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and revision.case.status == "closed"


def test_a_principled_proposal_in_preparation_is_taken_back_and_its_case_at_vvg_closed():
    revision = _proposal(change_class="principled")
    assert revision.case.status == "preparing" and revision.case.owner.slug == "vvg"
    governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason="Frågan löses på annat sätt.")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and revision.case.status == "closed"


@pytest.mark.parametrize(
    "username", ["anonymous", "reader", "fyrbodal", "skaraborg", "ordforande", "beredning", "admin-fyrbodal"]
)
def test_nobody_else_takes_a_proposal_back(username, django_user_model):
    revision = _proposal()
    actor = _actor(username, django_user_model)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.revision_withdraw(actor=actor, revision=revision, reason="Jag vill inte ha det.")
    assert _messages(refused.value) == [str(NOT_ALLOWED)]
    assert _written() == before
    revision.refresh_from_db()
    assert revision.is_open and revision.case.status == "raised"


@pytest.mark.parametrize("reason", ["", "   ", "<p><br></p>"])
def test_taking_a_proposal_back_needs_a_reason_on_its_field(reason):
    revision = _proposal()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason=reason)
    assert refused.value.message_dict == {"reason": [str(rules.WITHDRAW_REASON)]}
    assert _written() == before


def test_a_proposal_on_an_agenda_is_not_taken_back_until_the_secretary_strikes_it():
    from meetings import services as meeting_services

    revision = _proposal()
    item = gb.on_agenda(revision)
    revision.refresh_from_db()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason="Behövs inte.")
    assert _messages(refused.value) == [str(rules.WITHDRAW_ON_AGENDA % {"body": "Referensgrupp SHVO:s"})]
    assert _written() == before
    meeting_services.agenda_item_delete(actor=gb.user("sekreterare"), item=item)
    governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason="Behövs inte.")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN


def test_an_approved_revision_is_not_taken_back():
    revision = _approved()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        governing.revision_withdraw(actor=gb.user("sekreterare"), revision=revision, reason="För sent.")
    assert _messages(refused.value) == [str(rules.REVISION_NOT_OPEN % {"s": "fastställd"})]
    assert _written() == before


def test_a_withdrawn_proposal_is_not_approved_positioned_escalated_or_taken_back_again():
    revision = _withdrawn()
    not_open = str(rules.REVISION_NOT_OPEN % {"s": "återtaget"})
    before = _written()
    assert rules.owner_approval_refusals(revision, gb.ref()) == [not_open]
    with pytest.raises(ValidationError):  # its case is closed: it is on no agenda again
        gb.decide(revision)
    with pytest.raises(ValidationError) as position:
        governing.position_take(
            actor=gb.user("skaraborg"), revision=revision, subregion=_sub("skaraborg"), stance="agree"
        )
    assert _messages(position.value) == [not_open]
    with pytest.raises(ValidationError) as escalation:
        governing.revision_escalate(actor=gb.user("skaraborg"), revision=revision, reason="Principiell.")
    assert _messages(escalation.value) == [not_open]
    with pytest.raises(ValidationError) as again:
        governing.revision_withdraw(actor=gb.user(PROPOSER), revision=revision, reason="Igen.")
    assert _messages(again.value) == [not_open]
    assert _written() == before
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and revision.approved_by_body is None


# --- escalated by the owner body's decision ---------------------------------------------------------------------------


def test_a_revision_escalated_by_the_owners_decision_is_prepared_by_gemensam_beredning_for_vvg():
    revision = _proposal()
    vvg = Body.objects.get(slug="vvg")
    gb.decide(revision, kind="escalation", escalated_to=vvg)
    revision.refresh_from_db()
    case = revision.case
    assert revision.is_open and revision.change_class == "principled"
    assert case.owner == vvg and rules.deciding_body(revision) == vvg
    assert case.preparing_body.slug == "gemensam-beredning" and case.status == "preparing"
    assert case.steps.filter(kind="preparing", to_body__slug="gemensam-beredning").exists()
    assert revision.history.first().history_change_reason == "Förslaget bereds för beslut"
    gb.decide(revision, vvg, secretary=gb.user("sekreterare-vvg"))  # VVG decides it after preparation
    revision.refresh_from_db()
    assert revision.is_approved and revision.approved_by_body == vvg


# --- the pages ---------------------------------------------------------------------------------------------------------


def _client(username=None):
    client = Client()
    if username:
        client.force_login(gb.user(username))
    return client


def _url(revision, tail=""):
    return f"{revision.get_absolute_url()}{tail}"


def test_a_comment_posted_on_the_page_is_shown_on_its_section_with_its_quote_and_subregion():
    revision = _proposal()
    data = {"section_key": "ansvar", "quote": "Kommunen ansvarar", "text": "Gäller det hemtjänsten?"}
    response = _client("fyrbodal").post(_url(revision, "kommentar/"), data)
    assert response.status_code == 302 and response["Location"] == _url(revision, "#kommentarer")
    page = _client("skaraborg").get(_url(revision)).content.decode()
    assert "Avsnitt: Ansvar" in page and "<p>Kommunen ansvarar</p>" in page and "Gäller det hemtjänsten?" in page
    assert "Maria Ek (Fyrbodal)" in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"section_key": "ansvar", "quote": "Står inte där", "text": "Min kommentar om ansvaret."}, "quote",
         rules.COMMENT_QUOTE_NOT_FOUND),
        ({"section_key": "", "quote": "Kommunen ansvarar", "text": "Min kommentar om ansvaret."}, "quote",
         rules.COMMENT_QUOTE_WITHOUT_SECTION),
        ({"section_key": "ansvar", "quote": "Kommunen ansvarar", "text": "<p> </p>"}, "text",
         rules.COMMENT_TEXT_REQUIRED),
    ],
)  # fmt: skip
def test_a_refused_comment_keeps_what_was_typed_and_says_why_on_the_field(data, field, message):
    revision = _proposal()
    before = _written()
    response = _client("fyrbodal").post(_url(revision, "kommentar/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_{field}">' in html and str(message) in html
    assert response.context["comment_form"].errors[field] == [str(message)]
    assert all(value in html for value in data.values() if len(value) > 8)
    assert _written() == before


def test_a_comment_posted_after_the_consultation_closed_keeps_its_text_and_says_why():
    revision = _proposal()
    page = _client("fyrbodal")
    gb.withdraw(revision, username=PROPOSER)  # meanwhile, in another window
    before = _written()
    response = page.post(_url(revision, "kommentar/"), {"section_key": "", "quote": "", "text": "Lång kommentar."})
    html = response.content.decode()
    assert response.status_code == 200
    assert str(rules.COMMENT_NOT_OPEN % {"s": "återtaget"}) in html and "Lång kommentar." in html
    assert _written() == before


def test_an_answer_posted_on_the_page_is_shown_with_its_comment():
    revision = _proposal()
    comment = _comment(revision)
    prefix = f"svar-{comment.pk}"
    data = {f"{prefix}-disposition": "partly", f"{prefix}-reason": "Hemtjänsten nämns i nästa version."}
    response = _client(PROPOSER).post(_url(revision, f"kommentar/{comment.pk}/svar/"), data)
    assert response.status_code == 302 and response["Location"] == _url(revision, f"#kommentar-{comment.pk}")
    page = _client(PROPOSER).get(_url(revision)).content.decode()
    assert "Delvis tillgodosedd" in page and "Hemtjänsten nämns i nästa version." in page
    assert "Svara på kommentaren" not in page  # answered once


def test_a_refused_answer_keeps_the_choice_and_says_why_on_the_reason():
    revision = _proposal()
    comment = _comment(revision)
    prefix = f"svar-{comment.pk}"
    before = _written()
    response = _client(PROPOSER).post(
        _url(revision, f"kommentar/{comment.pk}/svar/"),
        {f"{prefix}-disposition": "not_accepted", f"{prefix}-reason": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_{prefix}-reason">' in html and str(rules.ANSWER_REASON) in html
    assert re.search(rf'<input type="radio" name="{prefix}-disposition" value="not_accepted"[^>]* checked', html)
    assert _written() == before


def test_an_answer_posted_after_the_comment_was_answered_or_the_proposal_closed_keeps_its_text_and_says_why():
    revision = _proposal()
    answered, open_ = _comment(revision), _comment(revision, username="skaraborg")
    governing.comment_answer(actor=gb.user("sekreterare"), comment=answered, disposition="accepted", reason="")
    page = _client(PROPOSER)
    data = {f"svar-{answered.pk}-disposition": "not_accepted", f"svar-{answered.pk}-reason": "Mitt eget svar här."}
    response = page.post(_url(revision, f"kommentar/{answered.pk}/svar/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert str(rules.ANSWER_ALREADY % {"d": timezone.localdate()}) in html and "Mitt eget svar här." in html
    gb.withdraw(revision, username="sekreterare")
    before = _written()
    data = {f"svar-{open_.pk}-disposition": "partly", f"svar-{open_.pk}-reason": "Svaret som inte får försvinna."}
    response = page.post(_url(revision, f"kommentar/{open_.pk}/svar/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert str(rules.COMMENT_NOT_OPEN % {"s": "återtaget"}) in html and "Svaret som inte får försvinna." in html
    assert _written() == before


def test_an_answer_to_a_comment_of_another_proposal_is_not_found():
    comment = _comment(_proposal())
    other = _proposal()
    prefix = f"svar-{comment.pk}"
    response = _client(PROPOSER).post(
        _url(other, f"kommentar/{comment.pk}/svar/"), {f"{prefix}-disposition": "accepted", f"{prefix}-reason": ""}
    )
    assert response.status_code == 404
    comment.refresh_from_db()
    assert not comment.is_answered


def test_taking_a_proposal_back_on_the_page_asks_first_and_changes_nothing_until_confirmed():
    revision = _proposal()
    client = _client(PROPOSER)
    before = _written()
    asked = client.post(_url(revision, "aterta/"), {"reason": "SAMSA byter namn igen."})
    assert asked.status_code == 200 and "components/confirm.html" in [t.name for t in asked.templates]
    html = asked.content.decode()
    assert "Återta förslaget till version 2?" in html and "SAMSA byter namn igen." in html
    assert _written() == before
    revision.refresh_from_db()
    assert revision.is_open and revision.case.status == "raised"
    done = client.post(_url(revision, "aterta/"), {"reason": "SAMSA byter namn igen.", "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == _url(revision)
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and revision.case.status == "closed"
    page = client.get(_url(revision)).content.decode()
    assert "Återtaget" in page and 'id="aterta"' not in page and 'id="kommentera"' not in page


def test_taking_a_proposal_back_without_a_reason_says_so_on_the_field_without_asking():
    revision = _proposal()
    before = _written()
    response = _client(PROPOSER).post(_url(revision, "aterta/"), {"reason": " "})
    html = response.content.decode()
    assert response.status_code == 200 and "components/confirm.html" not in [t.name for t in response.templates]
    assert '<a href="#id_aterta_reason">' in html and str(rules.WITHDRAW_REASON) in html
    assert _written() == before


def test_a_proposal_on_the_agenda_is_not_taken_back_on_the_page_and_the_reason_is_kept():
    revision = _proposal()
    gb.on_agenda(revision)
    before = _written()
    data = {"reason": "Behövs inte längre alls.", "confirmed": "1"}
    response = _client(PROPOSER).post(_url(revision, "aterta/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert str(rules.WITHDRAW_ON_AGENDA % {"body": "Referensgrupp SHVO:s"}) in html
    assert "Behövs inte längre alls." in html
    assert _written() == before


def test_the_withdrawal_and_the_answers_are_offered_only_to_the_proposer_and_the_stewards():
    revision = _proposal()
    _comment(revision)
    for username in [PROPOSER, *STEWARDS]:
        html = _client(username).get(_url(revision)).content.decode()
        assert 'id="aterta"' in html and "Svara på kommentaren" in html, username
    for username in ["skaraborg", "ordforande"]:
        html = _client(username).get(_url(revision)).content.decode()
        assert 'id="aterta"' not in html and "Svara på kommentaren" not in html, username
        assert 'id="kommentera"' in html, username  # they comment
    html = _client("fyrbodal").get(_url(revision)).content.decode()
    assert "Svara på kommentaren" not in html  # her own comment


def test_an_approved_versions_page_offers_neither_comments_nor_a_withdrawal():
    revision = _approved()
    for username in [PROPOSER, "sekreterare", "samordnare"]:
        html = _client(username).get(_url(revision)).content.decode()
        assert 'id="aterta"' not in html and 'id="kommentera"' not in html, username


def test_the_comments_stay_in_the_consultation_when_the_version_is_approved_and_public():
    revision = _proposal()
    _comment(revision, text="Intern synpunkt från Fyrbodal.")
    gb.all_agree(revision)
    gb.decide(revision)
    revision.refresh_from_db()
    public = _client().get(_url(revision))
    assert public.status_code == 200 and "Intern synpunkt från Fyrbodal." not in public.content.decode()
    assert 'id="kommentarer"' not in public.content.decode()
    assert "Intern synpunkt från Fyrbodal." in _client("skaraborg").get(_url(revision)).content.decode()
