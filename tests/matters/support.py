"""What the matter tests start from: a county whose pool and units hold slots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from bianzhi.core.errors import BianzhiError
from bianzhi.core.files import Upload
from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind
from bianzhi.quotas.services import county_account, unit_account
from tests.quotas.support import fund_pool, post

FUNDED, GRANTED = dt.date(2020, 1, 2), dt.date(2020, 1, 3)


def slots_for(pool: int, **units) -> None:
    """``pool`` 行政编制 for the county pool, then ``units`` (unit → number) granted from it."""
    fund_pool("XZ", pool, FUNDED)
    for unit, amount in units.values():
        post(
            MovementKind.HEZENG,
            county_account(AccountKind.POOL, "XZ"),
            unit_account(unit, "XZ", FundingForm.QE),
            amount,
            GRANTED,
        )


MINUTES_PDF = b"%PDF-1.4\n% minutes of the party group meeting\n"


def minutes_upload() -> Upload:
    """The minutes of the unit's collective discussion, as 动议 takes them."""
    return Upload("局党组会议纪要.pdf", MINUTES_PDF)


def minutes_file() -> SimpleUploadedFile:
    """The same, as a browser posts it."""
    return SimpleUploadedFile("局党组会议纪要.pdf", MINUTES_PDF, content_type="application/pdf")


def refused(code: str, call, *args, **kwargs) -> BianzhiError:
    """Calls a service expecting a refusal with ``code`` and a Chinese message; returns it."""
    with pytest.raises(BianzhiError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    return caught.value


def files_on_disk() -> set[Path]:
    """Every file of the file store (``core.files``), shared by the tests of a worker: compare before and after."""
    root = Path(settings.VAR_DIR) / "files"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()
