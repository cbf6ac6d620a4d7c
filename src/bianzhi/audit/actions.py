"""Chinese names of audit actions, for people reading the log; the codes stay as written.

Every action a service records has a name here (tests/audit/test_actions.py reads the source to make sure)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出登录"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("账号锁定"),
    "accounts.user_created": _("创建账号"),
    "accounts.access_changed": _("变更角色与范围"),
    "accounts.user_activated": _("启用账号"),
    "accounts.user_deactivated": _("停用账号"),
    "accounts.password_changed": _("修改密码"),
    "accounts.user_unlocked": _("解除锁定"),
    "api.token_issued": _("签发数据接口令牌"),
    "core.calendar_imported": _("导入节假日安排"),
    "core.calendar_day_set": _("修改节假日或调休上班日"),
    "api.token_revoked": _("吊销数据接口令牌"),
    # orgs.unit_<change>: one for each orgs.choices.UnitChange
    "orgs.unit_created": _("新建机构"),
    "orgs.unit_renamed": _("机构更名"),
    "orgs.unit_rank_changed": _("机构规格调整"),
    "orgs.unit_class_changed": _("机构性质类别调整"),
    "orgs.unit_moved": _("机构隶属调整"),
    "orgs.unit_merged": _("机构并入其他机构"),
    "orgs.unit_split": _("机构分设"),
    "orgs.unit_abolished": _("撤销机构"),
    "orgs.unit_imported": _("导入机构"),
    "orgs.units_imported": _("批量导入机构"),
    "orgs.sanding_published": _("登记三定规定"),
    "orgs.unit_disclosure_withheld": _("机构不予实名制公示"),
    "orgs.unit_disclosure_restored": _("机构恢复实名制公示"),
    "quotas.movement_posted": _("登记编制变动"),
    "quotas.movement_posted_overstaffed": _("登记编制变动（确认超编）"),
    "quotas.post_movement_posted": _("登记领导职数变动"),
    "quotas.post_movement_posted_overstaffed": _("登记领导职数变动（确认超职数）"),
    "quotas.baseline_set": _("设定编制控制基数"),
    "roster.person_updated": _("修改人员信息"),
    "roster.id_unmasked": _("查看完整身份证号"),
    "roster.exported": _("导出实名制名册"),
    # roster.<notice>_printed: one for each printable notice (roster.notices)
    "roster.approval_notice_printed": _("打印核准使用编制通知单"),
    "roster.entry_notice_printed": _("打印人员入编通知单"),
    "roster.exit_notice_printed": _("打印人员出编通知单"),
    "roster.imported": _("导入实名制人员"),
    "roster.onboarded": _("入编"),
    "roster.onboarded_override": _("入编（未经用编核准）"),
    "roster.offboarded": _("出编"),
    "roster.transferred": _("转编"),
    "roster.restored": _("恢复在编"),
    "roster.leave_set": _("在编不在岗标记"),
    "roster.post_assigned": _("配备领导职数"),
    "roster.moved_with_unit": _("随机构合并或分设划转人员"),
    "roster.loan_granted": _("借出周转编制"),
    "roster.loan_slot_returned": _("周转编制归还"),
    "roster.loan_extended": _("周转期延长"),
    # roster.approval_<step>: one for each step of an application (roster.approvals)
    "roster.approval_drafted": _("起草用编申请"),
    "roster.approval_submitted": _("提交用编申请"),
    "roster.approval_accepted": _("受理用编申请"),
    "roster.approval_returned": _("退回用编申请"),
    "roster.approval_rejected": _("不予核准"),
    "roster.approval_approved": _("核准用编"),
    "roster.approval_cancelled": _("撤销用编申请"),
    "roster.approval_expired": _("用编核准单过期"),
    "roster.slot_use_rebuilt": _("重建编制占用区间"),
    "reports.ledger_exported": _("导出编制台账"),
    "daily.job_ran": _("运行每日任务"),
    "daily.job_failed": _("每日任务失败"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
