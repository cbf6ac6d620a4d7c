from django.urls import path

from bianzhi.matters import views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("new/", views.matter_new, name="matter_new"),
    path("export/", views.matter_export, name="matter_export"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/act/<str:name>/", views.matter_act, name="matter_act"),
    path("<int:pk>/review/", views.matter_review, name="matter_review"),
    path("<int:pk>/apply/", views.matter_apply_view, name="matter_apply"),
    path("<int:pk>/steps/new/<str:operation>/", views.step_new, name="step_new"),
    path("<int:pk>/steps/<int:position>/remove/", views.step_remove, name="step_remove"),
]
