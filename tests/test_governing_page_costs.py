"""What the governing documents' pages cost: the register asks as many queries with many documents, versions and
supplements as with the demo's few, and the comparison of two versions is computed once and then reused
(documents.compare.versions_compared), for that pair of versions only, without reading their texts again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.kept import forget_all
from documents import compare
from documents.governing_models import GoverningDocument, Revision
from documents.models import Document, DocumentVersion
from governance.models import Body, Person, Subregion
from meetings.governing_demo import ROUTINE_SLUG

pytestmark = pytest.mark.django_db

LIST_URL = "/styrdokument/"


def _approved_versions(governing, person, count, *, open_proposal=False):
    """`count` approved versions a hundred days apart (the newest in force), and a proposal after them."""
    today = timezone.localdate()
    for number in range(1, count + 1 + open_proposal):
        version = DocumentVersion.objects.create(
            document=governing.document,
            number=number,
            content={"sections": [{"key": "syfte", "title": "Syfte", "body": f"<p>Version {number}.</p>"}]},
        )
        approved = number <= count
        Revision.objects.create(
            document=governing,
            version=version,
            change_class="new" if number == 1 else "editorial",
            rationale="<p>Översyn.</p>",
            proposed_by=person,
            proposed_at=timezone.now(),
            status="approved" if approved else "open",
            in_force_from=today - datetime.timedelta(days=100 * (count - number)) if approved else None,
        )


def _grow(documents=4):
    """More county-wide documents, each with several versions, a proposal and a supplement from Göteborgsområdet."""
    ref, lgs = Body.objects.get(slug="referensgrupp-shvo"), Body.objects.get(slug="lgs-goteborgsomradet")
    goteborg = Subregion.objects.get(slug="goteborgsomradet")
    person = Person.objects.order_by("pk").first()
    for n in range(documents):
        document = Document.objects.create(kind="routine", title=f"Rutin för tillväxt {n}")
        governing = GoverningDocument.objects.create(document=document, slug=f"rutin-for-tillvaxt-{n}", owner=ref)
        _approved_versions(governing, person, 3, open_proposal=True)
        local = GoverningDocument.objects.create(
            document=Document.objects.create(kind="routine", title=f"Rutin för tillväxt {n} – tillägg"),
            slug=f"rutin-for-tillvaxt-{n}-tillagg",
            owner=lgs,
            scope="local",
            parent=governing,
            subregion=goteborg,
        )
        _approved_versions(local, person, 2)


# (who, expected queries), building the register's table (it is kept, core.kept: forgotten before each count): the
# public reads how many documents there are, the version of the rows the table shows, a page of documents with their
# versions in force, and their supplements; a signed-in user also costs the session and the user, and a representative the seats that say
# she works with documents and may not register them.
ROLES = {"anonymous": 4, "representative": 7, "administrator": 6}


@pytest.fixture
def as_role(request, client, admin_user):
    from django.contrib.auth import get_user_model

    role = request.param
    if role == "representative":
        client.force_login(get_user_model().objects.get(username="fyrbodal"))
    elif role == "administrator":
        client.force_login(admin_user)
    return client, ROLES[role]


@pytest.mark.parametrize("as_role", ROLES, indirect=True)
def test_the_register_asks_the_same_queries_with_more_documents_versions_and_supplements(
    as_role, django_assert_num_queries
):
    client, expected = as_role
    client.get(LIST_URL)  # the session and anything a first request fills in
    forget_all()
    with django_assert_num_queries(expected):
        page = client.get(LIST_URL)
    assert page.status_code == 200 and "Rutin för in- och utskrivning" in page.content.decode()
    _grow()
    forget_all()
    with django_assert_num_queries(expected):
        page = client.get(LIST_URL)
    assert page.status_code == 200
    assert "Rutin för tillväxt 3" in page.content.decode() and "Version 3, från" in page.content.decode()


@pytest.fixture
def counted(monkeypatch):
    """The comparisons documents.compare computes (compare_sections calls)."""
    calls = []
    real = compare.compare_sections
    monkeypatch.setattr(compare, "compare_sections", lambda old, new: calls.append(1) or real(old, new))
    return calls


def test_the_comparison_page_computes_a_pair_of_versions_once_and_then_reuses_it(client, admin_user, counted):
    client.force_login(admin_user)  # version 3 of the demo routine is a proposal: members only
    url = f"/styrdokument/{ROUTINE_SLUG}/jamfor/"
    first = client.get(url, {"a": 1, "b": 2})
    again = client.get(url, {"a": 2, "b": 1, "visa": "inline"})  # the same two versions, the other way round
    assert first.status_code == again.status_code == 200 and len(counted) == 1
    assert "SAMSA" in again.content.decode()

    other = client.get(url, {"a": 2, "b": 3})
    assert other.status_code == 200 and len(counted) == 2
    assert "Samordnad planering inför utskrivning" in other.content.decode()  # version 3's new heading


def test_a_kept_comparison_is_shown_without_reading_the_versions_texts(client, admin_user):
    client.force_login(admin_user)
    url = f"/styrdokument/{ROUTINE_SLUG}/jamfor/?a=1&b=3"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        page = client.get(url)
    text_column = '"documents_documentversion"."content"'
    assert any(text_column in q["sql"] for q in first.captured_queries)
    assert not any(text_column in q["sql"] for q in again.captured_queries), [
        q["sql"] for q in again.captured_queries if text_column in q["sql"]
    ]
    assert page.status_code == 200 and "Samordnad planering inför utskrivning" in page.content.decode()
