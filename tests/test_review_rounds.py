"""Review rounds: who sees comments and joint responses, commenting and replying, the joint response with lost-update
protection, positions (dispositions), closing, the compilation PDF, reminders and the start page."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents import reviews, rules, services
from documents.models import Comment, JointResponse, ManagementPlan, PlanSection, ReviewRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def round2027(db):
    return ReviewRound.objects.get(document__plan__year=2027)


@pytest.fixture
def fyrbodal_response(round2027):
    return round2027.responses.get(subregion__slug="fyrbodal")


def detail_url(round_):
    return f"/remisser/{round_.pk}/"


def response_url(round_, slug="fyrbodal"):
    return f"/remisser/{round_.pk}/svar/{slug}/"


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


def section(round_, key) -> PlanSection:
    return round_.plan.sections.get(key=key)


# --- the audience -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "reader", "admin_fyrbodal"])
def test_outsiders_get_404_on_the_round_and_its_responses(client, request, round2027, role):
    user = request.getfixturevalue(role) if role else None
    login(client, user)
    for url in (
        detail_url(round2027),
        response_url(round2027),
        response_url(round2027, "skaraborg"),
        f"/remisser/{round2027.pk}/sammanstallning.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hur följs tillgängligheten upp" not in response.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "rep_fyrbodal", "rep_skaraborg", "admin_user"])
def test_the_audience_sees_the_round_with_its_comments(client, request, round2027, role):
    page = login(client, request.getfixturevalue(role)).get(detail_url(round2027))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hur följs tillgängligheten upp" in html  # Fyrbodal's comment
    assert "Önskar ett gemensamt utbildningspaket" in html  # Skaraborg's comment
    assert "GITS redovisar tillgängligheten kvartalsvis" in html  # the coordinator's reply
    assert round2027.deadline.isoformat() in html and "Delregionernas svar" in html


def test_another_subregion_neither_sees_nor_saves_fyrbodals_draft(client, rep_skaraborg, round2027, fyrbodal_response):
    login(client, rep_skaraborg)
    page = client.get(response_url(round2027))
    assert page.status_code == 404 and "Utkast – diskuteras" not in page.content.decode()
    post = client.post(
        response_url(round2027),
        {"text": "Skaraborg skriver över", "base_version": fyrbodal_response.version, "submit": "1"},
    )
    assert post.status_code == 404
    fyrbodal_response.refresh_from_db()
    assert "Skaraborg" not in fyrbodal_response.text and not fyrbodal_response.is_submitted
    # The round page shows Skaraborg its own response, and Fyrbodal's row without a link.
    html = client.get(detail_url(round2027)).content.decode()
    assert response_url(round2027, "skaraborg") in html and response_url(round2027) not in html


def test_the_coordinator_reads_a_response_only_once_it_is_submitted(
    client, coordinator, rep_fyrbodal, round2027, fyrbodal_response
):
    login(client, coordinator)
    assert client.get(response_url(round2027)).status_code == 404
    assert response_url(round2027) not in client.get(detail_url(round2027)).content.decode()
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    page = client.get(response_url(round2027))
    html = page.content.decode()
    assert page.status_code == 200 and "Fyrbodal ställer sig i huvudsak bakom förslaget" in html
    assert "<textarea" not in html and "Inskickat" in html and "Maria Ek" in html
    assert client.post(response_url(round2027), {"text": "x", "base_version": 1}).status_code == 403


def test_submitting_a_submitted_response_is_refused_with_the_rules_message(rep_fyrbodal, fyrbodal_response):
    """The refusal is documents.rules.RESPONSE_SUBMITTED, the one the page's check shows: not a second wording."""
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    with pytest.raises(ValidationError) as refused:
        reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    assert refused.value.messages == [str(rules.RESPONSE_SUBMITTED)]


# --- comments ---------------------------------------------------------------------------------------


