"""What the matter tests start from: a county whose pool and units hold slots."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

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
