"""The case pages (issue 12, cases): the list of the cases a user may see with its filters, a case's page with its
documents and its path, 404 outside the scope, and query counts that do not grow with the rows."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import cases
from governance.case_models import Case
from governance.models import Body
from tests.factories import make_case, make_process, signed_in

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


def _body(slug):
    return Body.objects.get(slug=slug)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_shows_the_case_its_documents_and_its_path(secretary):
    case = make_case(
        title="Gemensam rutin för SIP",
        description="<p>Vi behöver <strong>en</strong> rutin.</p>",
        process=make_process("SIP"),
        links=[("Rutinen", "https://example.org/rutin.pdf"), ("Pärm i arkivet", "")],
    )
    cases.case_send_for_preparation(
        actor=_user("sekreterare"),
        case=case,
        preparing_body=_body("gemensam-beredning"),
        deciding_body=_body("vvg"),
        note="Bered till VVG i maj.",
    )
    page = signed_in(secretary).get(case.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1 and "Gemensam rutin för SIP" in html
    assert "<strong>en</strong>" in html
    assert '<a href="https://example.org/rutin.pdf">Rutinen</a>' in html
    assert "Pärm i arkivet" in html and '<a href="">' not in html
    path = html[html.index('<ol class="case-path">') :]
    assert path.index("Väckt") < path.index("Skickat för beredning")
    assert "Bered till VVG i maj." in path and "Bereds av" in path
    assert 'aria-label="Brödsmulor"' in html
    assert str(Case.Status.PREPARING.label) in html


def test_an_outsider_gets_404_for_a_case(reader, preparer):
    case = make_case()
    assert signed_in(reader).get(case.get_absolute_url()).status_code == 404
    assert signed_in(reader).post(case.get_absolute_url()).status_code == 404
    assert signed_in(preparer).get(case.get_absolute_url()).status_code == 404


def test_the_list_shows_only_the_cases_the_user_may_see_newest_first(rep_fyrbodal, reader):
    older = make_case(title="Äldre ärende")
    newer = make_case(title="Nyare ärende")
    other = make_case(_body("vvg"), actor="samordnare", title="VVG:s eget ärende")
    html = signed_in(rep_fyrbodal).get(reverse("governance:case_list")).content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert other.title not in html
    empty = signed_in(reader).get(reverse("governance:case_list")).content.decode()
    assert older.title not in empty and "Inga ärenden att visa" in empty


def test_the_list_filters_by_body_status_and_process(coordinator):
    sip = make_case(title="SIP-ärende", process=make_process("SIP"))
    vvg = make_case(_body("vvg"), actor="samordnare", title="VVG-ärende")
    cases.case_close(actor=_user("samordnare"), case=vvg, reason="Löst på annat sätt")
    client = signed_in(coordinator)
    url = reverse("governance:case_list")
    by_body = client.get(url + "?organ=vvg").content.decode()
    assert vvg.title in by_body and sip.title not in by_body
    by_status = client.get(url + "?status=closed").content.decode()
    assert vvg.title in by_status and sip.title not in by_status
    by_process = client.get(url + "?process=sip").content.decode()
    assert sip.title in by_process and vvg.title not in by_process


def test_the_list_query_count_does_not_grow_with_cases(rep_fyrbodal):
    client = signed_in(rep_fyrbodal)
    url = reverse("governance:case_list")
    for _ in range(2):
        make_case(process=make_process("SIP"))
    few = _count(client, url)
    for _ in range(10):
        make_case(process=make_process("SIP"), links=[("Underlag", "https://example.org/u.pdf")])
    assert _count(client, url) == few


def test_the_case_page_query_count_does_not_grow_with_steps_and_documents(secretary):
    client = signed_in(secretary)
    small = make_case(links=[("Underlag", "https://example.org/u.pdf")])
    few = _count(client, small.get_absolute_url())
    big = make_case(links=[(f"Underlag {i}", f"https://example.org/{i}.pdf") for i in range(3)])
    for deciding in ("vvg", "sitiv"):
        cases.case_send_for_preparation(
            actor=_user("samordnare"),
            case=big,
            preparing_body=_body("gemensam-beredning"),
            deciding_body=_body(deciding),
        )
    assert _count(client, big.get_absolute_url()) == few


def test_raising_a_case_records_it_with_its_documents_and_first_step(rep_fyrbodal):
    ref = _body("referensgrupp-shvo")
    answer = signed_in(rep_fyrbodal).post(
        reverse("governance:case_create"),
        {
            "body": ref.pk,
            "title": "Rutin för SIP",
            "description": "<p>Behövs</p>",
            "link1_title": "Underlag",
            "link1_address": "https://example.org/u.pdf",
        },
    )
    case = Case.objects.get(title="Rutin för SIP")
    assert answer.status_code == 302 and answer["Location"] == case.get_absolute_url()
    assert case.raised_by == ref and case.owner == ref
    assert [(link.title, link.address) for link in case.links.all()] == [("Underlag", "https://example.org/u.pdf")]
    assert [step.kind for step in case.steps.all()] == ["raised"]


def test_the_raise_form_keeps_what_was_typed_and_points_at_the_field(rep_fyrbodal):
    client = signed_in(rep_fyrbodal)
    page = client.post(
        reverse("governance:case_create"), {"body": _body("referensgrupp-shvo").pk, "title": " ", "link1_title": "Kvar"}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Ge ärendet en rubrik." in html and 'value="Kvar"' in html
    other = client.post(reverse("governance:case_create"), {"body": _body("ag-utveckling").pk, "title": "Fel organ"})
    assert "bara väcka ärenden för ett organ där du har ett uppdrag" in other.content.decode()
    assert not Case.objects.filter(title__in=[" ", "Fel organ"]).exists()


def test_the_raise_form_offers_only_the_users_bodies_and_says_so_without_any(rep_fyrbodal, reader):
    html = signed_in(rep_fyrbodal).get(reverse("governance:case_create") + "?organ=referensgrupp-shvo").content.decode()
    assert "Referensgrupp SHVO" in html and ">VVG<" not in html
    none = signed_in(reader).get(reverse("governance:case_create")).content.decode()
    assert "du har inget uppdrag nu" in none and "stack-form" not in none
