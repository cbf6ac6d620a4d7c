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
    FINISHED = ("matters.finished", _("事项已「{state}」，不能再{action}。"))
    NO_SUCH_ATTACHMENT = ("matters.no_such_attachment", _("该事项没有这份材料。"))
    NO_SUCH_CONSULTATION = ("matters.no_such_consultation", _("该事项没有这项论证记录。"))
    CONSULTATIONS_OPEN = (
        "matters.consultations_open",
        _("还有论证没有回复（{parties}）：记录回复后才能提交室务会。"),
    )
    BODY_REASON = (
        "matters.body_reason",
        _("按审议机构规则，本事项应由「{expected}」审议（{basis}）；改由「{chosen}」审议须写明理由。"),
    )
    DATE_BEFORE = ("matters.date_before", _("「{label}」{value} 早于{other} {before}。"))
    AGENDA_STATE = (
        "matters.agenda_state",
        _("事项「{title}」处于「{state}」状态，不能列入{kind}的议程。"),
    )
    AGENDA_BODY = ("matters.agenda_body", _("事项「{title}」的审议机构是「{body}」，不能列入{kind}的议程。"))
    MEETING_HELD = ("matters.meeting_held", _("会议已召开，议程和结论不能再改。"))
    MEETING_EMPTY = ("matters.meeting_empty", _("会议没有议题，无需记录结论。"))
    OUTCOME_MISSING = ("matters.outcome_missing", _("议题「{title}」还没有结论。"))
    NO_SUCH_ITEM = ("matters.no_such_item", _("会议议程中没有该事项。"))
    NOT_NOTIFIABLE = ("matters.not_notifiable", _("只有已批准的事项才能印发批复，该事项处于「{state}」状态。"))
    BAD_RULE = ("matters.bad_rule", _("审议机构规则有误：{reason}"))


class NormativeError(ErrorCode):
    """规范性文件审核 (``matters.normative``)."""

    DRAFT_TYPE = ("normative.draft_type", _("送审稿「{name}」须是 PDF 或 Word 文件（.pdf、.doc、.docx）。"))
    FUTURE_DATE = ("normative.future_date", _("「{label}」{day} 晚于今天。"))
    REPLY_BEFORE_RECEIPT = (
        "normative.reply_before_receipt",
        _("复函日期 {day} 早于收文日期 {received}，请核对。"),
    )
    OPINION_TEXT = ("normative.opinion_text", _("意见为「{opinion}」时须写明修改或删除的意见。"))
    BAD_OPINION = ("normative.bad_opinion", _("条款意见「{value}」无效，可选：同意、修改、删除。"))
    CLOSED = ("normative.closed", _("该审核处于「{state}」状态，不能{action}。"))
    NO_CONCLUSION = (
        "normative.no_conclusion",
        _("复函前须至少有一条条款意见，或勾选「未涉及机构编制事项」。"),
    )
    CLAUSES_AND_NONE = (
        "normative.clauses_and_none",
        _("已有 {count} 条条款意见，不能同时认定「未涉及机构编制事项」：请删除条款意见或取消勾选。"),
    )
    NO_SUCH_CLAUSE = ("normative.no_such_clause", _("该审核没有这条条款意见（可能已被删除），请刷新页面。"))


class ReportTaskError(ErrorCode):
    """机构编制报告 (``matters.reporting``)."""

    BAD_KIND = ("report_tasks.bad_kind", _("报告类别「{value}」无效，可选：{allowed}。"))
    BAD_YEAR = ("report_tasks.bad_year", _("报告年度「{value}」无效，请填写 2000–2099 之间的年份。"))
    DUE_IN_PAST = ("report_tasks.due_in_past", _("报送期限 {day} 早于今天，请填写今天或以后的日期。"))
    NO_UNITS = ("report_tasks.no_units", _("没有可布置的单位：所选范围内没有存续的机构。"))
    ALL_SKIPPED = (
        "report_tasks.all_skipped",
        _("所选的 {count} 个单位都已有 {year} 年度的「{kind}」任务，未布置新任务。"),
    )
    WRONG_STATE = ("report_tasks.wrong_state", _("该报告任务处于「{state}」状态，不能{action}。"))
    NO_FILES = ("report_tasks.no_files", _("报送须附上至少一个文件（报告正文或扫描件）。"))
    NO_REASON = ("report_tasks.no_reason", _("退回须写明理由，以便单位修改后重新报送。"))
