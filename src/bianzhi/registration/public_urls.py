"""Public pages of the 事业单位登记 (no login), included at ``public/registration/``."""

from django.urls import path

from bianzhi.registration import public_annual

app_name = "registration_public"
urlpatterns = [
    path("annual-reports/", public_annual.annual_report_list, name="annual_report_list"),
    path("annual-reports/<int:pk>/", public_annual.annual_report_detail, name="annual_report_detail"),
]
