"""The ``bianzhi`` command: Django's management commands plus Bianzhi's own, with Chinese errors.

Before Django starts, it picks the database (``DATABASE_URL``, else a SQLite file under ``var/``) and refuses,
with a message instead of a traceback, to work on a database that is missing or unreachable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

from bianzhi.core.errors import BianzhiError, CliError

# Commands that work without an existing database (they create one, or need none).
NO_DATABASE_NEEDED = {
    "help",
    "validate",
    "migrate",
    "demo",
    "makemigrations",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "startapp",
    "diffsettings",
    "sqlmigrate",
    "version",
    "restore",  # into an empty database, even one not created yet
}
# Read-only commands that fall back to the demo database when the main one was never created.
DEMO_FALLBACK = {"check", "audit", "serve"}

USAGE = """用法：bianzhi <命令> [参数]

Bianzhi 自有命令：
  demo [--no-serve]        生成演示县（var/demo.sqlite3）并提供服务
  serve [--bind 地址]      以生产方式提供服务（gunicorn + whitenoise）
  validate id|uscc|org …   校验公民身份号码、统一社会信用代码、组织机构代码
  check                    检查配置并从原始记录重新推算全部数据
  audit verify             校验审计链
  adduser 用户名 --role …  创建账号并授予角色（首次部署时使用）
  apitoken issue|revoke|list  签发、吊销、列出数据接口令牌
  calendar add|between|import|show  工作日推算（法定节假日和调休）、导入全年节假日安排
  uscc issue --category 2 [--apply]  本县下一个统一社会信用代码（不加 --apply 只显示，不使用）
  draw verify 编号         核验双随机抽查：按记录的种子和基数名单重新抽取并与记录核对
  import roster 文件 [--dry-run]  从 Excel/CSV 导入实名制人员（有错误则一个也不导入）
  documents load 文件夹 目录表 [--dry-run]  批量导入历史批准文件及其扫描件（有错误则一件也不导入）
  reconcile --payroll 文件 --hr 文件 [--as-of 日期] [--out 报告.xlsx]  编制、统发工资、人事名册三方比对
  stats T1…T7|ALL --as-of 日期 [--unit ID] [--out 文件.xlsx]  机构编制统计表（由台账生成，带平衡关系检查）
  backup 文件              备份数据库和上传的文件（不含密钥）
  restore 文件             从备份恢复到空数据库
  daily                    运行每日任务（释放过期用编核准单、清理过期记录；每天运行一次）
  expire_approvals         只释放已过有效期的用编核准单（daily 已包含）
  db_worker                运行后台任务（导入等）
  version                  程序版本、构建和数据库待执行的迁移（升级前后核对）

