from django.urls import path

from jamsos.web import province, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("bantuan/", views.help_page, name="help"),
    path("healthz", views.healthz, name="healthz"),
    # The public page draws on coverage, claims, santunan and premiums: it is the web layer's.
    path("cakupan/publik/", views.public, name="public"),
    # A province's kabupaten/kota side by side (province-level users only; issue 16).
    path("provinsi/peringkat/", province.ranking, name="ranking"),
]
