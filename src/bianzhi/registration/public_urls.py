"""Public pages of the register, no login (``/public/registration/``)."""

from django.urls import path

from bianzhi.registration import public_draws

app_name = "registration_public"
urlpatterns = [
    path("inspections/", public_draws.inspection_results, name="inspection_results"),
]
