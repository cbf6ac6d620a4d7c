from django.urls import path

from bianzhi.quotas import views

app_name = "quotas"
urlpatterns = [
    path("", views.county_totals, name="county_totals"),
    path("movements/", views.movement_list, name="movement_list"),
    path("movements/new/", views.movement_new, name="movement_new"),
    path("movements/preview/", views.movement_preview, name="movement_preview"),
    path("movements/<int:pk>/reverse/", views.movement_reverse, name="movement_reverse"),
    path("posts/<int:unit_pk>/new/", views.post_movement_new, name="post_movement_new"),
]
