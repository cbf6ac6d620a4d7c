from django.urls import path

from bianzhi.registration import draw_views, views

app_name = "registration"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("export/", views.institution_export, name="institution_export"),
    path("new/", views.institution_new, name="institution_new"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
    path("<int:pk>/change/", views.institution_change, name="institution_change"),
    path("<int:pk>/certificates/", views.certificate_issue, name="certificate_issue"),
    path("<int:pk>/credit/<str:action>/", views.credit_record, name="credit_record"),
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
