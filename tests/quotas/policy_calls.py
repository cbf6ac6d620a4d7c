"""The policy test's requests for the quota ledger's pages (see ``tests/core/policy_world.py``)."""

from bianzhi.quotas.models import AccountKind, FundingForm, MovementKind, PostMovementKind
from bianzhi.quotas.services import (
    county_account,
    movement_post,
    post_authority_account,
    post_movement_post,
    post_unit_account,
    unit_account,
)
from tests.core.policy_world import LONG_AGO, TODAY, Call, document_fields, pk_of, unit_pk
from tests.quotas.support import document


def populate(world) -> None:
    """A movement of each side that can be reversed, and a 正科 leadership post for each side's unit."""
    movements = []
    for unit in (world.units["education"], world.units["finance"]):
        movements.append(
            movement_post(
                actor=None,
                kind=MovementKind.HEZENG,
                from_account=county_account(AccountKind.POOL, "XZ"),
                to_account=unit_account(unit, "XZ", FundingForm.QE),
                amount=2,
                effective_date=LONG_AGO,
                document=document(LONG_AGO),
            )
        )
        post_movement_post(
            actor=None,
            kind=PostMovementKind.HEDING,
            from_account=post_authority_account("ZHENG", "ZHENGKE"),
            to_account=post_unit_account(unit, "ZHENG", "ZHENGKE"),
            amount=1,
            effective_date=LONG_AGO,
            document=document(LONG_AGO),
        )
    world.put("movement", *movements)


def _movement(world, caller) -> dict:
    return {
        "kind": "HEZENG",
        "quota_type": "XZ",
        "from_kind": "POOL",
        "to_kind": "UNIT",
        "to_unit": world.unit(caller).name,
        "to_funding": "QE",
        "amount": 1,
        "effective_date": TODAY.isoformat(),
        **document_fields("锦编发〔2026〕80号"),
    }


CALLS = {
    ("page", "quotas:county_totals", "GET"): Call(),
    ("page", "quotas:movement_list", "GET"): Call(),
    ("page", "quotas:movement_new", "GET"): Call(),
    ("page", "quotas:movement_new", "POST"): Call(data=_movement, status=302),
    ("page", "quotas:movement_preview", "POST"): Call(data=_movement),
    ("page", "quotas:movement_reverse", "GET"): Call(args=pk_of("movement")),
    ("page", "quotas:movement_reverse", "POST"): Call(
        args=pk_of("movement"),
        data=lambda world, caller: {"reason": "录入错误", **document_fields("锦编发〔2026〕81号")},
        status=302,
    ),
    ("page", "quotas:post_movement_new", "GET"): Call(args=unit_pk("unit_pk")),
    ("page", "quotas:post_movement_new", "POST"): Call(
        args=unit_pk("unit_pk"),
        data=lambda world, caller: {
            "kind": "HEDING",
            "level": "FU",
            "grade": "ZHENGKE",
            "amount": 1,
            "effective_date": TODAY.isoformat(),
            **document_fields("锦编发〔2026〕82号"),
        },
        status=302,
    ),
}
