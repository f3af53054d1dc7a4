"""A governing document's version as PDF (issue 13, item 5): core.pdf (tagged, Swedish, titled, links, bookmarks),
with its version number, status and provenance at the top of every page. Rendered once, when the version is
approved (or registered as in force), and kept in core.store as issued: every download is the same bytes."""

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import html_to_pdf


def provenance_line(revision) -> str:
    """One line for every page: the version, its status as issued, and what it was decided by."""
    parts = [f"{revision.document.title}, version {revision.version.number}", "Fastställd"]
    if revision.approved_reference:
        parts.append(revision.approved_reference)
    if revision.in_force_from:
        parts.append(f"gäller från {revision.in_force_from.isoformat()}")
    return " · ".join(parts)


def render_revision_pdf(revision) -> bytes:
    with translation.override("sv"):
        html = render_to_string(
            "documents/pdf/governing.html",
            {
                "revision": revision,
                "governing": revision.document,
                "version": revision.version,
                "provenance": provenance_line(revision),
            },
        )
    return html_to_pdf(html)


def pdf_file_name(revision) -> str:
    return f"{revision.document.slug}-version-{revision.version.number}.pdf"
