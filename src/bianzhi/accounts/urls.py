from django.contrib.auth import views as auth_views
from django.urls import path

from bianzhi.accounts import calendar_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/access/", views.user_access, name="user_access"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("calendar/import/", calendar_views.calendar_import_view, name="calendar_import"),
    path("calendar/day/", calendar_views.calendar_day_view, name="calendar_day"),
    path("calendar/export/", calendar_views.calendar_export, name="calendar_export"),
]
