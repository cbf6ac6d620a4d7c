"""Code sets of the organisation register (brief §1.3–§1.5)."""

from __future__ import annotations

from django.db import models


class SystemCategory(models.TextChoices):
    DANGWEI = "DANGWEI", "党委"
    RENDA = "RENDA", "人大"
    ZHENGFU = "ZHENGFU", "政府"
    ZHENGXIE = "ZHENGXIE", "政协"
    FAYUAN = "FAYUAN", "法院"
    JIANCHAYUAN = "JIANCHAYUAN", "检察院"
    MINZHU = "MINZHU", "民主党派"
    QUNTUAN = "QUNTUAN", "群团"
    XIANGZHEN = "XIANGZHEN", "乡镇"


class UnitKind(models.TextChoices):
    JIGUAN = "JIGUAN", "机关"
    NEISHE = "NEISHE", "内设机构"
    XIASHE = "XIASHE", "下设机构"
    SHIYE = "SHIYE", "事业单位"
    YISHI = "YISHI", "议事协调机构"


class UnitNature(models.TextChoices):
    XINGZHENG = "XINGZHENG", "行政机关"
    CANGONG = "CANGONG", "参公事业单位"
    SHIYE = "SHIYE", "事业单位"
    QUNTUAN = "QUNTUAN", "群团机关"
    QITA = "QITA", "其他"


class UnitRank(models.TextChoices):
    ZHENGTING = "ZHENGTING", "正厅级"
    FUTING = "FUTING", "副厅级"
    ZHENGCHU = "ZHENGCHU", "正处级"
    FUCHU = "FUCHU", "副处级"
    ZHENGKE = "ZHENGKE", "正科级"
    FUKE = "FUKE", "副科级"
    GUJI = "GUJI", "股级"
    WEIDINGJI = "WEIDINGJI", "未定级"


# Higher number = higher rank; unranked units take part in no comparison.
RANK_ORDER = {
    UnitRank.ZHENGTING: 7,
    UnitRank.FUTING: 6,
    UnitRank.ZHENGCHU: 5,
    UnitRank.FUCHU: 4,
    UnitRank.ZHENGKE: 3,
    UnitRank.FUKE: 2,
    UnitRank.GUJI: 1,
}


class InstitutionClass(models.TextChoices):
    XZZN = "XZZN", "承担行政职能"
    GY1 = "GY1", "公益一类"
    GY2 = "GY2", "公益二类"
    SCJY = "SCJY", "从事生产经营活动"


class UnitStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "正常"
    MERGED = "MERGED", "已合并"
    ABOLISHED = "ABOLISHED", "已撤销"


class UnitChange(models.TextChoices):
    CREATED = "CREATED", "设立"
    RENAMED = "RENAMED", "更名"
    RANK_CHANGED = "RANK_CHANGED", "规格调整"
    CLASS_CHANGED = "CLASS_CHANGED", "性质类别调整"
    MOVED = "MOVED", "隶属调整"
    MERGED = "MERGED", "并入其他机构"
    SPLIT = "SPLIT", "分设"
    ABOLISHED = "ABOLISHED", "撤销"
    IMPORTED = "IMPORTED", "导入"
