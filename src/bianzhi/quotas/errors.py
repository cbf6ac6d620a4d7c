"""The quotas app's refusals, each with a stable code and a Chinese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bianzhi.core.errors import ErrorCode


class QuotaError(ErrorCode):
    AMOUNT_INVALID = ("quotas.amount_invalid", _("数量须为 1 至 {max} 之间的整数。"))
    SAME_ACCOUNT = ("quotas.same_account", _("划出与划入不能是同一账户。"))
    TYPE_MISMATCH = (
        "quotas.type_mismatch",
        _("划出（{from_type}）与划入（{to_type}）的编制类型须一致，编制类型之间不能互相转换。"),
    )
    ROUTE = ("quotas.route", _("「{kind}」不能从{from_kind}划至{to_kind}。{hint}"))
    TYPE_NOT_ALLOWED = ("quotas.type_not_allowed", _("{type}不能用于{unit}（{unit_kind}）：{rule}"))
    FUNDING_REQUIRED = ("quotas.funding_required", _("单位的编制须注明经费形式（全额拨款、差额拨款或自收自支）。"))
    FUNDING_GY1 = ("quotas.funding_gy1", _("{unit}为公益一类事业单位，只能核定全额拨款编制。"))
    INSUFFICIENT = ("quotas.insufficient", _("{account}在 {date} 只有 {available} 名，不足以划出 {amount} 名。"))
    BASELINE_EXCEEDED = (
        "quotas.baseline_exceeded",
        _(
            "{type}实行总量只减不增：全县总额将达到 {total} 名，超过控制基数 {baseline} 名。"
            "如有上级专项核增文件，请勾选「上级专项核增」。"
        ),
    )
    GRANT_ONLY_FROM_AUTHORITY = (
        "quotas.grant_only_from_authority",
        _("只有从上级核定总额划出的核增才能标为「上级专项核增」。"),
    )
    ALREADY_REVERSED = ("quotas.already_reversed", _("该业务已被冲正，不能重复冲正。"))
    REVERSAL_OF_REVERSAL = ("quotas.reversal_of_reversal", _("冲正业务本身不能再冲正，请重新登记正确的业务。"))
    REVERSAL_BEFORE_ORIGINAL = (
        "quotas.reversal_before_original",
        _("冲正的生效日期 {effective} 不能早于原业务的生效日期 {original}。"),
    )
    LATER_MOVEMENTS = (
        "quotas.later_movements",
        _("{unit}在 {date} 之后还有编制或领导职数变动，请先处理这些变动或调整生效日期。"),
    )
    COUNTY_SCOPE_REQUIRED = (
        "quotas.county_scope_required",
        _("县机动编制、编制周转池和上级核定总额之间的调整是全县的事项，只有数据范围为全县的编办账号才能办理。"),
    )
    GY1_HOLDS_OTHER_FUNDING = (
        "quotas.gy1_holds_other_funding",
        _(
            "{unit}自 {date} 起仍有{funding}编制 {count} 名；公益一类事业单位只能核定全额拨款编制，"
            "请先将这些编制核减或调整后再改为公益一类。"
        ),
    )
    GAOPEI_REQUIRED = (
        "quotas.gaopei_required",
        _("{post}高于{unit}的机构规格（{rank}），属于高配，须勾选「高配」并注明批准文件。"),
    )
    UNRANKED_POST = ("quotas.unranked_post", _("领导职数须注明职级（正科级、副科级、股级等）。"))
    POST_LEVEL = ("quotas.post_level", _("领导职数须注明正职或副职。"))
    POST_MISMATCH = (
        "quotas.post_mismatch",
        _("划出（{from_post}）与划入（{to_post}）须为同一正副职和职级；调整职数请分别核减和核定。"),
    )
    WOULD_OVERSTAFF = (
        "quotas.would_overstaff",
        _(
            "将导致超编 {shortfall} 名：{unit}{what}自 {date} 起核定 {approved} 名，实有 {occupied} 名、"
            "已核准未入编 {reserved} 名。确需办理的，请勾选「确认超编」并在事由中写明理由。"
        ),
        409,
    )
    WOULD_OVERFILL_POSTS = (
        "quotas.would_overfill_posts",
        _(
            "将导致超职数 {shortfall} 名：{unit}{what}自 {date} 起核定 {approved} 名，实配 {filled} 名。"
            "确需办理的，请勾选「确认超职数」并在事由中写明理由。"
        ),
        409,
    )
    OVERSTAFF_REASON_REQUIRED = (
        "quotas.overstaff_reason_required",
        _("确认{what}须在事由中写明理由（为什么此时仍要办理、何时如何消化）。"),
    )


class SideError(ErrorCode):
    UNKNOWN_HOLDER = ("quotas.unknown_holder", _("请选择{side}：单位、县机动编制、编制周转池或上级核定总额。"))
    UNIT_REQUIRED = ("quotas.unit_required", _("{side}为单位时须选择具体单位。"))
    UNKNOWN_TYPE = ("quotas.unknown_type", _("未知的编制类型：{code}。"))
