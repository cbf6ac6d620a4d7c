from django.urls import path, re_path

from bianzhi.orgs import document_views, import_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("options/", views.unit_options, name="unit_options"),
    path("new/", views.unit_create, name="unit_create"),
    path("import/", import_views.unit_import, name="unit_import"),
    path("import/template.xlsx", import_views.unit_import_template, name="unit_import_template"),
    path("import/<str:token>/confirm/", import_views.unit_import_confirm, name="unit_import_confirm"),
    path("import/<str:token>/errors.xlsx", import_views.unit_import_errors, name="unit_import_errors"),
    path("documents/", document_views.document_list, name="document_list"),
    path("documents/export.xlsx", document_views.document_export, name="document_export"),
    path("documents/load/", document_views.document_load, name="document_load"),
    path("documents/load/<str:token>/confirm/", document_views.document_load_confirm, name="document_load_confirm"),
    path("documents/<int:pk>/", document_views.document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", document_views.document_file, name="document_file"),
    path("documents/<int:pk>/upload/", document_views.document_upload, name="document_upload"),
    path("documents/<int:pk>/edit/", document_views.document_edit, name="document_edit"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/children/", views.unit_children, name="unit_children"),
    path("<int:pk>/sanding/new/", views.sanding_new, name="sanding_new"),
    re_path(r"^(?P<pk>\d+)/(?P<action>[a-z]+)/$", views.unit_change, name="unit_change"),
]
