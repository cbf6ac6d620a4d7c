"""A few of the demo county's documents with a PDF, so that the archive shows files, their text search and the
checksum on download; generated here (WeasyPrint), nothing shipped."""

from __future__ import annotations

from django.utils.html import escape

from bianzhi.core.files import Upload
from bianzhi.core.pdf import pdf_from_html
from bianzhi.orgs.archive import document_file_attach
from bianzhi.orgs.models import Document

FILES = 6
_PAGE = """<html><head><style>
@page {{ size: A4; margin: 30mm 26mm; }}
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt; line-height: 1.8; }}
.issuer {{ color: #c00; text-align: center; font-size: 26pt; letter-spacing: 2pt; }}
.number {{ text-align: center; border-bottom: 2px solid #c00; padding-bottom: 6pt; }}
h1 {{ font-size: 20pt; text-align: center; }}
.date {{ text-align: right; margin-top: 24pt; }}
</style></head><body>
<p class="issuer">{issuer}</p><p class="number">{number}</p><h1>{title}</h1>
<p>各有关单位：</p>
<p>　　经研究，{title_body}。请各单位按照本通知要求，认真做好机构编制相关工作，并将落实情况及时报县委编办。</p>
<p>　　本通知自印发之日起施行。</p>
<p class="date">{issuer}<br>{day}</p>
<p style="font-size: 10pt; color: #666;">（演示数据，虚构文件）</p>
</body></html>"""


def attach_demo_files(limit: int = FILES) -> int:
    """PDFs for a few of the demo county's documents, spread over the years; how many were made."""
    documents = Document.objects.filter(file__isnull=True).order_by("issued_on", "pk")[: limit * 4 : 4]
    made = 0
    for document in documents:
        html = _PAGE.format(
            issuer=escape(document.issuer),
            number=escape(document.number),
            title=escape(document.title),
            title_body=escape(document.title.removeprefix("关于").removesuffix("的通知").removesuffix("的批复")),
            day=document.issued_on.strftime("%Y年%-m月%-d日"),
        )
        content = pdf_from_html(html)
        document_file_attach(actor=None, document=document, upload=Upload(f"{document.number}.pdf", content))
        made += 1
    return made
