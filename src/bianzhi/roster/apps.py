from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "bianzhi.roster"
    label = "roster"
    verbose_name = "实名制"

    def ready(self) -> None:
        from bianzhi.core.daily import register_daily_job
        from bianzhi.core.integrity import rebuild_derived
        from bianzhi.core.workers import task_interrupted
        from bianzhi.orgs import hooks as register
        from bianzhi.quotas import hooks as ledger
        from bianzhi.roster import checks, selectors  # noqa: F401  (checks: registers the integrity checks)
        from bianzhi.roster.approvals import approvals_expire
        from bianzhi.roster.import_tasks import on_task_interrupted
        from bianzhi.roster.loans import check_pool_covers_loans
        from bianzhi.roster.posts import lowest_posts, posts_filled
        from bianzhi.roster.slots import lowest_use
        from bianzhi.roster.usage import slot_use_rebuild, use_annotated

        register.document_citations.register(selectors.document_citations)
        register.documents_cited_by_units.register(selectors.document_ids_cited_by_units)
        ledger.use_annotated.register(use_annotated)
        ledger.posts_filled.register(posts_filled)
        ledger.lowest_use.register(lowest_use)
        ledger.lowest_posts.register(lowest_posts)
        ledger.turnover_outflow.register(check_pool_covers_loans)
        task_interrupted.register(on_task_interrupted)
        rebuild_derived.register(slot_use_rebuild)
        register_daily_job("roster.approvals_expire", _("过期用编核准单"), approvals_expire)
