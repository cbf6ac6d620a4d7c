from django.urls import path

from bianzhi.supervision import inspection_views, views

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
