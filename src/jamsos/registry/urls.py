from django.urls import path

from jamsos.registry import views

app_name = "registry"
urlpatterns = [
    path("impor/", views.imports, name="imports"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/status.json", views.import_status, name="import_status"),
    path("impor/<int:pk>/ditolak.xlsx", views.import_rejected, name="import_rejected"),
    path("templat-impor.xlsx", views.import_template, name="import_template"),
    path("target/", views.targets, name="targets"),
    path("orang/", views.people, name="people"),
    path("orang/unduh.xlsx", views.people_export, name="people_export"),
    path("orang/<int:pk>/", views.person_detail, name="person"),
    path("temuan/ganda/", views.findings, name="findings"),
]
