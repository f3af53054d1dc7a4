"""Published minutes are addressed by their content and served like static files."""

import pytest

pytestmark = pytest.mark.django_db


def test_published_list_links_the_file_by_its_content_and_serves_it_without_a_query(client, django_assert_num_queries):
    import hashlib

    from meetings.models import Minutes

    minutes = Minutes.objects.get(meeting__date="2026-03-05")
    page = client.get("/organ/referensgrupp-shvo/protokoll/").content.decode()
    url = f"/protokoll/{minutes.pdf_sha256}/referensgrupp-shvo-2026-03-05.pdf"
    assert url in page
    with django_assert_num_queries(0):
        response = client.get(url)
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == minutes.pdf_sha256
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{minutes.pdf_sha256}"').status_code == 304
    assert client.get(f"/protokoll/{'0' * 64}/x.pdf").status_code == 404
