from django.urls import path

from bianzhi.supervision import dashboard_views, inspection_views, rectification_views, views

app_name = "supervision"
urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("overview/", dashboard_views.overview_page, name="overview"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/steps/<str:step>/", views.complaint_step, name="complaint_step"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint_reveal"),
    path("complaints/<int:pk>/files/", views.complaint_file_add, name="complaint_file_add"),
    path("complaints/<int:pk>/files/<int:file_pk>/", views.complaint_file, name="complaint_file"),
    path("complaints/<int:pk>/rectify/", rectification_views.complaint_rectify, name="complaint_rectify"),
    path("rectifications/", rectification_views.rectification_list, name="rectification_list"),
    path("rectifications/export/", rectification_views.rectification_export, name="rectification_export"),
    path("rectifications/new/", rectification_views.rectification_new, name="rectification_new"),
    path("rectifications/<int:pk>/", rectification_views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/steps/<str:step>/",
        rectification_views.rectification_step,
        name="rectification_step",
    ),
    path("rectifications/<int:pk>/files/", rectification_views.rectification_file_add, name="rectification_file_add"),
    path(
        "rectifications/<int:pk>/files/<int:file_pk>/",
        rectification_views.rectification_file,
        name="rectification_file",
    ),
    path(
        "rectifications/<int:pk>/notice.pdf",
        rectification_views.rectification_notice_pdf,
        name="rectification_notice_pdf",
    ),
    path("inspections/", inspection_views.inspection_list, name="inspection_list"),
    path("inspections/new/", inspection_views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", inspection_views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/sources/", inspection_views.inspection_source_add, name="inspection_source_add"),
    path("inspections/<int:pk>/steps/<str:step>/", inspection_views.inspection_step, name="inspection_step"),
    path("inspections/<int:pk>/units/<int:unit_pk>/", inspection_views.inspection_unit, name="inspection_unit"),
    path(
        "inspections/<int:pk>/findings/<int:finding_pk>/rectify/",
        inspection_views.inspection_rectify,
        name="inspection_rectify",
    ),
    path("inspections/<int:pk>/export/", inspection_views.inspection_export, name="inspection_export"),
    path("inspections/<int:pk>/notice/", inspection_views.inspection_notice, name="inspection_notice"),
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
