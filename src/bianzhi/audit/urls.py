from django.urls import path

from bianzhi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.chain_verify, name="chain_verify"),
]
