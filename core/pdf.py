"""HTML → tagged, accessible PDF with WeasyPrint, shared by minutes, agendas, plans and review compilations.

Every PDF the portal makes is:
- PDF/A-3a (WeasyPrint's "pdf/a-3a" variant): archivable, fonts embedded, and tagged ("a" = accessible): a structure
  tree (/StructTreeRoot, /MarkInfo /Marked true) made from the HTML's headings, paragraphs, lists and tables, so a
  screen reader reads it in order. It also declares PDF/UA-1 (ISO 14289-1) in its XMP metadata, with the extension
  schema PDF/A asks for; WeasyPrint 70's own "pdf/ua-1" variant is the same tagging without PDF/A.
- Swedish and titled: /Lang from `<html lang="sv">`, /Title from `<title>` (the viewer shows it instead of the file
  name), /Author from `<meta name="author">` (the body). A document without a title or a language is refused here,
  so no template can forget them. The templates extend templates/pdf_base.html, which has both.
- Navigable: `<a href>` becomes a link annotation (tagged as /Link), headings become bookmarks (the outline).
- Styled by static/css/pdf-base.css first (shared by all: links, bookmarks, the preview marking, no lone trailing
  page), then by the document's own stylesheet.

Nothing is fetched while rendering: no base URL and only data: URLs, so links in user-written (sanitised) text are
never followed by the server and a relative link never becomes a file path on it. Stylesheets are passed in."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

PDF_VARIANT = "pdf/a-3a"
BASE_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "pdf-base.css"
CACHE_SECONDS = 24 * 60 * 60
# Part of the cache key: a PDF rendered by an older version of this module is not served after an upgrade.
RENDERING = f"{PDF_VARIANT}+ua-1/2"

# PDF/UA-1 identification (pdfuaid:part = 1) and, because pdfuaid is not one of PDF/A's predefined schemas, its
# description as a PDF/A extension schema: two rdf:Description elements for the rdf:RDF of the XMP packet that
# WeasyPrint writes for PDF/A (XMP readers read one rdf:RDF, so they go inside it, see _declare_pdfua).
PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas>
    <rdf:Bag>
      <rdf:li rdf:parseType="Resource">
        <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
        <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
        <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
        <pdfaSchema:property>
          <rdf:Seq>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>part</pdfaProperty:name>
              <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
              <pdfaProperty:category>internal</pdfaProperty:category>
              <pdfaProperty:description>The part of ISO 14289 the document conforms to</pdfaProperty:description>
            </rdf:li>
          </rdf:Seq>
        </pdfaSchema:property>
      </rdf:li>
    </rdf:Bag>
  </pdfaExtension:schemas>
</rdf:Description>
"""
END_OF_RDF = b"</rdf:RDF>"


class UntitledDocument(ValueError):
    """A PDF needs a title (<title>) and the document language (<html lang>): PDF/UA requires both."""


def html_to_pdf(html: str, *, stylesheet: Path | None = None, extra_css: str = "") -> bytes:
    """The same HTML and styles always give the same document, so a rendered PDF is kept (by the hash of its
    input) and a second request for an unchanged agenda, plan or compilation is served without rendering."""
    digest = hashlib.sha256(RENDERING.encode())
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

    sheets = [CSS(filename=str(BASE_STYLESHEET))]
    sheets += ([CSS(filename=str(stylesheet))] if stylesheet else []) + ([CSS(string=extra_css)] if extra_css else [])
    source = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    document = source.render(stylesheets=sheets, pdf_variant=PDF_VARIANT)
    metadata = document.metadata
    if not (metadata.title or "").strip():
        raise UntitledDocument("Ett PDF-dokument behöver en titel (<title>).")
    if not metadata.lang:
        raise UntitledDocument("Ett PDF-dokument behöver ett språk (<html lang>).")
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False, finisher=_declare_pdfua)


def _declare_pdfua(document, pdf) -> None:
    """WeasyPrint's finisher hook, called with the finished pydyf.PDF before it is written: put the PDF/UA-1
    identification into the XMP packet's rdf:RDF."""
    number = int(pdf.catalog["Metadata"].split()[0])
    stream = pdf.objects[number]
    packet = b"".join(stream.stream)
    if END_OF_RDF not in packet:
        raise RuntimeError("WeasyPrint wrote no rdf:RDF in the PDF's XMP metadata")
    stream.stream = [packet.replace(END_OF_RDF, PDFUA_XMP + END_OF_RDF, 1)]
