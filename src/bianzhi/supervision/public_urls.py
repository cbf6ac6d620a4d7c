"""The public 12310 form and tracking page, no login (``/public/complaints/``)."""

from django.urls import path

from bianzhi.supervision import public_views

app_name = "supervision_public"
urlpatterns = [
    path("new/", public_views.complaint_new, name="complaint_new"),
    path("track/", public_views.complaint_track, name="complaint_track"),
]
