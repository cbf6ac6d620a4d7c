"""The published legal-person register, no login (``/public/registration/``)."""

from django.urls import path

from bianzhi.registration import public_annual, public_draws, public_views

app_name = "registration_public"
urlpatterns = [
    path("", public_views.institution_search, name="institution_search"),
    path("institutions/<str:uscc>/", public_views.institution_detail, name="institution_detail"),
    path("verify/<str:uscc>/<str:serial>/", public_views.certificate_verify, name="certificate_verify"),
    path("lists/<str:which>/", public_views.credit_list, name="credit_list"),
    path("annual-reports/", public_annual.annual_report_list, name="annual_report_list"),
    path("annual-reports/<int:pk>/", public_annual.annual_report_detail, name="annual_report_detail"),
    path("inspections/", public_draws.inspection_results, name="inspection_results"),
]
