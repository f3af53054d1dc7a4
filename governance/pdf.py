"""HTML → PDF/A-3b with WeasyPrint, shared by minutes, agendas, plans and review compilations.

Nothing is fetched while rendering: no base URL and only data: URLs, so links in user-written (sanitised) text are
never followed by the server and a relative link never becomes a file path on it. Stylesheets are passed in."""

from pathlib import Path

PDF_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str, *, stylesheet: Path | None = None, extra_css: str = "") -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    sheets = ([CSS(filename=str(stylesheet))] if stylesheet else []) + ([CSS(string=extra_css)] if extra_css else [])
    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(stylesheets=sheets, pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
