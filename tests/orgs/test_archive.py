"""The document archive: a document's file (checked on every read), forgiving search by 文号, title words and PDF
text, the records citing a document (as far as the viewer's scope reaches), and the bulk load of historical
documents, all or nothing, every bad row named by its row number."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bianzhi.accounts.roles import Role
from bianzhi.audit.models import AuditEvent
from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, _path
from bianzhi.core.integrity import run_all
from bianzhi.orgs.archive import document_file_attach, document_update
from bianzhi.orgs.document_load import Bundle, Folder, documents_load
from bianzhi.orgs.documents import DocumentRef, document_resolve, search_terms
from bianzhi.orgs.models import Document, UnitVersion
from bianzhi.orgs.selectors import document_citations, document_search
from bianzhi.orgs.services import unit_rename
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, movement_post, unit_account
from tests.factories import make_user
from tests.orgs.archive_support import blank_pdf, text_pdf
from tests.quotas.support import assert_refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.date(2026, 3, 2) if dt.date(2026, 3, 2) <= TODAY else TODAY
HEADER = "文号,标题,日期,发文机关,文件名\n"


def register(number: str, title: str = "关于调整编制的通知", issuer: str = "锦绣县编委", day: dt.date = DAY):
    return document_resolve(DocumentRef(number, title, day, issuer))


# ---------------------------------------------------------------- search


@pytest.fixture
def archive(db):
    wanted = register("锦编发〔2026〕12号", "关于调整锦绣县教育局事业编制的通知")
    return {
        "wanted": wanted,
        "longer": register("锦编发〔2026〕120号", "关于核定锦绣县财政局行政编制的批复"),
        "other_year": register("锦编发〔2025〕12号", "关于撤销城关镇文化站的批复", day=dt.date(2025, 5, 6)),
        "other_office": register("锦人社发〔2026〕12号", "关于公开招聘教师的通知", issuer="锦绣县人社局"),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "锦编发〔2026〕12号",
        "锦编发[2026]12号",
        "锦编发［２０２６］１２号",
        "锦编发（2026）12号",
        "锦编发【2026】12号",
        "锦编发〔2026〕12",
        " 锦编发 〔2026〕 12 号 ",
        "编发2026 12号",
        "教育局 调整 事业编制",  # title words in any order
        "事业编制 教育局",
    ],
)
def test_search_finds_the_document_however_its_number_is_typed(archive, typed):
    assert list(document_search(None, typed)) == [archive["wanted"]]


@pytest.mark.parametrize("typed", ["锦编发〔2026〕13号", "锦编发〔2024〕12号", "人社局 编制", "锦编发2026 999"])
def test_search_does_not_find_unrelated_documents(archive, typed):
    assert list(document_search(None, typed)) == []


def test_partial_input_finds_every_document_that_has_it(archive):
    found = set(document_search(None, "编发2026 12"))
    assert found == {archive["wanted"], archive["longer"]}
    assert search_terms("锦编发〔2026〕12") == ["锦编发202612号"]


def test_filters_by_issuer_and_year(archive):
    assert set(document_search(None, "", issuer="锦绣县人社局")) == {archive["other_office"]}
    assert set(document_search(None, "12", year=2025)) == {archive["other_year"]}


def test_search_reads_the_text_of_the_pdf(archive, tmp_path):
    document = archive["other_office"]
    content = text_pdf("附件：锦绣县2026年公开招聘中小学教师岗位表")
    document_file_attach(actor=None, document=document, upload=Upload("招聘.pdf", content))
    assert list(document_search(None, "岗位表 中小学")) == [document]
    # a scan without a text layer is still found by its number and title
    document_file_attach(actor=None, document=document, upload=Upload("扫描.pdf", blank_pdf()))
    assert list(document_search(None, "岗位表")) == []
    assert list(document_search(None, "人社发2026 12")) == [document]


# ---------------------------------------------------------------- files


def test_a_document_keeps_its_file_and_a_replacement_is_audited(archive):
    document = archive["wanted"]
    document_file_attach(actor=None, document=document, upload=Upload("12号.pdf", blank_pdf()))
    document_file_attach(actor=None, document=document, upload=Upload("12号扫描.png", b"\x89PNG\r\n\x1a\nscan"))
    document.refresh_from_db()
    assert (document.file_name, document.file.content_type) == ("12号扫描.png", "image/png")
    events = AuditEvent.objects.filter(object_id=str(document.pk)).order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions[-2:] == ["orgs.document_file_attached", "orgs.document_file_replaced"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("草稿.docx", b"PK\x03\x04word", "documents.file_kind"),
        ("名册.xlsx", b"PK\x03\x04xl", "documents.file_kind"),
        ("程序.exe", b"MZ", "files.unsupported_type"),
        ("假的.pdf", b"<html>not a pdf</html>", "files.not_pdf"),
        ("空.pdf", b"", "files.empty"),
    ],
)
def test_a_document_refuses_other_kinds_of_file(archive, name, content, code):
    assert_refused(code, document_file_attach, actor=None, document=archive["wanted"], upload=Upload(name, content))


def test_the_title_and_issuer_can_be_corrected_but_not_the_number(archive):
    document = document_update(
        actor=None, document=archive["wanted"], title="关于调整锦绣县教育局所属事业单位编制的通知", issuer="锦绣县编委"
    )
    assert document.number == "锦编发〔2026〕12号"
    assert list(document_search(None, "所属事业单位")) == [document]
    assert_refused(
        "orgs.nothing_changed",
        document_update,
        actor=None,
        document=document,
        title=document.title,
        issuer=document.issuer,
    )
    assert_refused("documents.detail_required", document_update, actor=None, document=document, title=" ", issuer="x")


# ---------------------------------------------------------------- citations and scope


@pytest.fixture
def cited(county):
    """锦编发〔2026〕30号 renames 教育局 and grants it 2 slots; 财政局's grant cites it too."""
    ref = DocumentRef("锦编发〔2026〕30号", "关于教育局更名和核增编制的通知", DAY, "锦绣县编委")
    unit_rename(actor=None, unit=county.education, name="锦绣县教育体育局", document=ref, effective_date=DAY)
    document = Document.objects.get(number="锦编发〔2026〕30号")
    pool = county_account(AccountKind.POOL, "XZ")
    for unit in (county.education, county.finance):
        movement_post(
            actor=None,
            kind=MovementKind.HEZENG,
            from_account=pool,
            to_account=unit_account(unit, "XZ", FundingForm.QE),
            amount=2,
            effective_date=DAY,
            document=document,
        )
    return document


