from django.urls import path, re_path

from bianzhi.orgs import import_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("options/", views.unit_options, name="unit_options"),
    path("new/", views.unit_create, name="unit_create"),
    path("import/", import_views.unit_import, name="unit_import"),
    path("import/template.xlsx", import_views.unit_import_template, name="unit_import_template"),
    path("import/<str:token>/confirm/", import_views.unit_import_confirm, name="unit_import_confirm"),
    path("import/<str:token>/errors.xlsx", import_views.unit_import_errors, name="unit_import_errors"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/children/", views.unit_children, name="unit_children"),
    path("<int:pk>/sanding/new/", views.sanding_new, name="sanding_new"),
    re_path(r"^(?P<pk>\d+)/(?P<action>[a-z]+)/$", views.unit_change, name="unit_change"),
]
