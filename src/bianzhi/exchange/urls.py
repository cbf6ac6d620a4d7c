app_name = "exchange"
urlpatterns: list = []

# the three-way reconciliation 编制 × 财政 × 人社 (exchange.reconcile_views)
from django.urls import path  # noqa: E402

from bianzhi.exchange import reconcile_views  # noqa: E402

urlpatterns += [
    path("reconciliations/", reconcile_views.reconciliation_list, name="reconciliation_list"),
    path("reconciliations/new/", reconcile_views.reconciliation_new, name="reconciliation_new"),
    path("reconciliations/<int:pk>/", reconcile_views.reconciliation_detail, name="reconciliation_detail"),
    path("reconciliations/<int:pk>/progress/", reconcile_views.reconciliation_progress, name="reconciliation_progress"),
    path("reconciliations/<int:pk>/export/", reconcile_views.reconciliation_export, name="reconciliation_export"),
    path(
        "reconciliations/<int:pk>/findings/<int:finding_pk>/review/",
        reconcile_views.finding_review,
        name="reconciliation_finding_review",
    ),
    path(
        "reconciliations/<int:pk>/findings/<int:finding_pk>/rectify/",
        reconcile_views.finding_rectify,
        name="reconciliation_finding_rectify",
    ),
]