def test_a_representative_comments_on_a_section_with_a_quote(client, rep_skaraborg, round2027):
    budget = section(round2027, "budget")
    login(client, rep_skaraborg)
    page = client.get(detail_url(round2027)).content.decode()
    assert "Kommentera avsnittet" in page and 'data-quote-source="id_s-budget-quote"' in page
    assert "js/quote.js" in page
    response = client.post(
        detail_url(round2027),
        {
            "action": "comment",
            "target": "budget",
            "s-budget-text": "Fördelningsnyckeln 70/30 behöver förklaras för kommunerna.",
            "s-budget-quote": "it-tjänst, drift, utveckling och support 70/30",
        },
    )
    comment = Comment.objects.get(round=round2027, text__contains="Fördelningsnyckeln")
    assert response.status_code == 302 and response["Location"].endswith(f"#kommentar-{comment.pk}")
    assert (comment.section_key, comment.quote, comment.subregion.slug) == (
        budget.key,
        "it-tjänst, drift, utveckling och support 70/30",
        "skaraborg",
    )
    assert str(comment.author) == "Karin Öberg" and comment.parent is None
    html = client.get(detail_url(round2027)).content.decode()
    assert f'id="kommentar-{comment.pk}"' in html and "it-tjänst, drift, utveckling och support 70/30" in html


