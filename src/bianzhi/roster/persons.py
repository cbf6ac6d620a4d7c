"""Person records: validation of what is typed, encrypted storage, field ownership, and audited unmasking."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from pypinyin import lazy_pinyin

from bianzhi.accounts.permissions import Capability, has_capability, require_capability
from bianzhi.accounts.scoping import ensure_unit_in_scope, unit_name_for
from bianzhi.audit.services import audit_record
from bianzhi.core.errors import BianzhiError
from bianzhi.core.ids import mask_id_number, validate_id_number
from bianzhi.core.locks import lock_row
from bianzhi.roster import crypto
from bianzhi.roster.choices import Education, Gender, PoliticalStatus, StaffIdentity
from bianzhi.roster.errors import RosterError
from bianzhi.roster.models import Person

_NAME_CHARS = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·]+$")
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
# 烟台 rule (brief §1.8): these are kept by the 编办; units keep the rest up to date
LOCKED_FIELDS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "work_start_date": "参加工作时间",
}
UNIT_FIELDS = {
    "ethnicity": "民族",
    "native_place": "籍贯",
    "political_status": "政治面貌",
    "education": "学历",
    "degree": "学位",
    "school": "毕业学校",
    "major": "专业",
    "internal_body": "所在机构",
    "identity": "人员身份",
    "position": "职务",
    "rank_title": "职级",
    "post_since": "任现职时间",
    "phone": "联系电话",
    "remarks": "备注",
}
_CHOICE_FIELDS = {
    "gender": (Gender, "性别"),
    "political_status": (PoliticalStatus, "政治面貌"),
    "education": (Education, "学历"),
    "identity": (StaffIdentity, "人员身份"),
}


def normalize_name(raw: str) -> str:
    """Full-width letters folded; the middle dot of minority names accepted in its common look-alikes."""
    name = unicodedata.normalize("NFKC", raw or "")
    return name.replace("•", "·").replace("・", "·").replace("．", "·").replace("‧", "·")


def check_name(raw: str) -> str:
    name = normalize_name(raw)
    if not name:
        raise BianzhiError(RosterError.NAME_INVALID, name=raw, reason="不能为空。")
    if any(c.isspace() for c in name):
        raise BianzhiError(RosterError.NAME_INVALID, name=raw, reason="中间或前后均不能有空格。")
    if len(name) > 40 or not _NAME_CHARS.match(name) or name.startswith("·") or name.endswith("·"):
        raise BianzhiError(RosterError.NAME_INVALID, name=raw, reason="只能由汉字、字母和间隔号「·」组成。")
    return name


@dataclass(frozen=True)
class CheckedId:
    number: str
    gender: str
    birth_date: dt.date

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    @property
    def hash(self) -> str:
        return crypto.lookup_hash(self.number)


def check_id_number(raw: str) -> CheckedId:
    check = validate_id_number(raw or "")
    if not check.valid:
        raise BianzhiError(RosterError.ID_INVALID, reason=check.errors[0].message)
    gender = Gender.MALE if check.details["gender"] == "male" else Gender.FEMALE
    return CheckedId(check.normalized, gender, dt.date.fromisoformat(check.details["birth_date"]))


def check_choice(name: str, value: str) -> str:
    choices, label = _CHOICE_FIELDS[name]
    if value and value not in choices.values:
        by_label = {choice.label: choice.value for choice in choices}
        if value not in by_label:
            raise BianzhiError(RosterError.CHOICE_INVALID, field=label)
        value = by_label[value]
    return value


def check_phone(raw: str) -> str:
    phone = unicodedata.normalize("NFKC", raw or "").replace(" ", "")
    if phone and not _PHONE.match(phone):
        raise BianzhiError(RosterError.PHONE_INVALID, phone=raw)
    return phone


@dataclass
class PersonData:
    """A person as typed into a form, an import row or an API call."""

    name: str
    id_number: str
    gender: str = ""
    birth_date: dt.date | None = None
    details: dict = field(default_factory=dict)  # any of UNIT_FIELDS plus work_start_date

    def checked(self) -> tuple[str, CheckedId]:
        """The cleaned name and ID number; gender and birth date, when given, must agree with the ID."""
        name = check_name(self.name)
        checked = check_id_number(self.id_number)
        if self.gender:
            gender = check_choice("gender", self.gender)
            if gender != checked.gender:
                raise BianzhiError(
                    RosterError.GENDER_MISMATCH, gender=Gender(gender).label, expected=Gender(checked.gender).label
                )
        if self.birth_date and self.birth_date != checked.birth_date:
            raise BianzhiError(RosterError.BIRTH_MISMATCH, birth=self.birth_date, expected=checked.birth_date)
        for key in self.details:
            if key not in UNIT_FIELDS and key != "work_start_date":
                raise BianzhiError(RosterError.UNKNOWN_FIELD, field=key)
        return name, checked


_NOT_HANZI = "\x00"  # marks a run pypinyin leaves as it is (letters, digits, the middle dot)


def search_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials (``wangxiaoming``, ``wxm``), from one conversion: the initials are each syllable's
    first letter and any other run whole, as pypinyin's FIRST_LETTER style gives them (half the time of asking it
    twice; pinyin is the slowest step of an import row)."""
    parts = lazy_pinyin(name, errors=lambda run: [_NOT_HANZI + run])
    full = "".join(part.removeprefix(_NOT_HANZI) for part in parts)
    initials = "".join(part[1:] if part.startswith(_NOT_HANZI) else part[:1] for part in parts)
    return full.lower(), initials.lower()


