from django.urls import path

from bianzhi.reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("dashboards/", dashboard_views.dashboards, name="dashboards"),
]
