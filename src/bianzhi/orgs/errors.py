"""The orgs app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class OrgError(ErrorCode):
    NAME_REQUIRED = ("orgs.name_required", _("请填写机构全称。"))
    NAME_TAKEN = ("orgs.name_taken", _("已有同名的现行机构「{name}」。"))
    BAD_CHOICE = ("orgs.bad_choice", _("{field}「{value}」不是有效的选项。"))
    USCC_INVALID = ("orgs.uscc_invalid", _("统一社会信用代码无效：{reason}"))
    USCC_TAKEN = ("orgs.uscc_taken", _("统一社会信用代码 {uscc} 已属于「{name}」。"))
    CODE_TAKEN = ("orgs.code_taken", _("机构编码 {code} 已属于「{name}」。"))
    PARENT_INACTIVE = ("orgs.parent_inactive", _("上级机构「{name}」{status}。"))
    SPLIT_PERSON_TWICE = ("orgs.split_person_twice", _("{name}被同时分到两个新机构，每人只能去一个。"))
    RANK_BELOW_CHILD = (
        "orgs.rank_below_child",
        _("机构规格不能调为{rank}：下属机构「{child}」为{child_rank}。请先调整下属机构的规格。"),
    )
    RANK_ABOVE_PARENT = (
        "orgs.rank_above_parent",
        _("机构规格（{rank}）不能高于上级机构「{parent}」（{parent_rank}）。"),
    )
    CLASS_REQUIRED = ("orgs.class_required", _("事业单位须注明事业单位分类（公益一类、公益二类等）。"))
    CLASS_NOT_ALLOWED = ("orgs.class_not_allowed", _("只有事业单位才有事业单位分类和举办单位。"))
    ZHENGFA_NOT_ALLOWED = ("orgs.zhengfa_not_allowed", _("只有机关（或其下设机构）才能标为政法机关。"))
    UNIT_CLOSED = ("orgs.unit_closed", _("「{name}」{status}，不能再办理此业务。"))
    OUT_OF_ORDER = (
        "orgs.out_of_order",
        _("生效日期 {effective} 早于「{name}」当前状态的起始日期 {since}，请按时间顺序登记。"),
    )
    UNIT_NOT_YET_ESTABLISHED = (
        "orgs.unit_not_yet_established",
        _("「{name}」于 {date} 设立，生效日期不能早于设立日期。"),
    )
    MOVE_INTO_SUBTREE = ("orgs.move_into_subtree", _("不能把「{name}」移到它自己或其下属机构之下。"))
    TOO_DEEP = ("orgs.too_deep", _("机构层级过深，无法再增加下级。"))
    HAS_CHILDREN = ("orgs.has_children", _("「{name}」还有 {count} 个现行下属机构，请先调整其隶属或一并撤销。"))
    CHILDREN_AFTER = (
        "orgs.children_after",
        _("「{child}」在 {date} 之后仍隶属于「{name}」，请调整生效日期，或先按时间顺序调整其隶属。"),
    )
    MERGE_INTO_SELF = ("orgs.merge_into_self", _("不能把机构并入它自己或其下属机构。"))
    NOTHING_CHANGED = ("orgs.nothing_changed", _("与当前信息相同，无需变更。"))
    DISCLOSURE_REASON_REQUIRED = (
        "orgs.disclosure_reason_required",
        _("请填写不予公示的理由（如：涉密单位，依规定不公开人员信息）。"),
    )
    DISCLOSURE_UNCHANGED = ("orgs.disclosure_unchanged", _("「{name}」已经{state}，无需变更。"))
    TOO_LONG = ("orgs.too_long", _("{field}不能超过 {limit} 个字。"))
    TOP_LEVEL_NEEDS_COUNTY = (
        "orgs.top_level_needs_county",
        _("只有管理范围为全县的账号才能设立县直一级机构，请选择上级机构。"),
    )


class DocumentError(ErrorCode):
    REQUIRED = ("documents.required", _("须注明批准文件的文号。"))
    INCOMPLETE = ("documents.incomplete", _("文号 {number} 尚未登记，请同时填写文件标题、发文日期和发文机关。"))
    CONFLICT = (
        "documents.conflict",
        _("文号 {number} 已登记为「{title}」（{issued_on}，{issuer}），与本次填写的{field}不一致。"),
    )
    FUTURE = ("documents.future", _("发文日期 {issued_on} 晚于今天。"))
    EFFECTIVE_BEFORE_ISSUE = (
        "documents.effective_before_issue",
        _("生效日期 {effective} 早于批准文件的发文日期 {issued_on}。"),
    )
    EFFECTIVE_IN_FUTURE = ("documents.effective_in_future", _("生效日期 {effective} 晚于今天，请在生效后再登记。"))
    FILE_KIND = (
        "documents.file_kind",
        _("「{name}」不能作为批准文件保存：请上传正式文件的 PDF 或 OFD，或纸质文件的扫描件（JPG、PNG、TIFF）。"),
    )
    DETAIL_REQUIRED = ("documents.detail_required", _("请填写{field}。"))
    FILE_NOT_FOUND = (
        "documents.file_not_found",
        _("找不到文件「{name}」：请核对文件名（含扩展名和所在子文件夹）与文件夹中的是否一致。"),
    )
    BUNDLE_TOO_LARGE = (
        "documents.bundle_too_large",
        _(
            "「{name}」过大：一次最多上传 {files} 个文件、解压后不超过 2 GB。"
            "请分批上传，或请系统管理员用 bianzhi documents load 命令导入。"
        ),
    )
    NO_FILE = ("documents.no_file", _("{number} 尚未保存文件，请由编办上传扫描件或 PDF。"), 404)
    LOAD_COUNTY_ONLY = (
        "documents.load_county_only",
        _("批量导入批准文件须由管理范围为全县的编办账号办理。"),
        403,
    )


class SanDingError(ErrorCode):
    NO_DUTIES = ("sanding.no_duties", _("三定规定至少要列明一项主要职责。"))
    OUT_OF_ORDER = ("sanding.out_of_order", _("施行日期 {effective} 早于现行第 {version} 版的施行日期 {since}。"))
    BAD_STAFFING = ("sanding.bad_staffing", _("人员编制数须为不小于 0 的整数：{key}。"))


class UnitImportError(ErrorCode):
    """Refusals of the unit import; those of any spreadsheet import are ``TabularError``."""

    TOO_LARGE = ("imports.too_large", _("文件大小 {size} 超过上限 5 MB，请拆分后分批导入。"))
    UNKNOWN_PARENT = (
        "imports.unknown_parent",
        _("找不到上级机构「{value}」：须填写系统中已有机构（或本文件中排在前面的机构）的全称或机构编码。"),
    )
    PARENT_BELOW = ("imports.parent_below", _("上级机构「{value}」在文件第 {row} 行，须排在本行之前。"))
    PARENT_FAILED = ("imports.parent_failed", _("上级机构「{value}」（文件第 {row} 行）有误未能导入，请先修正该行。"))
