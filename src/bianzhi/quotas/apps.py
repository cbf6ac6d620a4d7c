from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuotasConfig(AppConfig):
    name = "bianzhi.quotas"
    label = "quotas"
    verbose_name = "编制台账"

    def ready(self) -> None:
        from bianzhi.orgs import hooks as orgs_hooks
        from bianzhi.quotas import checks, selectors  # noqa: F401  (checks: registers the integrity checks)
        from bianzhi.quotas.services import refuse_gy1_with_other_funding

        orgs_hooks.unit_class_changing.register(refuse_gy1_with_other_funding)
        orgs_hooks.unit_page.register(selectors.unit_page_context)
        orgs_hooks.unit_document_ids.register(selectors.unit_document_ids)
        orgs_hooks.document_citations.register(selectors.document_citations)
        orgs_hooks.documents_cited_by_units.register(selectors.document_ids_cited_by_units)
        from bianzhi.quotas.reference import sync_quota_types

        post_migrate.connect(sync_quota_types, sender=self, dispatch_uid="bianzhi_sync_quota_types")
