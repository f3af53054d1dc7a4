"""components/page_header.html, the one page header, and core_tags' fragment that builds a heading for it."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load core_tags %}" + source).render(Context(context))


def test_the_header_is_the_title_as_h1_and_nothing_else_when_given_only_a_title():
    html = render('{% include "components/page_header.html" %}', title="Organisationer")
    assert html.strip() == "<h1>Organisationer</h1>"


def test_an_explicit_heading_wins_over_the_pages_title():
    html = render('{% include "components/page_header.html" with heading="SHVO-portalen" %}', title="Start")
    assert "<h1>SHVO-portalen</h1>" in html and "Start" not in html


def test_the_title_is_escaped():
    html = render('{% include "components/page_header.html" %}', title="Ek & <Björk>")
    assert "<h1>Ek &amp; &lt;Björk&gt;</h1>" in html


def test_a_status_is_a_badge_in_a_line_under_the_heading_with_its_note():
    html = render(
        '{% include "components/page_header.html" with status_value="draft" status_label="Utkast" '
        'status_kind="plan-status" status_note="Ändrad i går" %}',
        title="Förvaltningsplan",
    )
    assert " ".join(html.split()) == (
        '<h1>Förvaltningsplan</h1> <p><span class="badge plan-status plan-status-draft badge-draft">Utkast</span>'
        " Ändrad i går</p>"
    )


def test_a_lead_follows_the_heading_and_an_empty_one_is_left_out():
    with_lead = render(
        '{% include "components/page_header.html" with lead=intro %}', title="Forum", intro="Öppna <forum>."
    )
    without = render('{% include "components/page_header.html" with lead=intro %}', title="Forum", intro="")
    assert '<h1>Forum</h1>\n<p class="lead">Öppna &lt;forum&gt;.</p>' in with_lead
    assert without.strip() == "<h1>Forum</h1>"


def test_a_fragment_builds_a_heading_with_a_span_escaping_its_variables_once():
    html = render(
        '{% fragment as page_heading %}\n  {{ name }} <span class="muted">({{ short }})</span>\n{% endfragment %}'
        '{% include "components/page_header.html" with heading=page_heading %}',
        name="Vård & omsorg",
        short="VO",
    )
    assert html.strip() == '<h1>Vård &amp; omsorg <span class="muted">(VO)</span></h1>'


def test_a_fragment_without_a_name_is_refused_when_the_template_is_read():
    with pytest.raises(TemplateSyntaxError, match="fragment as name"):
        Template("{% load core_tags %}{% fragment page_heading %}x{% endfragment %}")
