"""What the register asks of the apps above it (see core.hooks)."""

from bianzhi.core.hooks import Hook

# (unit, institution_class, effective_date): the unit is about to take this 事业单位分类 from that date; an app
# whose records the new class cannot hold refuses (the ledger: a 公益一类 unit holds 全额拨款 slots only).
unit_class_changing = Hook("orgs.unit_class_changing")
