from django.urls import path

from bianzhi.registration import application_views, views

app_name = "registration"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("export/", views.institution_export, name="institution_export"),
    path("new/", views.institution_new, name="institution_new"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
    path("<int:pk>/change/", views.institution_change, name="institution_change"),
    path("<int:pk>/certificates/", views.certificate_issue, name="certificate_issue"),
    path("<int:pk>/certificates/<int:cert_pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("<int:pk>/credit/<str:action>/", views.credit_record, name="credit_record"),
    path("applications/", application_views.application_list, name="application_list"),
    path("applications/export/", application_views.application_export, name="application_export"),
    path("applications/new/", application_views.application_new, name="application_new"),
    path("applications/<int:pk>/", application_views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", application_views.application_edit, name="application_edit"),
    path("applications/<int:pk>/steps/<str:name>/", application_views.application_step, name="application_step"),
    path(
        "applications/<int:pk>/materials/<str:code>/",
        application_views.material_upload,
        name="application_material_upload",
    ),
    path(
        "applications/<int:pk>/materials/<str:code>/defer/",
        application_views.material_defer,
        name="application_material_defer",
    ),
    path(
        "applications/<int:pk>/materials/<str:code>/<str:which>/",
        application_views.material_file,
        name="application_material_file",
    ),
]
