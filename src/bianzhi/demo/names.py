"""Realistic Chinese personal names and particulars (民族、籍贯、学校、专业), drawn deterministically from a seeded
random generator."""

from __future__ import annotations

import random

# The most common surnames, weighted roughly by their share of the population.
SURNAMES = (
    ("王", 72),
    ("李", 71),
    ("张", 68),
    ("刘", 54),
    ("陈", 47),
    ("杨", 33),
    ("黄", 25),
    ("赵", 21),
    ("吴", 20),
    ("周", 19),
    ("徐", 15),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("高", 10),
    ("林", 10),
    ("罗", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 8),
    ("宋", 7),
    ("唐", 7),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("廖", 2),
    ("贾", 2),
    ("夏", 2),
    ("韦", 2),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("欧阳", 1),
    ("司马", 1),
    ("上官", 1),
)
MALE_CHARS = "伟强磊军勇杰涛明超斌刚辉鹏华飞鑫波宇浩凯健俊帆亮成峰建国志平文博云龙海东晨阳振宏瑞"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英红梅琳雪燕萍婷慧颖佳倩洁欣悦彤璐晶蓉薇琴丹怡瑶雯璇"
NEUTRAL_CHARS = "子一思嘉文雨春秋新晓永立天小佳安德"


def person_name(rng: random.Random, *, male: bool) -> str:
    surname = weighted(rng, SURNAMES)
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(chars)
    return surname + rng.choice(NEUTRAL_CHARS + chars) + rng.choice(chars)


# A few names of minority nationalities written with the middle dot the forms keep (brief §1.8).
DOTTED_NAMES = {
    True: ("买买提·艾力", "艾尔肯·吐尔逊", "阿不都·热合曼", "依明·卡德尔"),
    False: ("阿依古丽·买买提", "古丽娜尔·艾力", "热依拉·吐尔逊", "米热古丽·卡德尔"),
}
DOTTED_ETHNICITY = "维吾尔族"
ETHNICITIES = (("汉族", 970), ("回族", 18), ("满族", 6), ("蒙古族", 4), ("土家族", 2))
NATIVE_PLACES = (
    ("锦绣县", 70),
    ("陕西西安", 8),
    ("陕西渭南", 6),
    ("陕西宝鸡", 5),
    ("陕西咸阳", 4),
    ("甘肃天水", 3),
    ("河南洛阳", 2),
    ("山西运城", 2),
)
UNIVERSITIES = (
    "西北大学",
    "陕西师范大学",
    "西安交通大学",
    "西北农林科技大学",
    "长安大学",
    "西安电子科技大学",
    "西北政法大学",
    "西安财经大学",
    "延安大学",
    "宝鸡文理学院",
    "渭南师范学院",
    "咸阳师范学院",
    "陕西中医药大学",
    "西安医学院",
    "陕西理工大学",
    "西安石油大学",
    "商洛学院",
    "安康学院",
    "榆林学院",
    "西安建筑科技大学",
)
COLLEGES = ("陕西职业技术学院", "杨凌职业技术学院", "陕西能源职业技术学院", "西安医学高等专科学校", "锦州师范专科学校")
SECONDARY_SCHOOLS = ("锦州市卫生学校", "锦州市农业学校", "锦州师范学校", "锦绣县职业中学")
# majors by the work of the unit
MAJORS = {
    "机关": ("汉语言文学", "法学", "行政管理", "会计学", "计算机科学与技术", "经济学", "公共事业管理", "财务管理"),
    "学校": (
        "汉语言文学",
        "数学与应用数学",
        "英语",
        "物理学",
        "化学",
        "生物科学",
        "历史学",
        "思想政治教育",
        "体育教育",
        "音乐学",
        "美术学",
        "小学教育",
    ),
    "卫生": ("临床医学", "护理学", "中医学", "医学检验技术", "药学", "医学影像学", "预防医学"),
    "农业": ("农学", "园艺", "动物医学", "农业资源与环境"),
    "资源": ("土地资源管理", "测绘工程", "地理信息科学"),
    "建设": ("土木工程", "城乡规划", "建筑学"),
    "其他": ("行政管理", "社会工作", "汉语言文学", "法学", "文化产业管理"),
}


def weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def dotted_name(rng: random.Random, *, male: bool) -> str:
    return rng.choice(DOTTED_NAMES[male])
