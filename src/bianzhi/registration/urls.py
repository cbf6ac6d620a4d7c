from django.urls import path

from bianzhi.registration import annual_views, application_views, draw_views, views

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
    path("<int:pk>/filings/", views.filing_record, name="filing_record"),
    path("<int:pk>/filings/<int:filing>/", views.filing_file, name="filing_file"),
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
    # 双随机一公开
    path("draws/", draw_views.draw_list, name="draw_list"),
    path("draws/new/", draw_views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", draw_views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/notify/", draw_views.draw_notify, name="draw_notify"),
    path("draws/<int:pk>/publish/", draw_views.draw_publish, name="draw_publish"),
    path("draws/<int:pk>/export/", draw_views.draw_export, name="draw_export"),
    path("draws/objects/<int:pk>/result/", draw_views.draw_object_record, name="draw_object_record"),
    path("draws/objects/<int:pk>/notice.pdf", draw_views.draw_notice, name="draw_notice"),
    path("draws/objects/<int:pk>/record/", draw_views.draw_object_file, name="draw_object_file"),
    path("inspectors/", draw_views.inspector_list, name="inspector_list"),
    path("inspectors/<int:pk>/deactivate/", draw_views.inspector_deactivate, name="inspector_deactivate"),
    path("inspectors/<int:pk>/relations/", draw_views.inspector_relation, name="inspector_relation"),
]
