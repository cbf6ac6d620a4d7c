from __future__ import annotations

import argparse
import datetime as dt

from django.utils import timezone

from bianzhi.accounts.models import User
from bianzhi.api.models import ApiToken
from bianzhi.api.scopes import Scope, scopes_label
from bianzhi.api.selectors import tokens_listed
from bianzhi.api.services import api_token_issue, api_token_revoke, expiry_of
from bianzhi.api.webhooks import webhook_set, webhook_stop
from bianzhi.core.errors import BianzhiError, CommonError
from bianzhi.core.management.base import BianzhiCommand, ChineseCommandParser


def _last_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期「{value}」无效，请按 2027-12-31 的格式填写") from exc


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _token(prefix: str) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(prefix=prefix.strip()).first()
    if token is None:
        raise BianzhiError(CommonError.NOT_FOUND, what=f"前缀为 {prefix} 的令牌")
    return token


class Command(BianzhiCommand):
    help = "接口访问令牌。issue：为账号签发令牌（只显示一次）；revoke：按前缀吊销令牌；list：列出令牌。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ChineseCommandParser, title="子命令")
        issue = actions.add_parser("issue", help="签发令牌，令牌以该账号的角色和管理范围访问接口")
        issue.add_argument("username", help="账号的用户名")
        issue.add_argument("--name", required=True, help="令牌名称，写明用途或使用单位，例如「财政局预算系统」")
        issue.add_argument("--expires-on", type=_last_day, help="有效期至该日（含），格式 YYYY-MM-DD；不填则长期有效")
        issue.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help="授权范围，可重复；不填为 full。可选："
            + "；".join(f"{value} {label}" for value, label in Scope.choices),
        )
        issue.add_argument(
            "--calls-per-minute", type=int, help="该令牌每分钟调用上限；不填则按系统设置 BIANZHI_API_CALLS_PER_MINUTE"
        )
        revoke = actions.add_parser("revoke", help="吊销令牌，立即失效")
        revoke.add_argument("prefix", help="令牌前缀（签发时显示，或见 list）")
        revoke.add_argument("--reason", default="", help="吊销原因")
        push = actions.add_parser("webhook", help="把数据共享事件推送到合作部门的地址（需启用 BIANZHI_WEBHOOKS）")
        push.add_argument("prefix", help="令牌前缀：推送的内容按该令牌的授权范围")
        where = push.add_mutually_exclusive_group(required=True)
        where.add_argument("--url", help="推送地址，http:// 或 https:// 开头")
        where.add_argument("--stop", action="store_true", help="停止推送")
        listing = actions.add_parser("list", help="列出令牌（不含令牌本身）")
        listing.add_argument("username", nargs="?", default="", help="只列出该账号的令牌")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _issue(
        self,
        *,
        username: str,
        name: str,
        expires_on: dt.date | None,
        scopes: list[str] | None,
        calls_per_minute: int | None,
        **options,
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise BianzhiError(CommonError.NOT_FOUND, what=f"用户名为 {username} 的账号")
        token, plaintext = api_token_issue(
            actor=None,
            user=user,
            name=name,
            expires_at=expiry_of(expires_on),
            scopes=scopes or [Scope.FULL],
            calls_per_minute=calls_per_minute,
        )
        until = f"有效期至 {expires_on}" if expires_on else "长期有效"
        self.stdout.write(f"已为账号 {user.username} 签发令牌「{token.name}」（前缀 {token.prefix}，{until}）。")
        self.stdout.write(f"授权范围：{scopes_label(token.scopes)}")
        self.stdout.write("令牌只显示这一次，请立即妥善保存；遗失后只能吊销并重新签发：")
        self.stdout.write(plaintext)

    def _revoke(self, *, prefix: str, reason: str, **options):
        token = api_token_revoke(actor=None, token=_token(prefix), reason=reason or "命令行吊销")
        self.stdout.write(f"已吊销令牌「{token.name}」（前缀 {token.prefix}，账号 {token.user.username}）。")

    def _webhook(self, *, prefix: str, url: str | None, stop: bool, **options):
        token = _token(prefix)
        if stop:
            webhook = webhook_stop(actor=None, token=token, reason="命令行停止")
            self.stdout.write(f"已停止向 {webhook.url} 推送事件（已送达至序号 {webhook.delivered_seq}）。")
            return
        webhook, secret = webhook_set(actor=None, token=token, url=url)
        self.stdout.write(f"令牌 {token.prefix} 的事件将推送到 {webhook.url}，从序号 {webhook.delivered_seq + 1} 起。")
        self.stdout.write("签名密钥只显示这一次（校验方法见 docs/api.md「事件推送」）：")
        self.stdout.write(secret)

    def _list(self, *, username: str, **options):
        now = timezone.now()
        rows = list(tokens_listed(username))
        if not rows:
            self.stdout.write("没有令牌。")
            return
        for token in rows:
            if token.revoked_at:
                state = f"已吊销 {_moment(token.revoked_at)}"
            elif not token.is_usable(now):
                state = f"已过期 {_moment(token.expires_at)}"
            else:
                state = f"有效至 {_moment(token.expires_at)}" if token.expires_at else "长期有效"
            self.stdout.write(
                f"{token.prefix}\t{token.user.username}\t{token.name}\t签发 {_moment(token.created_at)}"
                f"\t最近使用 {_moment(token.last_used_at)}\t{state}\t{','.join(token.scopes)}"
            )
