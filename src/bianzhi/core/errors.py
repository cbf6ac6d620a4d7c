"""Stable error codes with Chinese messages, shared by the UI, the API and the CLI.

Each app declares its ``ErrorCode`` enums in its own ``errors.py`` (this module holds core's and the CLI's);
their members carry a stable English code (the value) and a Chinese message template. Code raises
``BianzhiError(SomeError.MEMBER, key=value)``; whoever catches it shows ``.message`` to people and ``.code``
to programs.
"""

from __future__ import annotations

import enum
import errno
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(enum.Enum):
    """Base of the error enums: ``MEMBER = ("stable.code", _("中文消息模板{placeholder}"))``, the template marked
    for translation with ``gettext_lazy``; ``format`` gives the message as a plain string."""

    def __new__(cls, code: str, template: str, status: int | None = None):
        member = object.__new__(cls)
        member._value_ = code
        member.template = template
        member.status = status  # the HTTP status when it is not the default 400 (see http_status_for)
        return member

    @property
    def code(self) -> str:
        return self.value

    def format(self, **params: Any) -> str:
        template = str(self.template)  # a lazy translation, rendered in the language active now
        return template.format(**params) if params else template


class BianzhiError(Exception):
    """An expected failure that users must understand: bad input, a refused change, a missing thing."""

    def __init__(self, error: ErrorCode, *, details: dict[str, Any] | None = None, **params: Any):
        self.error = error
        self.code = error.code
        self.message = error.format(**params)
        self.details = details or {}
        super().__init__(f"[{self.code}] {self.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


@dataclass(frozen=True)
class Advisory:
    """Something a service did but asks its caller to check: a stable code and a Chinese message, like a refusal's."""

    code: str
    message: str

    @classmethod
    def of(cls, error: ErrorCode, **params: Any) -> Advisory:
        return cls(error.code, error.format(**params))


class CommonError(ErrorCode):
    PERMISSION_DENIED = ("common.permission_denied", _("您没有权限执行此操作，如需办理请联系安全管理员。"))
    OUT_OF_SCOPE = ("common.out_of_scope", _("该数据不在您的管理范围内。"))
    NOT_FOUND = ("common.not_found", _("未找到{what}。"))
    INVALID_INPUT = ("common.invalid_input", _("输入有误：{reason}"))
    BAD_REQUEST = ("common.bad_request", _("请求无效，请检查后重试。"))
    PAGE_NOT_FOUND = ("common.page_not_found", _("您访问的页面不存在或已被移除。"))
    CSRF_FAILED = ("common.csrf_failed", _("页面已过期或来源无法确认，请刷新页面后重试。"))
    CSRF_INSECURE_COOKIES = (
        "common.csrf_insecure_cookies",
        _(
            "无法提交（包括登录）：本系统设置为只通过 HTTPS 保存登录凭据（安全 Cookie），而本页面是通过 http:// "
            "打开的，浏览器因此不保存凭据，每次提交都会被拒绝。请改用 https:// 地址访问；如本系统在内网只以 http "
            "提供服务，请系统管理员设置环境变量 BIANZHI_SECURE_COOKIES=0 后重启服务；如前面已有 HTTPS 代理，"
            "请设置 BIANZHI_HTTPS=1。详见运维指南「HTTPS 与 Cookie」一节。"
        ),
    )
    CHANGED_MEANWHILE = (
        "common.changed_meanwhile",
        _("{what}刚被其他操作更改，本次未作任何改动；请刷新页面核对后重试。"),
    )
    DISK_FULL = (
        "db.disk_full",
        _(
            "服务器磁盘空间已满，本次操作未能保存，数据未作任何改动。"
            "请联系系统管理员清理磁盘空间（见运维指南「磁盘已满」一节）后重试。"
        ),
        507,
    )


_DISK_FULL_WORDS = ("database or disk is full", "no space left on device", "could not extend file")


def is_disk_full(exc: BaseException | None) -> bool:
    """True for a write that failed for want of disk space, however it surfaced: SQLite's "database or disk is
    full", PostgreSQL's disk_full (SQLSTATE 53100, "could not extend file"), or an ``OSError`` ENOSPC from a file
    written beside the database (an upload, the cache) — looked for along the exception's causes too."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if getattr(exc, "sqlstate", None) == "53100" or getattr(exc, "pgcode", None) == "53100":
            return True
        if any(words in str(exc).lower() for words in _DISK_FULL_WORDS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


_HTTP_STATUS = {
    CommonError.PERMISSION_DENIED: 403,
    CommonError.OUT_OF_SCOPE: 403,
    CommonError.NOT_FOUND: 404,
    CommonError.CHANGED_MEANWHILE: 409,
}


def http_status_for(error: BianzhiError) -> int:
    """The HTTP status of a refusal, the same for pages and the API: 403, 404, 409 for what the caller may confirm
    or retry, or 400 for everything else."""
    return _HTTP_STATUS.get(error.error) or error.error.status or 400


class DateError(ErrorCode):
    BAD_DATE = ("common.bad_date", _("日期「{value}」无效，请按 2026-11-28 的格式填写。"))
    TOO_EARLY = ("common.date_too_early", _("日期 {value} 过早，请填写 1949-10-01 以后的日期。"))


class CalendarError(ErrorCode):
    WORK_ON_WEEKDAY = (
        "calendar.work_on_weekday",
        _("{day} 是星期{weekday}，本来就是工作日：「班」只用于周六、周日的调休上班日。"),
    )
    YEAR_OUT_OF_RANGE = ("calendar.year_out_of_range", _("{day} 不在可维护的年度范围（{first}–{last} 年）内。"))
    YEAR_NOT_LOADED = (
        "calendar.year_not_loaded",
        _("{year} 年的节假日安排尚未导入：请先按国务院办公厅的通知导入该年全年的安排，再逐日修改。"),
    )
    BAD_COUNT = ("calendar.bad_count", _("工作日数「{value}」不是整数。"))
    TOO_FAR = ("calendar.too_far", _("工作日数 {value} 过大：一次最多推算 {max} 个工作日。"))


class FileError(ErrorCode):
    EMPTY = ("files.empty", _("文件「{name}」是空文件。"))
    TOO_LARGE = ("files.too_large", _("文件「{name}」有 {size}，超过了 {limit} 的上限。"))
    UNSUPPORTED_TYPE = (
        "files.unsupported_type",
        _("不支持「{name}」这种文件：请上传 PDF、OFD、图片（JPG、PNG、TIFF）、Word、Excel 或文本文件。"),
    )
    NOT_PDF = ("files.not_pdf", _("「{name}」不是有效的 PDF 文件。"))
    MISSING = ("files.missing", _("文件「{name}」在存储目录中找不到，请从备份恢复。"), 503)
    CORRUPT = ("files.corrupt", _("文件「{name}」的校验值与登记的不一致，文件可能已损坏，请从备份恢复。"), 503)


class TabularError(ErrorCode):
    UNSUPPORTED_TYPE = (
        "imports.unsupported_type",
        _("只能导入 Excel 工作簿（.xlsx）或 CSV 文件；「{name}」不是。旧版 .xls 文件请在 Excel 中另存为 .xlsx。"),
    )
    UNREADABLE = (
        "imports.unreadable",
        _("无法读取「{name}」：文件已损坏或不是 {kind} 文件，请用 Excel 打开检查后重新保存。"),
    )
    CELL_TOO_LARGE = (
        "imports.cell_too_large",
        _(
            "工作表「{sheet}」第 {row} 行 {column} 列的内容超过 {max} 个字符（Excel 单元格的上限），"
            "无法导入，请删减后重新保存。"
        ),
    )
    UNPACKED_TOO_LARGE = (
        "imports.unpacked_too_large",
        _(
            "「{name}」解压后超过 {limit}，远超过 Excel 工作簿应有的压缩比例，可能已损坏或是特意构造的，已拒绝读取。"
            "请在 Excel 中打开检查后另存为新文件再导入。"
        ),
    )
    EMPTY_FILE = ("imports.empty_file", _("文件中没有可导入的数据行。"))
    TOO_MANY_ROWS = ("imports.too_many_rows", _("数据超过 {max} 行，请拆分后分批导入。"))
    NO_HEADER = ("imports.no_header", _("在前 {rows} 行中没有找到表头：表头行须有{needed}。"))
    UNKNOWN_HEADER = (
        "imports.unknown_header",
        _("第 {row} 行表头中有无法识别的列：{headers}。请删除这些列或改用以下列名：{accepted}。"),
    )
    DUPLICATE_HEADER = (
        "imports.duplicate_header",
        _("第 {row} 行表头中「{first}」和「{second}」是同一列，请只保留一个。"),
    )
    MISSING_COLUMNS = ("imports.missing_columns", _("缺少必填的列：{columns}。"))
    REQUIRED = ("imports.required", _("{field}不能为空。"))
    TOO_LONG = ("imports.too_long", _("{field}不能超过 {max} 个字符（现为 {length} 个）。"))
    BAD_VALUE = ("imports.bad_value", _("{field}「{value}」无法识别，可填写：{allowed}。"))
    BAD_DATE = ("imports.bad_date", _("{field}「{value}」不是有效日期，请按 2020-03-01 的格式填写。"))
    BAD_YES_NO = ("imports.bad_yes_no", _("{field}「{value}」无法识别，请填写“是”或“否”。"))
    DUPLICATE_IN_FILE = ("imports.duplicate_in_file", _("{field}「{value}」与文件第 {row} 行重复。"))


class StagingError(ErrorCode):
    STALE = ("imports.stale", _("该导入预览已失效或不属于当前用户，请重新上传文件。"))


class IdNumberError(ErrorCode):
    EMPTY = ("id.empty", _("公民身份号码为空。"))
    LENGTH = ("id.length", _("公民身份号码应为 18 位（或 15 位旧号码），实际为 {length} 位。"))
    CHARACTERS = ("id.characters", _("公民身份号码前 17 位只能是数字，末位为数字或 X。"))
    BIRTH_DATE = ("id.birth_date", _("出生日期 {value} 不是有效日期。"))
    FUTURE_BIRTH = ("id.future_birth", _("出生日期 {value} 晚于今天。"))
    CHECK_DIGIT = ("id.check_digit", _("校验码错误：末位应为 {expected}，实际为 {actual}，请核对号码。"))
    UNKNOWN_PROVINCE = (
        "id.unknown_province",
        _("地址码 {region_code} 的前两位 {province_code} 不是省级行政区划代码（GB/T 2260），请核对号码。"),
    )
    UPGRADED = ("id.upgraded", _("15 位旧号码已升级为 18 位：{normalized}。"))


class UsccError(ErrorCode):
    EMPTY = ("uscc.empty", _("统一社会信用代码为空。"))
    LENGTH = ("uscc.length", _("统一社会信用代码应为 18 位，实际为 {length} 位。"))
    CHARACTERS = ("uscc.characters", _("统一社会信用代码含有不允许的字符：{chars}（不使用 I、O、Z、S、V）。"))
    REGION = ("uscc.region", _("第 3–8 位登记管理机关行政区划码应为 6 位数字，实际为 {value}。"))
    UNKNOWN_PROVINCE = (
        "uscc.unknown_province",
        _(
            "第 3–8 位登记管理机关行政区划码 {region_code} 的前两位 {province_code} 不是省级行政区划代码（GB/T 2260），"
            "也不是中央登记管理机关的 10，请核对代码。"
        ),
    )
    CATEGORY = ("uscc.category", _("登记管理部门代码 {authority} 与机构类别代码 {category} 的组合不存在。"))
    CHECK_CHARACTER = (
        "uscc.check_character",
        _("校验码错误：末位应为 {expected}，实际为 {actual}，请核对代码。"),
    )
    ORG_CODE_CHECK = (
        "uscc.org_code_check",
        _("第 9–17 位主体标识码 {org_code} 不符合 GB 11714 校验（历史数据可保留）。"),
    )


class OrgCodeError(ErrorCode):
    EMPTY = ("org.empty", _("组织机构代码为空。"))
    LENGTH = ("org.length", _("组织机构代码应为 9 位（可写作 XXXXXXXX-X），实际为 {length} 位。"))
    CHARACTERS = ("org.characters", _("组织机构代码本体只能是数字或大写字母，校验码为数字或 X。"))
    CHECK_CHARACTER = (
        "org.check_character",
        _("校验码错误：末位应为 {expected}，实际为 {actual}，请核对代码。"),
    )


class WorkerError(ErrorCode):
    NOT_RUNNING = ("tasks.no_worker", _("后台任务未运行：请运行 bianzhi db_worker"))
    TASKS_WAITING = (
        "tasks.waiting_without_worker",
        _(
            "后台任务未运行：{count} 个任务排队等待，最早的自 {since} 起。"
            "请运行 bianzhi db_worker（见运维指南「后台任务」）。"
        ),
    )


class ReplicaError(ErrorCode):
    """Why reads that could go to the read replica (DATABASE_REPLICA_URL) are served by the primary: warnings of
    ``bianzhi check`` and of the server's log, never a refusal."""

    LAGGING = (
        "replica.lagging",
        _(
            "只读副本 {where} 落后主库 {lag}，超过上限 {limit} 秒（BIANZHI_REPLICA_MAX_LAG_SECONDS）；"
            "在它追上之前，报表和列表改由主库读取。"
        ),
    )
    UNREACHABLE = (
        "replica.unreachable",
        _("无法连接只读副本 {where}：{reason}；报表和列表改由主库读取。请检查副本的 PostgreSQL 服务和网络。"),
    )
    NOT_A_REPLICA = (
        "replica.not_in_recovery",
        _(
            "{where} 不是只读副本（未处于流复制恢复状态，可能已被提升为主库）；报表和列表改由主库读取。"
            "请将 DATABASE_REPLICA_URL 指向副本，或在不用副本时删除该设置。"
        ),
    )


# The `bianzhi` command's own refusals (cli.py), given before Django is set up: too early to translate.
class CliError(ErrorCode):
    UNKNOWN_COMMAND = ("cli.unknown_command", "未知命令：{command}。运行 `bianzhi help` 查看可用命令。")
    BAD_DATABASE_URL = (
        "config.bad_database_url",
        "DATABASE_URL 无法识别：{url}。应为 sqlite:////绝对路径/文件.sqlite3 或 postgres://用户:密码@主机:5432/库名。",
    )
    DATABASE_MISSING = (
        "db.missing",
        "数据库文件不存在：{path}。请先运行 `bianzhi migrate`（或 `bianzhi demo` 生成演示数据）。",
    )
    DATABASE_UNREACHABLE = ("db.unreachable", "无法连接数据库 {where}：{reason}")
    BAD_REPLICA_URL = (
        "config.bad_replica_url",
        "DATABASE_REPLICA_URL 只能指向 PostgreSQL 流复制副本（postgres://用户:密码@主机:5432/库名），"
        "且主库（DATABASE_URL）也须是 PostgreSQL；现为 {url}。不用副本时删除该设置即可。",
    )
    DATABASE_NOT_MIGRATED = ("db.not_migrated", "数据库 {where} 尚未初始化，请先运行 `bianzhi migrate`。")
    MIGRATIONS_PENDING = ("db.migrations_pending", "数据库尚未迁移到最新版本，请先运行 `bianzhi migrate`。")
    INTERNAL = ("cli.internal", "命令执行失败：{reason}。设置 BIANZHI_TRACEBACK=1 可查看详细信息。")


class BackupError(ErrorCode):
    EXISTS = ("backup.exists", _("文件 {path} 已存在，未作改动。请换一个文件名（例如带上日期），以免覆盖以前的备份。"))
    NO_DIRECTORY = ("backup.no_directory", _("目录 {path} 不存在，请先创建该目录或换一个保存位置。"))
    MISSING = ("backup.missing", _("备份文件 {path} 不存在，请检查路径。"))
    TARGET = (
        "backup.target",
        _(
            "请给出备份文件的路径（如 /backup/bianzhi-2026-11-28.tar.gz），或用 --into 目录 让文件名按时间生成，"
            "二者选一；--keep 只与 --into 同用，且须为正整数。未作任何改动。"
        ),
    )
    NOT_AN_ARCHIVE = (
        "backup.not_an_archive",
        _(
            "{path} 不是 Bianzhi 的备份文件（或已损坏，无法读取其清单），未作任何改动。"
            "请使用 bianzhi backup 生成的文件。"
        ),
    )
    VERSION = (
        "backup.version",
        _("备份文件的格式版本 {version} 与本程序支持的版本 {supported} 不同，未作任何改动。请用生成该备份的版本恢复。"),
    )
    CORRUPT = (
        "backup.corrupt",
        _("备份文件 {path} 已损坏：其中的 {what} 与清单记录的校验值不符或无法读取，未作任何改动。请换用另一份备份。"),
    )
    VENDOR = (
        "backup.vendor_mismatch",
        _(
            "备份来自 {archive} 数据库，当前配置的是 {database} 数据库，未作任何改动。"
            "请将 DATABASE_URL 指向同类数据库。"
        ),
    )
    NOT_EMPTY = (
        "backup.target_not_empty",
        _(
            "只能恢复到空数据库，而 {where} 中已有数据（{count} 张表有记录，例如 {tables}），未作任何改动。"
            "请新建一个空数据库后再恢复：SQLite 将 DATABASE_URL 指向一个尚不存在的文件；"
            "PostgreSQL 运行 createdb -O bianzhi 新库名，再将 DATABASE_URL 指向它。"
        ),
    )
    TOOL_MISSING = (
        "backup.tool_missing",
        _("找不到 PostgreSQL 工具 {tool}，请安装 postgresql-client（版本不低于数据库服务器）。"),
    )
    TOOL_FAILED = ("backup.tool_failed", _("{tool} 执行失败：{reason}"))
    VERIFY_FAILED = (
        "backup.verify_failed",
        _(
            "恢复后的数据与备份清单不符：{count} 张表的校验值不同（例如 {tables}）。请勿使用该数据库，"
            "删除后换用另一份备份重新恢复。"
        ),
    )
