"""Who may use the pages of 数据共享 (see ``core/policy.py``)."""

RULES: list = []