def _texts(groups) -> dict[str, list[str]]:
    return {group.label: [row.text for row in group.rows] for group in groups}


def test_the_document_lists_the_unit_version_and_the_movements_citing_it(county, cited):
    groups = _texts(document_citations(None, cited))
    assert groups["机构沿革"] == ["锦绣县教育体育局 · 更名"]
    assert len(groups["编制变动"]) == 2
    assert all("核增 2 名" in text for text in groups["编制变动"])


def test_a_unit_operator_sees_only_its_own_records_and_documents(county, cited, client):
    operator = make_user("jiaoyu", Role.UNIT_OPERATOR, scope_unit=county.education)
    groups = _texts(document_citations(operator, cited))
    assert groups["机构沿革"] == ["锦绣县教育体育局 · 更名"]
    assert [text for text in groups["编制变动"] if "财政局" in text] == []
    assert len(groups["编制变动"]) == 1
    # the document that set up 财政局 is cited by 财政局's records only
    finance_doc = UnitVersion.objects.filter(unit=county.finance).earliest("valid_from").document
    client.force_login(operator)
    assert client.get(reverse("orgs:document_detail", args=[finance_doc.pk])).status_code == 403
    page = client.get(reverse("orgs:document_detail", args=[cited.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "锦绣县教育体育局 · 更名" in html and "锦绣县财政局·行政编制" not in html
    listed = client.get(reverse("orgs:document_list")).content.decode()
    assert "锦编发〔2026〕30号" in listed and finance_doc.number not in listed


def test_the_unit_history_and_the_journal_link_the_number_to_the_document(county, cited, client):
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    link = reverse("orgs:document_detail", args=[cited.pk])
    history = client.get(reverse("orgs:unit_detail", args=[county.education.pk]) + "?tab=history")
    assert link in history.content.decode()
    assert link in client.get(reverse("quotas:movement_list")).content.decode()


# ---------------------------------------------------------------- the pages


def test_a_damaged_file_is_refused_with_its_reason_not_a_server_error(archive, client):
    document = document_file_attach(
        actor=None, document=archive["wanted"], upload=Upload("12号.pdf", text_pdf("锦编发〔2026〕12号"))
    )
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    url = reverse("orgs:document_file", args=[document.pk])
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    _path(document.file.sha256).write_bytes(b"%PDF-1.7 damaged")
    refused = client.get(url)
    assert refused.status_code == 503
    assert "files.corrupt" in refused.content.decode() and "请从备份恢复" in refused.content.decode()


def test_the_list_exports_what_is_filtered(archive, client):
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    response = client.get(reverse("orgs:document_export"), {"q": "锦编发〔2026〕12"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [row[1] for row in sheet.iter_rows(values_only=True) if str(row[1] or "").startswith("锦")]
    assert numbers == ["锦编发〔2026〕12号"]
    assert AuditEvent.objects.filter(action="orgs.documents_exported").exists()


def test_the_upload_form_keeps_a_scan_and_refuses_a_word_file(archive, client):
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    url = reverse("orgs:document_upload", args=[archive["wanted"].pk])
    refused = client.post(url, {"file": SimpleUploadedFile("草稿.docx", b"PK\x03\x04")})
    assert refused.status_code == 400 and "documents.file_kind" in refused.content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("扫描件.pdf", blank_pdf())}).status_code == 302
    archive["wanted"].refresh_from_db()
    assert archive["wanted"].file_name == "扫描件.pdf"


# ---------------------------------------------------------------- bulk load


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "锦编发〔2019〕3号.pdf").write_bytes(text_pdf("关于设立锦绣县城市管理局的通知 正文"))
    (tmp_path / "扫描件.jpg").write_bytes(b"\xff\xd8\xff\xe0scan")
    (tmp_path / "草稿.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "空.pdf").write_bytes(b"")
    return tmp_path


def _index(tmp_path: Path, *rows: str, name: str = "目录.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _load(folder: Path, index: Path, **kwargs):
    return documents_load(actor=None, index_name=index.name, index=index, read=Folder(folder).read, **kwargs)


def test_a_good_index_is_loaded_with_its_files_and_text(folder):
    existing = register("锦编发〔2018〕7号", "关于核定编制的通知", day=dt.date(2018, 4, 2))
    index = _index(
        folder,
        "锦编发[2019]3号,关于设立锦绣县城市管理局的通知,2019年5月6日,锦绣县编委,2019/锦编发〔2019〕3号.pdf",
        "锦编发〔2018〕7号,关于核定编制的通知,2018-04-02,锦绣县编委,扫描件.jpg",
        "锦政发〔2017〕1号,关于机构改革的意见,2017.3.1,锦绣县人民政府,",
    )
    preview = _load(folder, index, dry_run=True)
    assert preview.ok and (preview.to_create, preview.to_attach, preview.pdfs) == (2, 2, 1)
    assert not Document.objects.filter(number="锦编发〔2019〕3号").exists()
    result = _load(folder, index)
    assert (result.created, result.attached, result.pdf_text) == (2, 2, 1)
    loaded = Document.objects.get(number="锦编发〔2019〕3号")
    assert loaded.issued_on == dt.date(2019, 5, 6) and "正文" in loaded.file_text
    existing.refresh_from_db()
    assert existing.file_name == "扫描件.jpg"
    assert list(document_search(None, "城市管理局 正文")) == [loaded]
    assert AuditEvent.objects.filter(action="orgs.documents_loaded").count() == 1


def test_one_bad_row_of_each_kind_is_named_and_nothing_is_loaded(folder):
    register("锦编发〔2018〕7号", "关于核定编制的通知", day=dt.date(2018, 4, 2))
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    index = _index(
        folder,
        "锦编发〔2019〕3号,关于设立锦绣县城市管理局的通知,2019-05-06,锦绣县编委,2019/锦编发〔2019〕3号.pdf",  # 2: good
        "锦编发〔2019〕4号,关于某事的通知,2019-05-06,锦绣县编委,不存在.pdf",  # 3: missing file
        "锦编发〔2019〕5号,关于某事的通知,2019-02-30,锦绣县编委,",  # 4: bad date
        f"锦编发〔2019〕6号,关于某事的通知,{future},锦绣县编委,",  # 5: future date
        "锦编发[2019]3号,重复的一行,2019-05-06,锦绣县编委,",  # 6: duplicate of row 2
        "锦编发〔2018〕7号,关于核定人员编制的通知,2018-04-02,锦绣县编委,",  # 7: registered with another title
        "锦编发〔2019〕8号,关于某事的通知,2019-05-06,锦绣县编委,草稿.docx",  # 8: not a document's kind of file
        "锦编发〔2019〕9号,关于某事的通知,2019-05-06,锦绣县编委,空.pdf",  # 9: empty file
        ",关于某事的通知,2019-05-06,锦绣县编委,",  # 10: no number
    )
    result = _load(folder, index)
    assert not result.loaded
    codes = {(issue.row, issue.code) for issue in result.issues}
    assert codes == {
        (3, "documents.file_not_found"),
        (4, "imports.bad_date"),
        (5, "documents.future"),
        (6, "imports.duplicate_in_file"),
        (7, "documents.conflict"),
        (8, "documents.file_kind"),
        (9, "files.empty"),
        (10, "imports.required"),
    }
    duplicate = next(issue for issue in result.issues if issue.row == 6)
    assert "第 2 行" in duplicate.message
    assert not Document.objects.filter(number__startswith="锦编发〔2019〕").exists()
    assert not AuditEvent.objects.filter(action="orgs.documents_loaded").exists()


def test_the_command_reports_each_bad_row_and_loads_nothing(folder, capsys):
    index = _index(folder, "锦编发〔2019〕4号,关于某事的通知,2019-05-06,锦绣县编委,不存在.pdf")
    with pytest.raises(SystemExit) as exited:
        call_command("documents", "load", str(folder), str(index))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "第 2 行 文件名：找不到文件「不存在.pdf」" in err and "未导入任何内容" in err


def test_the_command_loads_and_summarises(folder, capsys):
    index = _index(folder, "锦编发[2019]3号,关于设立锦绣县城市管理局的通知,2019-05-06,锦绣县编委,锦编发〔2019〕3号.pdf")
    (folder / "锦编发〔2019〕3号.pdf").write_bytes((folder / "2019" / "锦编发〔2019〕3号.pdf").read_bytes())
    call_command("documents", "load", str(folder), str(index), "--dry-run")
    assert "检查无误（未作改动）" in capsys.readouterr().out
    assert not Document.objects.filter(number="锦编发〔2019〕3号").exists()
    call_command("documents", "load", str(folder), str(index))
    assert "新登记 1 件文件，保存 1 个文件，从 1 个 PDF 中读取了文字" in capsys.readouterr().out


def test_a_file_outside_the_folder_is_not_read(folder, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.pdf"
    outside.write_bytes(blank_pdf())
    assert Folder(folder).read(f"../{outside.parent.name}/secret.pdf") is None


def test_the_page_previews_a_zip_then_loads_it(folder, client):
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zipped:
        zipped.writestr("历史文件/2019/锦编发〔2019〕3号.pdf", (folder / "2019" / "锦编发〔2019〕3号.pdf").read_bytes())
    index = HEADER + "锦编发〔2019〕3号,关于设立锦绣县城市管理局的通知,2019-05-06,锦绣县编委,锦编发〔2019〕3号.pdf\n"
    preview = client.post(
        reverse("orgs:document_load"),
        {
            "index": SimpleUploadedFile("目录.csv", index.encode()),
            "files": [SimpleUploadedFile("历史文件.zip", packed.getvalue())],
        },
    )
    assert preview.status_code == 200 and "检查通过" in preview.content.decode()
    assert not Document.objects.filter(number="锦编发〔2019〕3号").exists()
    token = preview.context["token"]
    done = client.post(reverse("orgs:document_load_confirm", args=[token]))
    assert done.status_code == 302
    assert Document.objects.get(number="锦编发〔2019〕3号").file_name == "锦编发〔2019〕3号.pdf"


def test_the_page_lists_every_problem_of_the_upload(folder, client):
    client.force_login(make_user("bianban", Role.BIANBAN_OPERATOR, scope_county=True))
    index = HEADER + "锦编发〔2019〕4号,关于某事的通知,2019-05-06,锦绣县编委,不存在.pdf\n"
    page = client.post(
        reverse("orgs:document_load"),
        {"index": SimpleUploadedFile("目录.csv", index.encode()), "files": [SimpleUploadedFile("a.pdf", blank_pdf())]},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "documents.file_not_found" in html and "未导入任何文件" in html


def test_a_damaged_zip_is_refused():
    with pytest.raises(BianzhiError) as refused:
        Bundle.from_zip(b"not a zip", "a.zip")
    assert refused.value.code == "imports.unreadable"


def test_check_reports_a_search_text_out_of_step(archive):
    assert run_all()["orgs.document_search_text"] == []
    Document.objects.filter(pk=archive["wanted"].pk).update(search_text="")
    drifts = run_all()["orgs.document_search_text"]
    assert [drift.subject for drift in drifts] == ["锦编发〔2026〕12号"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="检索文字的片段索引只在 PostgreSQL 上建立")
def test_postgresql_reads_the_index_of_the_search_text(archive):
    sql, params = document_search(None, "编发2026 教育局").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # a table this small would be read whole, or walked in date order, otherwise
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "document_search_grams" in plan, plan
