from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class RegistrationError(ErrorCode):
    """事业单位法人登记: the code allocator, the register, certificates and credit."""

    NO_REGION = (
        "registration.no_region",
        _("本系统尚未设置本县的行政区划代码，无法赋予统一社会信用代码：请系统管理员先设置本系统所属地区。"),
    )
    BAD_CATEGORY = ("registration.bad_category", _("机构类别「{value}」无效，可选：{allowed}。"))
    CODES_EXHAUSTED = ("registration.codes_exhausted", _("本县的主体标识码已用尽，请联系上级登记管理机关。"))
    BAD_USCC = ("registration.bad_uscc", _("统一社会信用代码「{value}」无效：{reason}"))
    USCC_TAKEN = ("registration.uscc_taken", _("统一社会信用代码 {value} 已赋予其他机构，不能重复使用。"))
    ALREADY_REGISTERED = ("registration.already_registered", _("「{unit}」已办理法人登记（{uscc}），不能重复登记。"))
    UNIT_NOT_ACTIVE = ("registration.unit_not_active", _("「{unit}」已不存续，不能办理法人登记。"))
    MISSING_ITEM = ("registration.missing_item", _("登记事项「{label}」不能为空。"))
    BAD_CAPITAL = ("registration.bad_capital", _("开办资金须为不小于 0 的金额（万元），「{value}」无效。"))
    UNKNOWN_ITEM = ("registration.unknown_item", _("「{name}」不是登记事项。"))
    NO_CHANGE = ("registration.no_change", _("所填登记事项与现登记事项相同，没有需要变更的内容。"))
    DATE_BEFORE_CURRENT = (
        "registration.date_before_current",
        _("变更日期 {day} 不晚于现登记事项的起始日期 {current}：变更须晚于现登记事项，请核对。"),
    )
    FUTURE_DATE = ("registration.future_date", _("日期 {day} 晚于今天，不能登记尚未发生的事项。"))
    NOT_REGISTERED = ("registration.not_registered", _("该法人登记处于「{status}」状态，不能{action}。"))
    CREDIT_LISTED = (
        "registration.credit_listed",
        _("该单位处于「{state}」状态（{since} 起），暂停办理登记管理事项；纠正违法行为的变更登记除外。"),
    )
    CREDIT_REVOKED = ("registration.credit_revoked", _("该单位的法人登记已于 {since} 撤销，不能再办理登记事项。"))
    CREDIT_TRANSITION = (
        "registration.credit_transition",
        _("信用状态为「{state}」时不能「{action}」。"),
    )
    UNKNOWN_CREDIT_ACTION = ("registration.unknown_credit_action", _("未知的信用管理操作「{name}」。"))
    REASON_REQUIRED = ("registration.reason_required", _("须写明{what}。"))
    CREDIT_DATE_ORDER = (
        "registration.credit_date_order",
        _("日期 {day} 早于上一条信用记录的日期 {last}，请核对。"),
    )
    NO_ITEMS_ON = (
        "registration.no_items_on",
        _("证书 {serial} 的有效期起始日 {day} 该单位尚未登记，没有可打印的登记事项，请核对证书日期。"),
    )
    BAD_CERTIFICATE_KIND = ("registration.bad_certificate_kind", _("证书类别「{value}」无效，可选：正本、副本。"))
    # applications (设立 / 变更 / 注销 / 补领 / 换领)
    APPLICATION_OPEN = (
        "registration.application_open",
        _("「{unit}」已有一件未办结的{kind}申请（{number}），请在该申请中继续办理。"),
    )
    APPLICATION_STATE = ("registration.application_state", _("申请处于「{state}」状态，不能{action}。"))
    UNKNOWN_APPLICATION_STEP = ("registration.unknown_application_step", _("未知的办理操作「{name}」。"))
    NOT_SHIYE = ("registration.not_shiye", _("「{unit}」不是事业单位，不能申请事业单位法人设立登记。"))
    NO_INSTITUTION = ("registration.no_institution", _("「{unit}」尚未办理法人登记，只能申请设立登记。"))
    FACT_DATE_REQUIRED = ("registration.fact_date_required", _("须填写{what}。"))
    FACT_DATE_FUTURE = ("registration.fact_date_future", _("{what} {day} 晚于今天，请核对。"))
    MOVE_DATE_REQUIRED = ("registration.move_date_required", _("变更住所须填写迁入新住所的日期。"))
    CREDITOR_PERIOD = (
        "registration.creditor_period",
        _("债权人申报期自第一次公告之日（{first}）起 {days} 日，至 {end} 届满；清算结束日期 {ended} 不能早于期满。"),
    )
    LIQUIDATION_DATES = ("registration.liquidation_dates", _("清算日期有误：{problem}"))
    TRIGGER_REQUIRED = ("registration.trigger_required", _("须选择注销事由。"))
    CERT_KINDS_REQUIRED = ("registration.cert_kinds_required", _("须选择补领或换领的证书（正本、副本）。"))
    NO_LIVE_CERTIFICATE = ("registration.no_live_certificate", _("该单位没有有效的{kind}，无从补领或换领。"))
    MATERIALS_MISSING = (
        "registration.materials_missing",
        _("以下材料尚未提交，也未办理容缺：{labels}。请一次补齐后再提交。"),
    )
    UNKNOWN_MATERIAL = ("registration.unknown_material", _("本申请的材料清单中没有「{code}」。"))
    NOT_DEFERRABLE = ("registration.not_deferrable", _("「{label}」是要件，不能容缺受理，须提交后再申请。"))
    DEFER_CREDIT = (
        "registration.defer_credit",
        _("「{unit}」近 {years} 年有信用记录（{day} {state}），不适用容缺受理，须提交全部材料。"),
    )
    PROMISE_FILE_REQUIRED = ("registration.promise_file_required", _("容缺受理须上传申请人签署的书面承诺书。"))
    PROMISE_DUE = (
        "registration.promise_due",
        _("承诺补正日期须在今天之后、{limit} 之前（不超过 {days} 个工作日），「{day}」不符合。"),
    )
    PROMISE_OPEN = (
        "registration.promise_open",
        _("容缺材料尚未补齐：{labels}。补齐前不能发证。"),
    )
    MATERIALS_LOCKED = ("registration.materials_locked", _("申请处于「{state}」状态，材料不能再更改。"))
    NOTICE_TOO_LATE = (
        "registration.notice_too_late",
        _("一次性告知期限已于 {due} 届满：逾期未告知的，自收到申请材料之日（{received}）起即为受理，只能受理后审查。"),
    )
    CORRECTION_ONCE = (
        "registration.correction_once",
        _("已于 {day} 一次性告知过需补正的全部内容，不能再次要求补正；请受理或不予受理。"),
    )
    COMMENT_REQUIRED = ("registration.comment_required", _("「{action}」须写明{what}。"))
    RENAME_NEEDS_ORGS = (
        "registration.rename_needs_orgs",
        _("名称变更后机构名称也须更名为「{name}」：请由编办（有机构管理权限的人员）核准本申请。"),
    )
    CANCEL_NEEDS_ORGS = (
        "registration.cancel_needs_orgs",
        _("「{unit}」在机构名录中仍存续：注销登记的同时须撤销该机构，请由编办（有机构管理权限的人员）核准本申请。"),
    )
    # 年度报告 (registration.annual)
    ANNUAL_YEAR_NOT_ENDED = (
        "registration.annual_year_not_ended",
        _("{year} 年度尚未结束，不能报送该年度的年度报告（年度报告在次年 {start} 至 {end} 报送）。"),
    )
    ANNUAL_NOT_REGISTERED_IN_YEAR = (
        "registration.annual_not_registered_in_year",
        _("该单位 {day} 才登记，{year} 年度不需要报送年度报告。"),
    )
    ANNUAL_WRONG_STATE = ("registration.annual_wrong_state", _("年度报告处于「{state}」状态，不能{action}。"))
    ANNUAL_MISSING_SECTION = (
        "registration.annual_missing_section",
        _("年度报告「{label}」未填写：每一部分都须填写，没有的写“无”。"),
    )
    ANNUAL_MISSING_ATTACHMENT = ("registration.annual_missing_attachment", _("缺少附件「{label}」，请上传后再报送。"))
    ANNUAL_NOT_DECLARED = (
        "registration.annual_not_declared",
        _("请确认“登记事项与实际一致”；不一致的，须先办理变更登记，再报送年度报告。"),
    )
    ANNUAL_BAD_KIND = ("registration.annual_bad_kind", _("附件类别「{value}」无效，可选：{allowed}。"))
    ANNUAL_BAD_AMOUNT = ("registration.annual_bad_amount", _("「{label}」须为金额（万元），「{value}」无效。"))
    ANNUAL_BAD_YEAR = ("registration.annual_bad_year", _("年度「{value}」无效。"))
    SANCTION_NOT_OVERDUE = (
        "registration.sanction_not_overdue",
        _("{day} 时该单位的 {year} 年度报告不属于逾期未报（报送期限 {end}），不能处理。"),
    )
    SANCTION_ORDER = ("registration.sanction_order", _("须先「{previous}」，才能「{step}」。"))
    SANCTION_DONE = ("registration.sanction_done", _("{year} 年度已于 {day}「{step}」，不能重复处理。"))
    SANCTION_DATE_ORDER = (
        "registration.sanction_date_order",
        _("日期 {day} 早于上一步措施的日期 {last}，请核对。"),
    )
    SANCTION_CREDIT_FIRST = (
        "registration.sanction_credit_first",
        _("信用状态为「{state}」，不能撤销登记：须先经信用管理「列入异常名录」「列入黑名单」，再撤销登记。"),
    )
    # 双随机一公开
    BAD_RATE = ("registration.bad_rate", _("抽查比例须在 1% 至 3% 之间，「{value}」无效。"))
    BAD_YEAR = ("registration.bad_year", _("抽查年度「{value}」无效：只能抽查本年度或上一年度。"))
    EMPTY_BASE = (
        "registration.empty_base",
        _("{year} 年度没有可抽查的事业单位法人：已登记的单位都已在本年度其他抽查中被抽取，或尚无已登记的单位。"),
    )
    EMPTY_CHECKLIST = (
        "registration.empty_checklist",
        _("须填写年度抽查事项清单（每行一项）：未列入清单的内容不得进行检查。"),
    )
    BAD_METHOD = ("registration.bad_method", _("检查方式「{value}」无效，可选：书面审查、实地核查、网络监测。"))
    BAD_SEED = ("registration.bad_seed", _("随机种子须为 1 至 200 个字符的公开摇号结果，「{value}」无效。"))
    TOO_FEW_INSPECTORS = (
        "registration.too_few_inspectors",
        _(
            "抽中的「{name}」（{uscc}）可派的检查人员只有 {count} 名（已回避本单位、举办单位和申报利害关系的人员），"
            "检查人员不少于两人：请先在检查人员名录库中补充人员后重新抽取。本次抽查未保存。"
        ),
    )
    BAD_INSPECT_BY = ("registration.bad_inspect_by", _("检查完成期限 {day} 早于抽取日期 {drawn}，请核对。"))
    NOTICE_BEFORE_DRAW = ("registration.notice_before_draw", _("通知日期 {day} 早于抽取日期 {drawn}，请核对。"))
    DRAW_MISMATCH = ("registration.draw_mismatch", _("抽查 {number} 核验不一致："))
    DRAW_STATE = ("registration.draw_state", _("抽查 {number} 处于「{state}」状态，不能{action}。"))
    RESULT_MISSING = (
        "registration.result_missing",
        _("抽查 {number} 还有 {count} 个对象未录入检查结果（如「{name}」），全部录入后才能公示。"),
    )
    BAD_RESULT = ("registration.bad_result", _("抽查结果「{value}」无效，可选：{allowed}。"))
    FINDINGS_REQUIRED = ("registration.findings_required", _("抽查结果为「{result}」时须写明检查情况。"))
    INSPECTED_BEFORE_NOTICE = (
        "registration.inspected_before_notice",
        _("检查日期 {day} 早于通知书送达日期 {notified}，请核对。"),
    )
    INSPECTOR_NAME = ("registration.inspector_name", _("检查人员姓名不能为空。"))
    INSPECTOR_INACTIVE = ("registration.inspector_inactive", _("检查人员「{name}」已不在名录库中。"))
    RELATION_EXISTS = ("registration.relation_exists", _("「{name}」已申报与「{institution}」的利害关系。"))
    RELATION_NOTE = ("registration.relation_note", _("须写明利害关系（如：近亲属在该单位任职）。"))
    # 备案 (registration.filings)
    BAD_FILING_KIND = (
        "registration.bad_filing_kind",
        _("备案事项「{value}」无效，可选：印章印迹、基本账户、法定代表人签字（印章）印迹。"),
    )
    FILING_FILE_REQUIRED = ("registration.filing_file_required", _("{kind}备案须上传扫描件。"))
