from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "bianzhi.roster"
    label = "roster"
    verbose_name = "实名制"

    def ready(self) -> None:
        from bianzhi.quotas import hooks as ledger
        from bianzhi.roster import checks  # noqa: F401  (registers the integrity checks)
        from bianzhi.roster.loans import check_pool_covers_loans
        from bianzhi.roster.posts import posts_filled
        from bianzhi.roster.slots import occupancy_counts

        ledger.use_by_account.register(occupancy_counts)
        ledger.posts_filled.register(posts_filled)
        ledger.turnover_outflow.register(check_pool_covers_loans)
