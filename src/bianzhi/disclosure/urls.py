from django.urls import path

from bianzhi.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("disclosure.xlsx", views.county_xlsx, name="county_xlsx"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/disclosure.xlsx", views.unit_xlsx, name="unit_xlsx"),
]
