from django.urls import path

from bianzhi.roster import views

app_name = "roster"

urlpatterns = [
    path("", views.person_list, name="person_list"),
]

# ---- printable notices (PDF)
# ---- roster import
