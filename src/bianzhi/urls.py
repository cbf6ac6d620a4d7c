from django.urls import include, path

from bianzhi.reports import views as report_views

urlpatterns = [
    path("", report_views.home, name="home"),
    path("accounts/", include("bianzhi.accounts.urls")),
    path("audit/", include("bianzhi.audit.urls")),
    path("orgs/", include("bianzhi.orgs.urls")),
    path("quotas/", include("bianzhi.quotas.urls")),
    path("roster/", include("bianzhi.roster.urls")),
    path("matters/", include("bianzhi.matters.urls")),
    path("registration/", include("bianzhi.registration.urls")),
    path("reports/", include("bianzhi.reports.urls")),
    path("supervision/", include("bianzhi.supervision.urls")),
    path("exchange/", include("bianzhi.exchange.urls")),
    path("api/v1/", include("bianzhi.api.urls")),
    path("partners/", include("bianzhi.api.partner_urls")),
    path("public/registration/", include("bianzhi.registration.public_urls")),
    path("public/complaints/", include("bianzhi.supervision.public_urls")),
    path("public/", include("bianzhi.disclosure.urls")),
]

handler400 = "bianzhi.core.views.bad_request"
handler403 = "bianzhi.core.views.permission_denied"
handler404 = "bianzhi.core.views.page_not_found"
handler500 = "bianzhi.core.views.server_error"
