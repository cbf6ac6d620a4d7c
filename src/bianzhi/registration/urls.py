from django.urls import path

from bianzhi.registration import annual_views, views

app_name = "registration"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("export/", views.institution_export, name="institution_export"),
    path("new/", views.institution_new, name="institution_new"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
    path("<int:pk>/change/", views.institution_change, name="institution_change"),
    path("<int:pk>/certificates/", views.certificate_issue, name="certificate_issue"),
    path("<int:pk>/credit/<str:action>/", views.credit_record, name="credit_record"),
]

# 年度报告 (registration.annual)
urlpatterns += [
    path("annual/", annual_views.annual_report_list, name="annual_report_list"),
    path("annual/export/", annual_views.annual_report_export, name="annual_report_export"),
    path("annual/overdue/", annual_views.annual_overdue, name="annual_overdue"),
    path("annual/mine/", annual_views.annual_mine, name="annual_mine"),
    path("annual/<int:pk>/<int:year>/", annual_views.annual_report_edit, name="annual_report_edit"),
    path("annual/<int:pk>/<int:year>/sanctions/<str:step>/", annual_views.annual_sanction, name="annual_sanction"),
    path("annual/reports/<int:pk>/", annual_views.annual_report_detail, name="annual_report_detail"),
    path("annual/reports/<int:pk>/files/<int:file>/", annual_views.annual_report_file, name="annual_report_file"),
    path(
        "annual/reports/<int:pk>/files/<int:file>/remove/",
        annual_views.annual_attachment_remove,
        name="annual_attachment_remove",
    ),
    path("annual/reports/<int:pk>/accept/", annual_views.annual_report_accept, name="annual_report_accept"),
    path("annual/reports/<int:pk>/return/", annual_views.annual_report_return, name="annual_report_return"),
    path("annual/reports/<int:pk>/publish/", annual_views.annual_report_publish, name="annual_report_publish"),
]
