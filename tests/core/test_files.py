"""The file store: content kept once by its checksum, refused when empty, too large or of a kind not kept, and
never served when the file on disk is missing or changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint import HTML

from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload, check_stored_files, file_read, file_store, pdf_text
from bianzhi.core.models import StoredFile

pytestmark = pytest.mark.django_db


def _pdf(text: str) -> bytes:
    return HTML(string=f"<html><body><p>{text}</p></body></html>").write_pdf()


def _on_disk(stored: StoredFile) -> Path:
    return Path(settings.VAR_DIR) / "files" / stored.sha256[:2] / stored.sha256


def test_the_same_content_is_kept_once_and_read_back():
    first = file_store(Upload("纪要.pdf", _pdf("会议纪要")))
    again = file_store(Upload("另一个名字.pdf", _on_disk(first).read_bytes()))
    assert again.pk == first.pk and StoredFile.objects.count() == 1
    content = file_read(first, name="纪要.pdf")
    assert hashlib.sha256(content).hexdigest() == first.sha256 and first.size == len(content)
    assert first.content_type == "application/pdf"
    assert list(check_stored_files()) == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("空.pdf", b"", "files.empty"),
        ("程序.exe", b"MZ...", "files.unsupported_type"),
        ("无后缀", b"abc", "files.unsupported_type"),
        ("假的.pdf", b"<html>not a pdf</html>", "files.not_pdf"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(name, content, code):
    with pytest.raises(BianzhiError) as refused:
        file_store(Upload(name, content))
    assert refused.value.code == code and name in refused.value.message
    assert StoredFile.objects.count() == 0


def test_a_file_over_the_limit_is_refused(settings):
    settings.BIANZHI_MAX_FILE_BYTES = 1000
    with pytest.raises(BianzhiError) as refused:
        file_store(Upload("扫描件.png", b"x" * 1001))
    assert refused.value.code == "files.too_large" and "1000" not in refused.value.message  # sizes in words
    assert StoredFile.objects.count() == 0


def test_a_changed_or_missing_file_is_not_served_and_the_check_names_it():
    stored = file_store(Upload("批复.pdf", _pdf("批复")))
    path = _on_disk(stored)
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(BianzhiError) as refused:
        file_read(stored, name="批复.pdf")
    assert refused.value.code == "files.corrupt" and "批复.pdf" in refused.value.message
    assert [drift.subject for drift in check_stored_files()] == [stored.sha256]
    # storing the same content again repairs the damaged copy
    file_store(Upload("批复.pdf", _pdf("批复")))
    assert file_read(stored, name="批复.pdf") and list(check_stored_files()) == []
    path.unlink()
    with pytest.raises(BianzhiError) as refused:
        file_read(stored, name="批复.pdf")
    assert refused.value.code == "files.missing"
    assert "不在存储目录中" in next(iter(check_stored_files())).message


def test_the_text_layer_of_a_pdf_is_read_and_a_scan_gives_none():
    assert "机构编制委员会" in pdf_text(_pdf("关于调整机构编制委员会组成人员的通知"))
    assert pdf_text(b"%PDF-1.4 broken") == ""
