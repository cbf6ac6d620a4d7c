"""The fictional county 锦绣县, built deterministically from a seed through the same services users go through.

Sizes are parameters so that ``bench/`` can build county, city and province scales. Later modules add their
tables here (quotas, people, matters …).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bianzhi.accounts.roles import Role
from bianzhi.accounts.services import user_create, user_set_access
from bianzhi.core.models import Installation
from bianzhi.orgs.models import Unit
from bianzhi.orgs.services import unit_create

COUNTY_NAME = "锦绣县"
REGION_CODE = "610999"  # fictional: no real county has this code
DEMO_PASSWORD = "Demo@2026"

DEPARTMENTS = (
    "中共锦绣县委办公室", "中共锦绣县委组织部", "中共锦绣县委宣传部", "中共锦绣县委统一战线工作部",
    "中共锦绣县委政法委员会", "中共锦绣县委机构编制委员会办公室", "中共锦绣县纪律检查委员会",
    "锦绣县人大常委会办公室", "锦绣县人民政府办公室", "锦绣县发展和改革局", "锦绣县教育局",
    "锦绣县科学技术局", "锦绣县公安局", "锦绣县民政局", "锦绣县司法局", "锦绣县财政局",
    "锦绣县人力资源和社会保障局", "锦绣县自然资源局", "锦绣县住房和城乡建设局", "锦绣县交通运输局",
    "锦绣县水利局", "锦绣县农业农村局", "锦绣县商务局", "锦绣县文化和旅游局", "锦绣县卫生健康局",
    "锦绣县退役军人事务局", "锦绣县应急管理局", "锦绣县审计局", "锦绣县市场监督管理局", "锦绣县统计局",
    "锦绣县医疗保障局", "锦绣县林业局", "锦绣县政协办公室", "锦绣县人民法院", "锦绣县人民检察院",
    "共青团锦绣县委员会", "锦绣县妇女联合会", "锦绣县总工会",
)  # fmt: skip
TOWNSHIPS = (
    "城关镇",
    "青石镇",
    "柳河镇",
    "白云乡",
    "桃源镇",
    "南山乡",
    "金川镇",
    "东坪乡",
    "西沟乡",
    "龙门镇",
)
# (parent department, pattern of subordinate institutions)
INSTITUTIONS = (
    ("锦绣县教育局", "锦绣县第{n}小学"),
    ("锦绣县教育局", "锦绣县第{n}中学"),
    ("锦绣县卫生健康局", "锦绣县{township}卫生院"),
    ("锦绣县农业农村局", "锦绣县{township}农业综合服务站"),
    ("锦绣县自然资源局", "锦绣县{township}自然资源所"),
    ("锦绣县人力资源和社会保障局", "锦绣县{township}社会保障服务站"),
)
TOWNSHIP_INSTITUTIONS = ("{township}便民服务中心", "{township}综合行政执法队", "{township}文化服务中心")

DEMO_USERS = (
    # username, full name, role, scope ("county", a unit name, or None)
    ("bianban", "周晓明", Role.BIANBAN_ADMIN, "county"),
    ("jingban", "李静", Role.BIANBAN_OPERATOR, "county"),
    ("jiaoyu", "王芳", Role.UNIT_OPERATOR, "锦绣县教育局"),
    ("dengji", "陈刚", Role.REGISTRATION, "county"),
    ("jiandu", "赵敏", Role.OVERSIGHT, "county"),
    ("caizheng", "孙涛", Role.PARTNER_READONLY, "county"),
    ("xitong", "刘伟", Role.SYSTEM_ADMIN, None),
    ("anquan", "杨帆", Role.SECURITY_ADMIN, None),
    ("shenji", "黄丽", Role.AUDIT_ADMIN, None),
)


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 2026
    units: int = 300
    persons: int = 10_000  # used once the roster exists

    @classmethod
    def scale(cls, name: str, seed: int = 2026) -> DemoSpec:
        sizes = {"county": (300, 10_000), "city": (3_000, 100_000), "province": (60_000, 3_000_000)}
        units, persons = sizes[name]
        return cls(seed=seed, units=units, persons=persons)


def _unit_names(total: int):
    """Yields (name, parent name or None) until ``total`` units, departments first."""
    count = 0
    for name in DEPARTMENTS:
        yield name, None
        count += 1
    for township in TOWNSHIPS:
        yield f"锦绣县{township}人民政府", None
        count += 1
    for township in TOWNSHIPS:
        for pattern in TOWNSHIP_INSTITUTIONS:
            yield pattern.format(township=township), f"锦绣县{township}人民政府"
            count += 1
    n = 0
    while count < total:
        n += 1
        parent, pattern = INSTITUTIONS[n % len(INSTITUTIONS)]
        township = TOWNSHIPS[(n // len(INSTITUTIONS)) % len(TOWNSHIPS)]
        round_ = n // (len(INSTITUTIONS) * len(TOWNSHIPS))
        name = pattern.format(n=n // len(INSTITUTIONS) + 1, township=township)
        yield (name if round_ == 0 or "{n}" in pattern else f"{name}（{round_ + 1}）"), parent
        count += 1


@transaction.atomic
def build_demo(spec: DemoSpec = DemoSpec()) -> dict:
    Installation.objects.update_or_create(
        pk=1, defaults={"county_name": COUNTY_NAME, "region_code": REGION_CODE, "is_demo": True}
    )
    by_name: dict[str, Unit] = {}
    for index, (name, parent_name) in enumerate(_unit_names(spec.units), start=1):
        if index > spec.units:
            break
        by_name[name] = unit_create(
            actor=None, name=name, parent=by_name.get(parent_name), code=f"{REGION_CODE}{index:05d}"
        )
    for username, full_name, role, scope in DEMO_USERS:
        user = user_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name)
        user_set_access(
            actor=None,
            user=user,
            roles=[role],
            scope_county=scope == "county",
            scope_unit=by_name.get(scope) if scope not in (None, "county") else None,
            reason="演示数据初始化",
        )
    return {"units": len(by_name), "users": len(DEMO_USERS)}
