from django.urls import path

from bianzhi.supervision import views

app_name = "supervision"
urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/steps/<str:step>/", views.complaint_step, name="complaint_step"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint_reveal"),
    path("complaints/<int:pk>/files/", views.complaint_file_add, name="complaint_file_add"),
    path("complaints/<int:pk>/files/<int:file_pk>/", views.complaint_file, name="complaint_file"),
]

from bianzhi.supervision import evaluation_views  # noqa: E402

urlpatterns += [
    path("evaluations/", evaluation_views.evaluation_list, name="evaluation_list"),
    path("evaluations/export/", evaluation_views.evaluation_export, name="evaluation_export"),
    path("evaluations/new/", evaluation_views.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:pk>/", evaluation_views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/compute/", evaluation_views.evaluation_compute, name="evaluation_compute"),
    path("evaluations/<int:pk>/scores/", evaluation_views.evaluation_scores, name="evaluation_scores"),
    path("evaluations/<int:pk>/decide/", evaluation_views.evaluation_decide, name="evaluation_decide"),
    path("evaluations/<int:pk>/findings/", evaluation_views.evaluation_finding_add, name="evaluation_finding_add"),
    path(
        "evaluations/<int:pk>/findings/<int:finding_pk>/rectify/",
        evaluation_views.evaluation_finding_rectify,
        name="evaluation_finding_rectify",
    ),
    path("evaluations/<int:pk>/report/", evaluation_views.evaluation_report, name="evaluation_report"),
    path("evaluations/<int:pk>/pdf/", evaluation_views.evaluation_pdf, name="evaluation_pdf"),
]