Django 管理命令照常可用，例如 bianzhi migrate、bianzhi changepassword。
数据库：环境变量 DATABASE_URL；未设置时使用 var/bianzhi.sqlite3。"""


def _fail(error: BianzhiError, status: int = 1) -> int:
    sys.stderr.write(f"错误 [{error.code}]：{error.message}\n")
    return status


def _choose_default_database(command: str) -> None:
    if os.environ.get("DATABASE_URL"):
        return
    from bianzhi.core.paths import default_database_path, var_dir

    if command == "demo":
        os.environ.setdefault("BIANZHI_DATABASE_FILE", "demo.sqlite3")
    elif command in DEMO_FALLBACK and not default_database_path().exists() and (var_dir() / "demo.sqlite3").exists():
        os.environ["BIANZHI_DATABASE_FILE"] = "demo.sqlite3"
        sys.stderr.write("（未找到 var/bianzhi.sqlite3，使用演示数据库 var/demo.sqlite3）\n")


def _check_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if url and (
        parsed.scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}
        or (parsed.scheme.startswith("postg") and not parsed.path.strip("/"))
    ):
        raise BianzhiError(CliError.BAD_DATABASE_URL, url=url)
    replica = os.environ.get("DATABASE_REPLICA_URL")
    if replica and not (parsed.scheme.startswith("postg") and urlparse(replica).scheme.startswith("postg")):
        raise BianzhiError(CliError.BAD_REPLICA_URL, url=replica)


def _check_database_ready() -> None:
    from django.db import DatabaseError, connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(settings_dict["NAME"])
        if not path.exists():
            raise BianzhiError(CliError.DATABASE_MISSING, path=path)
        where = str(path)
    else:
        where = (
            f"{settings_dict.get('HOST') or 'localhost'}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
        )
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        raise BianzhiError(CliError.DATABASE_UNREACHABLE, where=where, reason=str(exc).strip().splitlines()[0]) from exc
    if "django_migrations" not in tables:
        raise BianzhiError(CliError.DATABASE_NOT_MIGRATED, where=where)


def _version(arguments: list[str]) -> int:
    """What runs where: Bianzhi's version and build (``bianzhi-build.txt``, left in the environment by the offline
    install), Python and Django, then the database and the migrations this program would still apply to it."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bianzhi.core.management.base import ChineseCommandParser

    parser = ChineseCommandParser(
        prog="bianzhi version", description="程序版本、构建和数据库待执行的迁移", called_from_command_line=True
    )
    parser.add_argument("--no-database", action="store_true", help="不连接数据库，只显示程序")
    options = parser.parse_args(arguments)
    try:
        release = version("bianzhi")
    except PackageNotFoundError:  # run from the source tree without an install
        release = "（未安装）"
    print(f"Bianzhi {release}")
    build_file = Path(sys.prefix) / "bianzhi-build.txt"
    if build_file.exists():
        build = dict(line.split("=", 1) for line in build_file.read_text(encoding="utf-8").splitlines() if "=" in line)
        print(f"构建：{build.get('name', '?')}（提交 {build.get('commit', '?')}，{build.get('built', '?')}）")
    else:
        print("构建：开发环境（不是从离线安装包安装的）")
    print(f"程序位置：{sys.prefix}")
    print(f"Python {platform.python_version()}，Django {django.get_version()}")
    if options.no_database:
        return 0
    try:
        _check_database_ready()
    except BianzhiError as exc:
        print(f"数据库：{exc.message}")
        return 0
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        where = f"SQLite {settings_dict['NAME']}"
    else:
        host = f"{settings_dict.get('HOST') or 'localhost'}:{settings_dict.get('PORT') or 5432}"
        where = f"PostgreSQL {host}/{settings_dict['NAME']}"
    executor = MigrationExecutor(connection)
    pending = [migration for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    print(f"数据库：{where}")
    if pending:
        print(f"待执行的数据库迁移：{len(pending)} 项（运行 bianzhi migrate 执行）")
        for migration in pending:
            print(f"  {migration.app_label}.{migration.name}")
    else:
        print("待执行的数据库迁移：无（数据库与本程序一致）")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] in {"help", "-h", "--help"} and len(argv) == 1):
        print(USAGE)
        return 0
    command = argv[0]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bianzhi.settings")
    try:
        _choose_default_database(command)
        _check_database_url()
        import django
        from django.core.management import execute_from_command_line, get_commands

        django.setup()
        if command in {"version", "--version"}:
            return _version(argv[1:])
        if command not in get_commands() and command not in {"help", "version"}:
            raise BianzhiError(CliError.UNKNOWN_COMMAND, command=command)
        if command not in NO_DATABASE_NEEDED and not {"-h", "--help"} & set(argv[1:]):  # help needs no database
            _check_database_ready()
        execute_from_command_line(["bianzhi", *argv])
    except BianzhiError as exc:
        return _fail(exc, 2 if exc.error is CliError.UNKNOWN_COMMAND else 1)
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:
        if os.environ.get("BIANZHI_TRACEBACK"):
            raise
        return _fail(BianzhiError(CliError.INTERNAL, reason=f"{type(exc).__name__}: {exc}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
