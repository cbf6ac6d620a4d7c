from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class MatterError(ErrorCode):
    UNKNOWN_OPERATION = ("matters.unknown_operation", _("未知的变更操作「{operation}」。"))
    MISSING_PARAM = ("matters.missing_param", _("缺少「{label}」。"))
    BAD_PARAM = ("matters.bad_param", _("「{label}」的值「{value}」无效：{reason}"))
    UNKNOWN_UNIT = ("matters.unknown_unit", _("「{label}」所指的机构（编号 {value}）不存在。"))
    STEP_UNIT_MISSING = (
        "matters.step_unit_missing",
        _("「{label}」引用第 {step} 步设立的机构，但第 {step} 步不在本步之前或没有设立机构。"),
    )
    EMPTY_CHANGE_SET = ("matters.empty_change_set", _("该事项没有变更步骤，无可实施的内容。"))
    ALREADY_APPLIED = ("matters.already_applied", _("该事项已于 {day} 实施，不能重复实施。"))
    NOT_EDITABLE = ("matters.not_editable", _("事项处于「{state}」状态，变更内容已不能修改。"))
    NO_SUCH_STEP = ("matters.no_such_step", _("没有第 {position} 步。"))
    NOT_DECIDED = ("matters.not_decided", _("事项处于「{state}」状态：只有批准后的事项才能实施。"))
    WRONG_STATE = ("matters.wrong_state", _("事项处于「{state}」状态，不能{action}。"))
    REVIEW_INCOMPLETE = ("matters.review_incomplete", _("合法合规性审查尚未完成：{items}。"))
    REVIEW_FAILED = (
        "matters.review_failed",
        _("合法合规性审查未通过（{items}），不能提交室务会：请退回修改或不予受理。"),
    )
    STEP_FAILED = ("matters.step_failed", _("第 {position} 步（{label}）无法实施：{reason}"))