def _apply_details(person: Person, details: dict) -> None:
    for key, value in details.items():
        if key == "phone":
            person.phone_cipher = crypto.encrypt(check_phone(value))
        elif key in _CHOICE_FIELDS:
            setattr(person, key, check_choice(key, value or ""))
        elif value is None:  # cleared: a date has no empty text, only "not known"
            setattr(person, key, None if Person._meta.get_field(key).null else "")
        else:
            setattr(person, key, value)


def person_for_entry(data: PersonData, unit) -> tuple[Person, bool]:
    """The person record an onboarding fills: found by ID (refused if the name differs) or built, not saved."""
    name, checked = data.checked()
    person = lock_row(Person.objects.filter(id_hash=checked.hash))
    created = person is None
    if created:
        person = Person(id_hash=checked.hash, id_cipher=crypto.encrypt(checked.number), id_masked=checked.masked)
        person.name = name
        person.name_pinyin, person.name_initials = search_keys(name)
        person.gender, person.birth_date = checked.gender, checked.birth_date
    elif person.name != name:
        raise BianzhiError(RosterError.ID_TAKEN_BY_OTHER_NAME, masked=checked.masked, name=person.name)
    person.unit = unit
    _apply_details(person, data.details)
    return person, created


def same_name_and_birth(name: str, birth_date: dt.date, *, exclude_hash: str = "") -> list[Person]:
    """The old system's duplicate warning: someone else with the same name and birth date."""
    return list(
        Person.objects.filter(name=normalize_name(name), birth_date=birth_date)
        .exclude(id_hash=exclude_hash)
        .select_related("unit")[:5]
    )


def namesakes_listed(actor, namesakes: list[Person]) -> str:
    """Who they are, for a message: the masked ID number, and the unit only to someone whose scope reaches it."""
    return "、".join(
        f"{p.name}（{p.id_masked}，{unit_name_for(actor, p.unit) if p.unit_id else '已出编'}）" for p in namesakes
    )


@transaction.atomic
def person_update(*, actor, person: Person, changes: dict, reason: str = "") -> Person:
    """Changes a person's details. Units change their own people's details; locked fields are the 编办's."""
    require_capability(actor, Capability.USE_QUOTA)
    person = lock_row(Person.objects.select_related("unit").filter(pk=person.pk))
    ensure_unit_in_scope(actor, person.unit)
    decider = has_capability(actor, Capability.DECIDE_QUOTA_USE)
    before, after = {}, {}
    for key in changes:
        if key in LOCKED_FIELDS and not decider:
            raise BianzhiError(RosterError.LOCKED_FIELD, field=LOCKED_FIELDS[key])
        if key not in LOCKED_FIELDS and key not in UNIT_FIELDS:
            raise BianzhiError(RosterError.UNKNOWN_FIELD, field=key)
    locked = {key: changes[key] for key in LOCKED_FIELDS if key in changes}
    if locked:
        _change_locked(person, locked, before, after)
    details = {key: value for key, value in changes.items() if key in UNIT_FIELDS}
    for key in details:
        before[key] = "***" if key == "phone" else str(getattr(person, key, ""))
    _apply_details(person, details)
    for key in details:
        after[key] = "***" if key == "phone" else str(getattr(person, key, ""))
    person.save()
    audit_record(actor=actor, action="roster.person_updated", obj=person, before=before, after=after, reason=reason)
    return person


def _change_locked(person: Person, locked: dict, before: dict, after: dict) -> None:
    name = check_name(locked.get("name", person.name))
    number = locked.get("id_number") or crypto.decrypt(person.id_cipher)
    checked = check_id_number(number)
    gender = check_choice("gender", locked.get("gender") or checked.gender)
    birth = locked.get("birth_date") or checked.birth_date
    PersonData(name, checked.number, gender, birth).checked()
    if checked.hash != person.id_hash:
        before["id_number"], after["id_number"] = person.id_masked, checked.masked
        holder = Person.objects.filter(id_hash=checked.hash).exclude(pk=person.pk).first()
        if holder is not None:  # only 编办 roles change ID numbers, and they may see every person
            raise BianzhiError(RosterError.ID_REGISTERED, masked=checked.masked, name=holder.name)
        person.id_hash, person.id_cipher, person.id_masked = checked.hash, crypto.encrypt(number), checked.masked
    if name != person.name:
        before["name"], after["name"] = person.name, name
        person.name = name
        person.name_pinyin, person.name_initials = search_keys(name)
    if "work_start_date" in locked:
        before["work_start_date"] = str(person.work_start_date)
        after["work_start_date"] = str(locked["work_start_date"])
        person.work_start_date = locked["work_start_date"]
    person.gender, person.birth_date = checked.gender, checked.birth_date


@transaction.atomic
def person_unmask(*, actor, person: Person) -> str:
    """The full ID number, for a role allowed to see it; every look is recorded in the audit log."""
    require_capability(actor, Capability.VIEW_PERSONAL_DATA)
    ensure_unit_in_scope(actor, person.unit)
    audit_record(actor=actor, action="roster.id_unmasked", obj=person, after={"masked": person.id_masked})
    return crypto.decrypt(person.id_cipher)


def person_phone(person: Person) -> str:
    return crypto.decrypt(person.phone_cipher)
