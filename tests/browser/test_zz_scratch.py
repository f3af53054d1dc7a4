import pytest
from .axe import assert_accessible, axe_violations

pytestmark = pytest.mark.browser

def test_scratch(page, demo_site, login):
    page.goto(f"{demo_site.url}/organ/referensgrupp-shvo/")
    assert page.evaluate("() => typeof axe") == "undefined"
    assert axe_violations(page) == []
    page.evaluate("() => { const i = document.createElement('img'); i.src='/x.png'; document.querySelector('main').append(i);"
                  "const b = document.createElement('p'); b.textContent='grå'; b.style.color='#ccc'; document.querySelector('main').append(b); }")
    assert_accessible(page)

def test_csp_header(page, demo_site):
    r = page.goto(f"{demo_site.url}/")
    print(r.headers.get("content-security-policy"))
    print(page.evaluate("() => axe === undefined"))
