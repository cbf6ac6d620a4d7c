from django.urls import path

from bianzhi.reports import dashboard_views, stat_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("stats/", stat_views.stats_index, name="stats_index"),
    path("stats/<str:code>/", stat_views.stats_table_page, name="stats_table"),
    path("stats/<str:code>/cell/", stat_views.stats_cell, name="stats_cell"),
    path("stats/<str:code>.xlsx", stat_views.stats_xlsx, name="stats_xlsx"),
    path("dashboards/", dashboard_views.dashboards, name="dashboards"),
]