def test_an_empty_comment_is_refused_in_swedish_and_the_quote_is_kept(client, rep_fyrbodal, round2027):
    before = Comment.objects.count()
    response = login(client, rep_fyrbodal).post(
        detail_url(round2027),
        {
            "action": "comment",
            "target": "budget",
            "s-budget-text": "  ",
            "s-budget-quote": "70/30",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Comment.objects.count() == before
    assert "Skriv din kommentar." in html and 'href="#id_s-budget-text"' in html
    assert "70/30</textarea>" in html  # nothing typed is lost


def test_replies_are_nested_in_their_thread(client, coordinator, rep_skaraborg, round2027):
    root = Comment.objects.get(round=round2027, text__contains="Önskar ett gemensamt utbildningspaket")
    login(client, coordinator)
    response = client.post(
        detail_url(round2027),
        {"action": "reply", "target": root.pk, f"r{root.pk}-text": "Vi tar med det i utbildningsplanen för 2027."},
    )
    reply = Comment.objects.get(parent=root)
    assert response.status_code == 302 and reply.section_key == root.section_key and reply.subregion is None
    login(client, rep_skaraborg)
    client.post(
        detail_url(round2027), {"action": "reply", "target": root.pk, f"r{root.pk}-text": "Tack, det räcker för oss."}
    )
    page = client.get(detail_url(round2027))
    resources = next(s for s in page.context["sections"] if s.key == "resources")
    (thread,) = resources.threads
    assert thread == root
    assert [r.text for r in thread.thread_replies] == [  # stored as rich text, like every comment
        "<p>Vi tar med det i utbildningsplanen för 2027.</p>",
        "<p>Tack, det räcker för oss.</p>",
    ]
    html = page.content.decode()
    start = html.index(f'id="kommentar-{root.pk}"')
    end = html.index("</article>", start)
    assert "Vi tar med det i utbildningsplanen" in html[start:end] and "Tack, det räcker för oss." in html[start:end]


def test_a_reply_to_a_comment_of_another_round_is_refused(client, rep_fyrbodal, round2027):
    response = login(client, rep_fyrbodal).post(
        detail_url(round2027), {"action": "reply", "target": 999999, "r999999-text": "x"}
    )
    assert response.status_code == 404


# --- the joint response -----------------------------------------------------------------------------


def test_fyrbodal_submits_and_the_overview_shows_who_has_answered(client, rep_fyrbodal, round2027, fyrbodal_response):
    login(client, rep_fyrbodal)
    page = client.get(response_url(round2027))
    html = page.content.decode()
    assert page.status_code == 200 and "Fyrbodal ställer sig i huvudsak bakom förslaget." in html
    assert f'name="base_version" value="{fyrbodal_response.version}"' in html
    text = "Fyrbodal ställer sig bakom förslaget.\n\nVi önskar en kvartalsvis redovisning av tillgängligheten."
    typed = {"text": text, "base_version": fyrbodal_response.version, "submit": "1"}
    asked = client.post(response_url(round2027), typed)  # a submitted response is locked: asked first
    html = asked.content.decode()
    assert asked.status_code == 200 and "Ja, skicka in svaret" in html and "kan inte ändras eller tas tillbaka" in html
    assert "<p>Vi önskar en kvartalsvis redovisning av tillgängligheten.</p>" in html  # what will be submitted
    assert not JointResponse.objects.get(pk=fyrbodal_response.pk).is_submitted
    response = client.post(response_url(round2027), {**typed, "confirmed": "1"})
    assert response.status_code == 302
    fyrbodal_response.refresh_from_db()
    assert fyrbodal_response.is_submitted and str(fyrbodal_response.submitted_by) == "Maria Ek"
    assert fyrbodal_response.text == (
        "<p>Fyrbodal ställer sig bakom förslaget.</p><p>Vi önskar en kvartalsvis redovisning av tillgängligheten.</p>"
    )
    overview = client.get(detail_url(round2027))
    answered = {row["subregion"].slug: row["answered"] for row in overview.context["status"]}
    assert answered == {
        "fyrbodal": True,
        "goteborgsomradet": False,
        "samla": False,
        "simba": False,
        "skaraborg": False,
        "sodra-alvsborg": False,
    }
    assert "1 av 6 delregioner har skickat in sitt svar" in overview.content.decode()


def test_a_draft_is_saved_without_submitting(client, rep_fyrbodal, round2027, fyrbodal_response):
    login(client, rep_fyrbodal)
    response = client.post(
        response_url(round2027),
        {
            "text": "Nytt utkast från Fyrbodal <script>x</script>",
            "base_version": fyrbodal_response.version,
            "save": "1",
        },
    )
    assert response.status_code == 302
    fyrbodal_response.refresh_from_db()
    assert not fyrbodal_response.is_submitted
    assert fyrbodal_response.text == "<p>Nytt utkast från Fyrbodal &lt;script&gt;x&lt;/script&gt;</p>"


def test_an_edit_conflict_keeps_the_typed_text_and_shows_the_other_save(
    client, rep_fyrbodal, round2027, fyrbodal_response
):
    opened_version = fyrbodal_response.version
    # A colleague in Fyrbodal saves first.
    reviews.response_save(
        actor=rep_fyrbodal,
        response=fyrbodal_response,
        base_version=opened_version,
        text="<p>Fyrbodal ställer sig bakom förslaget med två tillägg.</p>",
    )
    login(client, rep_fyrbodal)
    mine = "Fyrbodal ställer sig bakom förslaget, men vill se en tidplan för SAMVY."
    response = client.post(response_url(round2027), {"text": mine, "base_version": opened_version, "save": "1"})
    html = response.content.decode()
    current = JointResponse.objects.get(pk=fyrbodal_response.pk)
    assert response.status_code == 200
    assert f"{mine}</textarea>" in html  # the typed text is kept
    assert "med två tillägg" in html and "Någon annan har sparat svaret" in html
    assert "<ins>" in html and "<del>" in html  # the word diff
    assert f'name="base_version" value="{current.version}"' in html
    assert current.text == "<p>Fyrbodal ställer sig bakom förslaget med två tillägg.</p>"  # nothing overwritten
    # The next save (with the version the page now carries) succeeds.
    again = client.post(response_url(round2027), {"text": mine, "base_version": current.version, "save": "1"})
    assert again.status_code == 302
    assert JointResponse.objects.get(pk=fyrbodal_response.pk).text == f"<p>{mine}</p>"


def test_a_submitted_response_cannot_be_edited(client, rep_fyrbodal, round2027, fyrbodal_response):
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    fyrbodal_response.refresh_from_db()
    login(client, rep_fyrbodal)
    page = client.get(response_url(round2027)).content.decode()
    assert "<textarea" not in page and "Skicka in svaret" not in page and "Svaret är låst" in page
    response = client.post(
        response_url(round2027), {"text": "Ändrat i efterhand", "base_version": fyrbodal_response.version, "save": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "redan inskickat" in html and "Ändrat i efterhand" in html
    assert JointResponse.objects.get(pk=fyrbodal_response.pk).text == fyrbodal_response.text
    with pytest.raises(ValidationError):
        reviews.response_save(
            actor=rep_fyrbodal, response=fyrbodal_response, text="x", base_version=fyrbodal_response.version
        )


def test_an_empty_response_cannot_be_submitted(client, rep_skaraborg, round2027):
    response_ = round2027.responses.get(subregion__slug="skaraborg")
    login(client, rep_skaraborg)
    response = client.post(
        response_url(round2027, "skaraborg"), {"text": "", "base_version": response_.version, "submit": "1"}
    )
    assert (
        response.status_code == 200 and "Skriv delregionens svar innan du skickar in det." in response.content.decode()
    )
    assert not JointResponse.objects.get(pk=response_.pk).is_submitted


# --- positions (dispositions), submitting the plan ---------------------------------------------------


def test_a_position_needs_a_reason_unless_the_comment_is_accepted(client, coordinator, rep_fyrbodal, round2027):
    first = Comment.objects.get(round=round2027, text__contains="Hur följs")
    login(client, coordinator)
    refused = client.post(
        detail_url(round2027),
        {
            "action": "dispose",
            "target": first.pk,
            f"d{first.pk}-disposition": "partly",
            f"d{first.pk}-disposition_reason": "",
        },
    )
    assert refused.status_code == 200
    assert "Motivera varför kommentaren inte tillgodoses helt." in refused.content.decode()
    first.refresh_from_db()
    assert first.disposition == ""
    ok = client.post(
        detail_url(round2027),
        {
            "action": "dispose",
            "target": first.pk,
            f"d{first.pk}-disposition": "partly",
            f"d{first.pk}-disposition_reason": "Redovisas kvartalsvis, inte månadsvis.",
        },
    )
    assert ok.status_code == 302
    first.refresh_from_db()
    assert (first.disposition, first.disposition_reason) == ("partly", "Redovisas kvartalsvis, inte månadsvis.")
    other = Comment.objects.get(round=round2027, text__contains="Önskar")
    accepted = client.post(
        detail_url(round2027), {"action": "dispose", "target": other.pk, f"d{other.pk}-disposition": "accepted"}
    )
    assert accepted.status_code == 302 and Comment.objects.get(pk=other.pk).disposition == "accepted"
    # A representative may not take positions.
    login(client, rep_fyrbodal)
    assert "Ta ställning" not in client.get(detail_url(round2027)).content.decode()
    assert (
        client.post(
            detail_url(round2027), {"action": "dispose", "target": first.pk, f"d{first.pk}-disposition": "accepted"}
        ).status_code
        == 403
    )


def test_the_plan_is_submitted_only_when_every_comment_has_a_position(client, coordinator, round2027):
    plan = round2027.plan
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=coordinator, plan=plan)
    assert "2 kommentarer saknar ställningstagande" in str(error.value)
    login(client, coordinator)
    for c in Comment.objects.filter(round=round2027, parent__isnull=True):
        client.post(
            detail_url(round2027),
            {
                "action": "dispose",
                "target": c.pk,
                f"d{c.pk}-disposition": "not_accepted",
                f"d{c.pk}-disposition_reason": "Ryms inte i årets budget.",
            },
        )
    services.plan_submit(actor=coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ManagementPlan.Status.SUBMITTED
    round2027.refresh_from_db()
    assert not round2027.is_open
    page = client.get(detail_url(round2027)).content.decode()
    assert "Ta ställning" not in page and "Kommentera avsnittet" not in page and "Ryms inte i årets budget." in page


# --- closing -----------------------------------------------------------------------------------------


def test_only_the_coordinator_closes_the_round_and_then_nobody_comments(
    client, coordinator, rep_fyrbodal, reader, round2027
):
    url = f"/remisser/{round2027.pk}/stang/"
    assert login(client, reader).post(url).status_code == 404
    assert login(client, rep_fyrbodal).post(url).status_code == 403
    asked = login(client, coordinator).post(url)  # a closed round cannot be opened again: asked first
    assert asked.status_code == 200 and "0 av 6 delregioner har skickat in sitt svar" in asked.content.decode()
    assert ReviewRound.objects.get(pk=round2027.pk).is_open
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    round2027.refresh_from_db()
    assert round2027.closed_at is not None
    login(client, rep_fyrbodal)
    before = Comment.objects.count()
    response = client.post(
        detail_url(round2027),
        {"action": "comment", "target": "budget", "s-budget-text": "För sent?"},
        follow=True,
    )
    assert Comment.objects.count() == before and "Remissrundan är stängd" in response.content.decode()


# --- opening a round ---------------------------------------------------------------------------------


def test_the_coordinator_opens_a_round_and_errors_keep_what_was_typed(client, coordinator, round2027):
    plan = round2027.plan
    url = f"/forvaltningsplaner/{plan.pk}/remiss/ny/"
    login(client, coordinator)
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('name="subregions"') == 6
    assert page.content.decode().count("checked") == 6 and "redan en öppen remissrunda" in page.content.decode()
    reviews.round_close(actor=coordinator, round_=round2027)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    refused = client.post(
        url,
        {
            "deadline": yesterday.isoformat(),
            "message": "Svara gärna per avsnitt, tack!",
            "subregions": [s.pk for s in round2027.subregions.all()],
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and "Sista svarsdag måste vara efter i dag." in html
    assert "Svara gärna per avsnitt, tack!" in html and 'href="#id_deadline"' in html
    in_six_weeks = (timezone.localdate() + datetime.timedelta(weeks=6)).isoformat()
    none_chosen = client.post(url, {"deadline": in_six_weeks, "message": "x"})
    assert "Välj minst en delregion att skicka remissen till." in none_chosen.content.decode()
    two = list(round2027.subregions.filter(slug__in=["samla", "simba"]))
    typed = {"deadline": in_six_weeks, "subregions": [s.pk for s in two], "message": "Andra rundan."}
    asked = client.post(url, typed).content.decode()  # a round cannot be taken back: asked first
    assert "Remissen skickas till 2 delregioner: SAMLA, SIMBA." in asked and "Ja, skicka på remiss" in asked
    assert not ReviewRound.objects.filter(document__plan=plan, closed_at__isnull=True).exists()
    ok = client.post(url, {**typed, "confirmed": "1"})
    new = ReviewRound.objects.filter(document__plan=plan, closed_at__isnull=True).get()
    assert ok.status_code == 302 and ok["Location"] == f"/remisser/{new.pk}/"
    assert set(new.subregions.all()) == set(two) and new.responses.count() == 2


def test_others_cannot_open_a_round(client, rep_fyrbodal, reader, round2027):
    url = f"/forvaltningsplaner/{round2027.plan.pk}/remiss/ny/"
    assert login(client, rep_fyrbodal).get(url).status_code == 403  # may read the plan, not send it on review
    assert login(client, reader).get(url).status_code == 404  # a draft plan does not exist for outsiders


# --- the compilation ---------------------------------------------------------------------------------


def test_the_compilation_pdf_holds_comments_positions_and_submitted_responses(
    client, coordinator, rep_fyrbodal, rep_skaraborg, round2027, fyrbodal_response
):
    first = Comment.objects.get(round=round2027, text__contains="Hur följs")
    reviews.comment_dispose(
        actor=coordinator,
        comment=first,
        disposition="partly",
        reason="Tillgängligheten följs upp kvartalsvis i Referensgrupp SHVO.",
    )
    reviews.response_save(
        actor=rep_fyrbodal,
        response=fyrbodal_response,
        base_version=fyrbodal_response.version,
        text="<p>Fyrbodal står bakom planen; särskilt viktigt är övergången till SAMVY.</p>",
    )
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    skaraborg = round2027.responses.get(subregion__slug="skaraborg")
    reviews.response_save(
        actor=rep_skaraborg,
        response=skaraborg,
        base_version=skaraborg.version,
        text="<p>Skaraborgs hemliga utkast.</p>",
    )
    for user in (rep_fyrbodal, rep_skaraborg):
        assert login(client, user).get(f"/remisser/{round2027.pk}/sammanstallning.pdf").status_code == 404
    response = login(client, coordinator).get(f"/remisser/{round2027.pk}/sammanstallning.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "Förvaltningsplan SHVO 2027",
        "Drift och utveckling av systemstöd",
        "99,9 %",  # the quote
        "Hur följs tillgängligheten upp, och vem rapporterar avvikelser?",
        "Maria Ek",
        "Vårdsamverkan Fyrbodal",
        "GITS redovisar tillgängligheten kvartalsvis till referensgruppen.",  # the reply
        "Delvis tillgodosedd",
        "Tillgängligheten följs upp kvartalsvis i Referensgrupp SHVO.",
        "Önskar ett gemensamt utbildningspaket för nya medarbetare inom hemsjukvården.",
        "Ställningstagande saknas",
        "Fyrbodal står bakom planen; särskilt viktigt är övergången till SAMVY.",
        "Sida 1 av",
    ):
        assert expected in text, expected
    assert "hemliga utkast" not in text  # drafts are not compiled


# --- query count ------------------------------------------------------------------------------------


def test_round_page_query_count_does_not_grow_with_the_comments(
    client, coordinator, rep_fyrbodal, rep_skaraborg, round2027, django_assert_num_queries
):
    login(client, coordinator)
    with CaptureQueriesContext(connection) as before:
        assert client.get(detail_url(round2027)).status_code == 200
    for key in ("introduction", "budget", "goals"):
        quote = " ".join(reviews.plain_words(round2027.version.section(key).body).split()[:3])  # in the sent text
        for user in (rep_fyrbodal, rep_skaraborg):
            c = reviews.comment_add(
                actor=user, round_=round2027, section_key=key, text=f"Kommentar om {key}", quote=quote
            )
            reply = reviews.comment_add(actor=coordinator, round_=round2027, parent=c, text="Svar")
            reviews.comment_add(actor=user, round_=round2027, parent=reply, text="Svar på svaret")
            reviews.comment_dispose(actor=coordinator, comment=c, disposition="accepted", reason="")
    login(client, coordinator)
    with django_assert_num_queries(len(before)):
        response = client.get(detail_url(round2027))
    assert response.status_code == 200 and response.content.decode().count("Svar på svaret") == 6


# --- reminders --------------------------------------------------------------------------------------


def test_reminders_go_to_subregions_that_have_not_answered_once_a_day(
    mailoutbox, rep_fyrbodal, round2027, fyrbodal_response, capsys
):
    call_command("send_review_reminders")
    assert mailoutbox == [] and "Skickade 0 påminnelser." in capsys.readouterr().out  # 26 days left: no reminder
    ReviewRound.objects.filter(pk=round2027.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=2))
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    call_command("send_review_reminders")
    out = capsys.readouterr().out
    assert len(mailoutbox) == 1
    recipients = set(mailoutbox[0].to)
    assert "karin.oberg@example.se" in recipients and "anna.wik@example.se" in recipients  # Skaraborg, SAMLA
    assert not recipients & {"maria.ek@example.se", "per.astrom@example.se"}  # Fyrbodal has answered
    assert f"Skickade {len(recipients)} påminnelser." in out
    assert "Förvaltningsplan SHVO 2027" in mailoutbox[0].subject
    call_command("send_review_reminders")
    assert len(mailoutbox) == 1 and "Skickade 0 påminnelser." in capsys.readouterr().out  # not twice the same day


# --- the start page ---------------------------------------------------------------------------------


def test_start_page_shows_what_waits_in_review_rounds(
    client, coordinator, rep_fyrbodal, reader, round2027, fyrbodal_response
):
    html = login(client, rep_fyrbodal).get("/").content.decode()
    assert "Remisser att besvara" in html and response_url(round2027) in html
    html = login(client, coordinator).get("/").content.decode()
    assert "Remisser att följa upp" in html and "2 kommentarer utan ställningstagande" in html
    assert detail_url(round2027) in html
    assert "Remisser att" not in login(client, reader).get("/").content.decode()
    reviews.response_submit(actor=rep_fyrbodal, response=fyrbodal_response)
    assert "Remisser att besvara" not in login(client, rep_fyrbodal).get("/").content.decode()
    ReviewRound.objects.filter(pk=round2027.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "har passerat – stäng remissrundan" in login(client, coordinator).get("/").content.decode()
