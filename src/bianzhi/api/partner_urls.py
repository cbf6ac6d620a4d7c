"""合作部门与接口 (api.partner_views), under /partners/."""

from django.urls import path

from bianzhi.api import partner_views

app_name = "partners"
urlpatterns = [
    path("", partner_views.partner_list, name="partner_list"),
    path("new/", partner_views.partner_new, name="partner_new"),
    path("<int:pk>/", partner_views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", partner_views.partner_edit, name="partner_edit"),
    path("<int:pk>/tokens/new/", partner_views.token_new, name="token_new"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", partner_views.token_revoke, name="token_revoke"),
    path("<int:pk>/tokens/<int:token_pk>/webhook/", partner_views.webhook_set_view, name="webhook_set"),
    path("<int:pk>/tokens/<int:token_pk>/webhook/stop/", partner_views.webhook_stop_view, name="webhook_stop"),
]
