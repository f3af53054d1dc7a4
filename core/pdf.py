"""HTML → PDF/A-3b with WeasyPrint, shared by minutes, agendas, plans and review compilations.

Nothing is fetched while rendering: no base URL and only data: URLs, so links in user-written (sanitised) text are
never followed by the server and a relative link never becomes a file path on it. Stylesheets are passed in."""

import hashlib
from pathlib import Path

from django.core.cache import cache

PDF_VARIANT = "pdf/a-3b"
CACHE_SECONDS = 24 * 60 * 60


def html_to_pdf(html: str, *, stylesheet: Path | None = None, extra_css: str = "") -> bytes:
    """The same HTML and styles always give the same document, so a rendered PDF is kept (by the hash of its
    input) and a second request for an unchanged agenda, plan or compilation is served without rendering."""
    digest = hashlib.sha256()
    for part in (html, extra_css, stylesheet.read_text(encoding="utf-8") if stylesheet else ""):
        digest.update(part.encode())
    key = f"pdf:{digest.hexdigest()}"
    data = cache.get(key)
    if data is None:
        data = _render(html, stylesheet=stylesheet, extra_css=extra_css)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _render(html: str, *, stylesheet: Path | None, extra_css: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    sheets = ([CSS(filename=str(stylesheet))] if stylesheet else []) + ([CSS(string=extra_css)] if extra_css else [])
    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(stylesheets=sheets, pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
