"""A minimal Word document (.docx) built in memory, for tests and the demo that import Word files: no binary fixture.

`docx(paragraphs)` takes the document as a list of tuples, one a paragraph (or a table):

- ("Title", text), ("Heading1", text), ("Heading2", text), ("Heading3", text): a paragraph in that style
- ("p", text): a normal paragraph; **bold** and *italic* in the text become bold and italic runs
- ("li", text) or ("li", text, level): a bulleted list item (level 0 is the outermost); ("ol", text[, level]) numbered
- ("table", [[cell, ...], ...]): a table, one list of cell texts per row
- ("link", text, url): a paragraph holding a link to the address
- ("image",): a paragraph holding a small picture (a PNG)
- ("footnote", text, note): a paragraph with a footnote holding the note
"""

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = f"{R}/hyperlink"
IMAGE = f"{R}/image"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""

PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{REL}">
<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>
</Relationships>"""

# Style ids as Swedish Word writes them (Rubrik1), names as every Word writes them (heading 1): mammoth maps by name.
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik3"><w:name w:val="heading 3"/></w:style>
<w:style w:type="paragraph" w:styleId="Liststycke"><w:name w:val="List Paragraph"/></w:style>
</w:styles>"""
STYLE_IDS = {"Title": "Rubrik", "Heading1": "Rubrik1", "Heading2": "Rubrik2", "Heading3": "Rubrik3"}

# numId 1: bullets, numId 2: numbers (decimal), three levels each.


def _levels(number_format: str) -> str:
    return "".join(f'<w:lvl w:ilvl="{n}"><w:numFmt w:val="{number_format}"/></w:lvl>' for n in range(3))


NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">{_levels("bullet")}</w:abstractNum>
<w:abstractNum w:abstractNumId="1">{_levels("decimal")}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""

# The smallest PNG there is: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)

_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def _runs(text: str) -> str:
    """Runs for a text, **bold** and *italic* marked."""
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(_run(text[pos : m.start()]))
        out.append(_run(m[1], "<w:b/>") if m[1] is not None else _run(m[2], "<w:i/>"))
        pos = m.end()
    out.append(_run(text[pos:]))
    return "".join(out)


def _run(text: str, properties: str = "") -> str:
    if not text:
        return ""
    props = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(content: str, properties: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{content}</w:p>"


def _image(rel_id: str) -> str:
    return (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        '<wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Bild 1" descr="En bild"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _footnotes(notes: list[str]) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
        + "".join(f'<w:footnote w:id="{n}">{note}</w:footnote>' for n, note in enumerate(notes, start=1))
        + "</w:footnotes>"
    )


def docx(paragraphs: list[tuple]) -> bytes:
    """The bytes of a .docx file holding the paragraphs (see the module docstring for their shapes)."""
    body: list[str] = []
    rels: list[str] = [
        f'<Relationship Id="rIdStyles" Type="{R}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdNumbering" Type="{R}/numbering" Target="numbering.xml"/>',
    ]
    images = 0
    notes: list[str] = []
    for item in paragraphs:
        kind = item[0]
        if kind in STYLE_IDS:
            body.append(_paragraph(_runs(item[1]), f'<w:pStyle w:val="{STYLE_IDS[kind]}"/>'))
        elif kind == "p":
            body.append(_paragraph(_runs(item[1])))
        elif kind in ("li", "ol"):
            level = item[2] if len(item) > 2 else 0
            num_id = 1 if kind == "li" else 2
            numbering = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            body.append(_paragraph(_runs(item[1]), f'<w:pStyle w:val="Liststycke"/>{numbering}'))
        elif kind == "table":
            rows = "".join(
                "<w:tr>" + "".join(f"<w:tc>{_paragraph(_runs(str(cell)))}</w:tc>" for cell in row) + "</w:tr>"
                for row in item[1]
            )
            body.append(f"<w:tbl>{rows}</w:tbl>")
        elif kind == "link":
            rel_id = f"rIdLink{len(rels)}"
            rels.append(
                f'<Relationship Id="{rel_id}" Type="{HYPERLINK}" Target={quoteattr(item[2])} TargetMode="External"/>'
            )
            body.append(_paragraph(f'<w:hyperlink r:id="{rel_id}">{_runs(item[1])}</w:hyperlink>'))
        elif kind == "image":
            images += 1
            rel_id = f"rIdImage{images}"
            rels.append(f'<Relationship Id="{rel_id}" Type="{IMAGE}" Target="media/image{images}.png"/>')
            body.append(_paragraph(_image(rel_id)))
        elif kind == "footnote":
            notes.append(_paragraph(_runs(item[2])))
            reference = f'<w:r><w:footnoteReference w:id="{len(notes)}"/></w:r>'
            body.append(_paragraph(_runs(item[1]) + reference))
        else:
            raise ValueError(f"Unknown paragraph kind: {kind!r}")
    if notes:
        rels.append(f'<Relationship Id="rIdFootnotes" Type="{R}/footnotes" Target="footnotes.xml"/>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", STYLES)
        package.writestr("word/numbering.xml", NUMBERING)
        package.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL}">'
            f"{''.join(rels)}</Relationships>",
        )
        if notes:
            package.writestr("word/footnotes.xml", _footnotes(notes))
        for n in range(1, images + 1):
            package.writestr(f"word/media/image{n}.png", PNG)
    return out.getvalue()
