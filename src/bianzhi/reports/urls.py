from django.urls import path

from bianzhi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("import/units/", views.unit_import, name="unit_import"),
    path("import/units/template.xlsx", views.unit_import_template, name="unit_import_template"),
    path("import/units/<str:token>/confirm/", views.unit_import_confirm, name="unit_import_confirm"),
    path("import/units/<str:token>/errors.xlsx", views.unit_import_errors, name="unit_import_errors"),
]
