from django.urls import path

from bianzhi.registration import views

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
]
