from django.urls import path

from bianzhi.supervision import views

app_name = "supervision"
urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/steps/<str:step>/", views.complaint_step, name="complaint_step"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint_reveal"),
    path("complaints/<int:pk>/files/", views.complaint_file_add, name="complaint_file_add"),
    path("complaints/<int:pk>/files/<int:file_pk>/", views.complaint_file, name="complaint_file"),
]
