from django.urls import path

from jamsos.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.trail, name="trail"),
    path("ekspor.csv", views.export_csv, name="export"),
]
