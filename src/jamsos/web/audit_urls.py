from django.urls import path

from jamsos.web import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.trail, name="trail"),
    path("ekspor.csv", views.export_csv, name="export"),
]
