from __future__ import annotations

import getpass
import os

from django.core.management.base import CommandError
from django.db import transaction

from bianzhi.accounts.roles import Role
from bianzhi.accounts.services import user_create, user_set_access
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.management.base import BianzhiCommand
from bianzhi.orgs.models import Unit


class Command(BianzhiCommand):
    help = "创建账号并授予角色（首次部署时创建三员账号）。密码取自环境变量 BIANZHI_NEW_PASSWORD，否则交互输入。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--role", action="append", default=[], choices=Role.values, help="角色，可重复")
        parser.add_argument("--full-name", default="", help="姓名")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--county", action="store_true", help="管理范围为全县")
        scope.add_argument("--unit", help="管理范围为该机构编码的机构及其下属单位")

    def handle(self, *args, username: str, role: list[str], full_name: str, county: bool, unit: str | None, **opts):
        password = os.environ.get("BIANZHI_NEW_PASSWORD") or self._ask_password()
        scope_unit = None
        if unit:
            scope_unit = Unit.objects.filter(code=unit).first()
            if scope_unit is None:
                raise BianzhiError(CommonError.NOT_FOUND, what=f"机构编码为 {unit} 的机构")
        with transaction.atomic():
            user = user_create(actor=None, username=username, password=password, full_name=full_name)
            if role:
                user = user_set_access(
                    actor=None, user=user, roles=role, scope_county=county, scope_unit=scope_unit, reason="命令行创建"
                )
        self.stdout.write(f"已创建账号 {user.username}：{'、'.join(user.role_labels) or '未授予角色'}")

    def _ask_password(self) -> str:
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return first
