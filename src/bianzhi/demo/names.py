"""Realistic Chinese personal names, drawn deterministically from a seeded random generator."""

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

_SURNAME_VALUES = [s for s, _ in SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in SURNAMES]


def person_name(rng: random.Random, *, male: bool) -> str:
    surname = rng.choices(_SURNAME_VALUES, _SURNAME_WEIGHTS)[0]
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(chars)
    return surname + rng.choice(NEUTRAL_CHARS + chars) + rng.choice(chars)
