"""The roster app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class RosterError(ErrorCode):
    NAME_INVALID = ("roster.name_invalid", _("姓名「{name}」不符合要求：{reason}"))
    ID_INVALID = ("roster.id_invalid", _("公民身份号码有误：{reason}"))
    GENDER_MISMATCH = (
        "roster.gender_mismatch",
        _("性别「{gender}」与公民身份号码第 17 位所示的「{expected}」不一致。"),
    )
    BIRTH_MISMATCH = ("roster.birth_mismatch", _("出生日期 {birth} 与公民身份号码中的 {expected} 不一致。"))
    PHONE_INVALID = ("roster.phone_invalid", _("联系电话「{phone}」无效，请填写 11 位手机号码或带区号的固定电话。"))
    ID_TAKEN_BY_OTHER_NAME = (
        "roster.id_other_name",
        _("公民身份号码 {masked} 已登记为「{name}」，与本次填写的姓名不一致；如姓名有误请由编办更正。"),
    )
    ID_REGISTERED = (
        "roster.id_registered",
        _("公民身份号码 {masked} 已登记为另一人员「{name}」，同一号码只能对应一条人员记录；请核对号码。"),
    )
    ALREADY_IN_SLOT = (
        "roster.already_in_slot",
        _("{name}（{masked}）已在{unit}占用编制，同一人不能同时占用两个编制。"),
    )
    NAMESAKE = ("roster.namesake", _("系统中已有同名、同出生日期的人员：{listed}。请核实不是同一人。"))
    NAMESAKE_UNCONFIRMED = (
        "roster.namesake_unconfirmed",
        _("系统中已有同名、同出生日期的人员：{listed}。请核实不是同一人后确认办理。"),
    )
    NO_VACANCY = (
        "roster.no_vacancy",
        _(
            "{account}可用编制 {available} 名（核定 {approved}，实有 {occupied}，已核准未入编 {reserved}），"
            "不足 {count} 名。"
        ),
    )
    UNIT_OVER_QUOTA = ("roster.unit_over_quota", _("{unit}{type}超编 {over} 名，超编单位不得新进人。"))
    PURPOSE_REQUIRED = ("roster.purpose_required", _("请填写用编理由。"))
    COMMENT_REQUIRED = ("roster.comment_required", _("{action}须填写审核意见。"))
    APPROVAL_STATE = ("roster.approval_state", _("用编核准单当前为「{status}」，不能{action}。"))
    APPROVAL_EXPIRED = ("roster.approval_expired", _("用编核准单 {serial} 已于 {date} 到期，不能再使用。"))
    APPROVAL_USED_UP = ("roster.approval_used_up", _("用编核准单 {serial} 核准的 {count} 名已全部使用。"))
    APPROVAL_MISMATCH = (
        "roster.approval_mismatch",
        _("用编核准单 {serial} 核准的是{account}，与所填的转入单位、编制类型或经费形式不符。"),
    )
    APPROVAL_REQUIRED = (
        "roster.approval_required",
        _("入编须依据用编核准单或周转编制；没有核准单的入编只能由编办办理并注明理由。"),
    )
    OVERRIDE_REASON_REQUIRED = ("roster.override_reason_required", _("未经用编核准入编，须注明理由。"))
    NOT_IN_QUOTA = ("roster.not_in_quota", _("{name}当前不在编，不能{action}。"))
    ALREADY_IN_QUOTA = ("roster.already_in_quota", _("{name}当前在编，无需恢复。"))
    EXIT_BEFORE_ENTRY = ("roster.exit_before_entry", _("{what} {date} 早于入编时间 {start}。"))
    ENTRY_BEFORE_LAST_EXIT = ("roster.entry_before_exit", _("入编时间 {date} 早于该人员上次出编时间 {end}。"))
    ENTRY_BEFORE_APPROVAL = ("roster.entry_before_approval", _("入编时间 {date} 早于用编核准日期 {approved}。"))
    DATE_IN_FUTURE = ("roster.date_in_future", _("{what} {date} 晚于今天，请在生效后再办理。"))
    CHOICE_INVALID = ("roster.choice_invalid", _("请选择{field}。"))
    LOCKED_FIELD = ("roster.locked_field", _("「{field}」为锁定字段，只有编办可以修改。"))
    UNKNOWN_FIELD = ("roster.unknown_field", _("「{field}」不能在此修改。"))
    RESTORE_LOAN = ("roster.restore_loan", _("占用周转编制人员的出编不能恢复，请重新办理借用和入编。"))
    RESTORE_REASON = ("roster.restore_reason", _("恢复在编须注明更正理由。"))
    TRANSFER_SAME = ("roster.transfer_same", _("转入的单位、编制类型和经费形式与现在相同，无需转编。"))
    POOL_SHORT = (
        "roster.pool_short",
        _("编制周转池（{type}）现有 {balance} 名，已借出 {lent} 名，可借 {available} 名，不足 {count} 名。"),
    )
    POOL_BELOW_LOANS = (
        "roster.pool_below_loans",
        _("编制周转池（{type}）已借出 {lent} 名，划出后在 {date} 只剩 {balance} 名，不能少于借出数。"),
    )
    LOAN_CLOSED = ("roster.loan_closed", _("周转编制借用 {serial} 已归还，不能再使用。"))
    LOAN_FULL = ("roster.loan_full", _("周转编制借用 {serial} 的 {count} 个名额已全部占用。"))
    LOAN_TERM = ("roster.loan_term", _("周转期满日期须晚于起始日期。"))
    LOAN_PERIOD = ("roster.loan_period", _("入编时间 {date} 不在周转编制 {serial} 的周转期（{start} 至 {due}）内。"))
    NO_LOAN_OCCUPANT = ("roster.no_loan_occupant", _("{name}未占用周转编制，无需转为正式编制。"))
    POST_FULL = (
        "roster.post_full",
        _("{post}核定 {approved} 名，已配 {filled} 名，再配将超职数配备；如有批准超配（高配）的文件请注明。"),
    )
    POST_NOT_IN_UNIT = ("roster.post_not_in_unit", _("{name}不在{unit}在编，不能配备该单位的领导职数。"))
    NOT_IN_UNIT = ("roster.not_in_unit", _("{name}不在{unit}占编，不能随{unit}{action}。"))
    SPLIT_LOAN_OCCUPANT = (
        "roster.split_loan_occupant",
        _("{name}占用的是周转编制，分设时不能随之转出；请先办理转正或转编。"),
    )
    UNIT_HAS_PERSONS = ("roster.unit_has_persons", _("{unit}还有 {count} 名在编人员，请先办理转编或出编。"))
    EXPORT_TOO_LARGE = (
        "roster.export_too_large",
        _("所选人员共 {count} 人，一次最多导出 {limit} 人；请按单位、状态或日期缩小范围后分批导出。"),
    )


class RosterImportError(ErrorCode):
    TOO_LARGE = ("roster_import.too_large", _("文件大小 {size} 超过上限 {limit}，请拆分后分批导入。"))
    NO_UNIT_COLUMN = ("roster_import.no_unit_column", _("缺少「单位名称」（或「统一社会信用代码」）列。"))
    UNKNOWN_UNIT = (
        "roster_import.unknown_unit",
        _("找不到在用单位「{value}」：请填写您管理范围内在用单位的全称或统一社会信用代码。"),
    )
    UNIT_MISMATCH = (
        "roster_import.unit_mismatch",
        _("统一社会信用代码 {uscc} 是「{unit}」的，与单位名称「{name}」不一致。"),
    )
    SAME_NAME_BIRTH = (
        "roster_import.same_name_birth",
        _("系统中已有同名且出生日期相同的人员「{name}」（{masked}，{unit}），身份证号不同，请核实是否为同一人。"),
    )
    SKIPPED_COLUMNS = ("roster_import.skipped_columns", _("以下列不是导入项，未导入：{headers}。"))
    CHANGED = (
        "roster_import.changed",
        _("检查之后系统中有人员同时办理了入编，与本文件中的人员重复；未导入任何人员，请重新导入。"),
    )
    FILE_MISSING = ("roster_import.file_missing", _("找不到文件「{path}」。"))
    REPORT_GONE = ("roster_import.report_gone", _("错误报告已被清理（最长保留 4 小时），请重新上传文件检查。"))
    STALE = ("roster_import.stale", _("上传的文件已不存在（超过 4 小时未处理会被清理），请重新上传。"))
    NOT_CONFIRMABLE = ("roster_import.not_confirmable", _("只有检查通过的试导入可以确认导入。"))
    NOT_RETRYABLE = ("roster_import.not_retryable", _("只有已中断的导入可以重新开始。"))


class TaskError(ErrorCode):
    INTERNAL = (
        "roster_import.internal",
        _("导入时发生系统错误，未导入任何人员。请联系系统管理员查看服务日志（导入编号 {id}）。"),
    )
    INTERRUPTED = (
        "roster_import.interrupted",
        _("导入已中断：执行导入的后台进程已退出（如服务器重启），未导入任何人员。请点击「重新开始」或重新上传文件。"),
    )


class NoticeError(ErrorCode):
    NOT_APPROVED = (
        "notices.not_approved",
        _("该用编申请当前为「{status}」，尚未核准，没有《核准使用编制通知单》；请在核准后再打印。"),
    )
    STILL_IN_SLOT = (
        "notices.still_in_slot",
        _("{name}目前仍在编，尚未办理出编，不能打印《人员出编通知单》；请先办理出编。"),
    )
    NO_EXIT_NOTICE = (
        "notices.no_exit_notice",
        _("{name}的这段在编记录因转编或单位合并而结束，没有出编通知单；请查看其转入后的入编通知单。"),
    )
    NO_ENTRY_NOTICE = (
        "notices.no_entry_notice",
        _("{name}的这段在编记录随单位合并转入，没有入编通知单；请查看其原单位的入编通知单。"),
    )
