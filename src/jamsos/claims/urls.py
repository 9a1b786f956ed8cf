from django.urls import path

from jamsos.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("baru/", views.claim_new, name="new"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("laporan/", views.report, name="report"),
    path("laporan.xlsx", views.report_xlsx, name="report_xlsx"),
    path("laporan.pdf", views.report_pdf, name="report_pdf"),
    path("tindak-lanjut/", views.follow_ups, name="follow_ups"),
    path("tindak-lanjut/<int:pk>/", views.follow_up, name="follow_up"),
    path("beasiswa/", views.scholarships, name="scholarships"),
    path("beasiswa/<int:pk>/", views.scholarship, name="scholarship"),
    path("impor/", views.claim_import, name="import"),
]
