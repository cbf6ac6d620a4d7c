from django.urls import path

from bianzhi.roster import views

app_name = "roster"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.xlsx", views.person_export, name="person_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/unmask/", views.person_unmask, name="person_unmask"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/offboard/", views.offboard, name="offboard"),
    path("persons/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("persons/<int:pk>/restore/", views.restore, name="restore"),
    path("persons/<int:pk>/leave/", views.leave, name="leave"),
    path("persons/<int:pk>/post/", views.post_assign, name="post_assign"),
    path("onboard/", views.onboard, name="onboard"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/new/", views.approval_new, name="approval_new"),
    path("approvals/new/figures/", views.approval_figures, name="approval_figures"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("over-quota/", views.over_quota, name="over_quota"),
    path("loans/", views.loan_list, name="loan_list"),
    path("loans/new/", views.loan_new, name="loan_new"),
    path("loans/<int:pk>/recall/", views.loan_recall, name="loan_recall"),
]

# ---- printable notices (PDF)
from bianzhi.roster import notice_views  # noqa: E402  (each section of this file is kept by one engineer)

urlpatterns += [
    path("approvals/<int:pk>/notice.pdf", notice_views.approval_notice, name="approval_notice"),
    path("occupancies/<int:pk>/entry.pdf", notice_views.entry_notice, name="entry_notice"),
    path("occupancies/<int:pk>/exit.pdf", notice_views.exit_notice, name="exit_notice"),
]

# ---- roster import
from bianzhi.roster import import_views  # noqa: E402  (each section of this file is kept by one engineer)

urlpatterns += [
    path("import/", import_views.import_start, name="import_start"),
    path("import/<int:pk>/", import_views.import_status, name="import_status"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
]
