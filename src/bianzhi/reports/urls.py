from django.urls import path

from bianzhi.reports import dashboard_views, round_views, stat_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("stats/", stat_views.stats_index, name="stats_index"),
    # the rounds before the tables: "rounds" is not a table's code
    path("stats/rounds/", round_views.round_list, name="round_list"),
    path("stats/rounds/new/", round_views.round_create, name="round_create"),
    path("stats/rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("stats/rounds/<int:pk>/check/", round_views.round_step, {"step": "check"}, name="round_check"),
    path("stats/rounds/<int:pk>/finalise/", round_views.round_step, {"step": "finalise"}, name="round_finalise"),
    path("stats/rounds/<int:pk>/submit/", round_views.round_submit, name="round_submit"),
    path("stats/rounds/<int:pk>/correct/", round_views.round_correct, name="round_correct"),
    path("stats/rounds/<int:pk>/late-letter.pdf", round_views.round_letter, name="round_letter"),
    path("stats/rounds/<int:pk>/<str:code>.xlsx", round_views.round_file, {"fmt": "xlsx"}, name="round_xlsx"),
    path("stats/rounds/<int:pk>/<str:code>.pdf", round_views.round_file, {"fmt": "pdf"}, name="round_pdf"),
    path("stats/<str:code>/", stat_views.stats_table_page, name="stats_table"),
    path("stats/<str:code>/cell/", stat_views.stats_cell, name="stats_cell"),
    path("stats/<str:code>.xlsx", stat_views.stats_export_file, {"fmt": "xlsx"}, name="stats_xlsx"),
    path("stats/<str:code>.pdf", stat_views.stats_export_file, {"fmt": "pdf"}, name="stats_pdf"),
    path("dashboards/", dashboard_views.dashboards, name="dashboards"),
]
