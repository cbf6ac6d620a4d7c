from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "bianzhi.roster"
    label = "roster"
    verbose_name = "实名制"

    def ready(self) -> None:
        from bianzhi.quotas import hooks as ledger
        from bianzhi.roster import checks  # noqa: F401  (registers the integrity checks)
        from bianzhi.roster.loans import check_pool_covers_loans
        from bianzhi.roster.posts import lowest_posts, posts_filled
        from bianzhi.roster.slots import lowest_use, occupancy_counts

        ledger.use_by_account.register(occupancy_counts)
        ledger.posts_filled.register(posts_filled)
        ledger.lowest_use.register(lowest_use)
        ledger.lowest_posts.register(lowest_posts)
        ledger.turnover_outflow.register(check_pool_covers_loans)
