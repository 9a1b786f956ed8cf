from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("jamsos.accounts.urls")),
    path("cakupan/", include("jamsos.coverage.urls")),
    path("registri/", include("jamsos.registry.urls")),
    path("santunan/", include("jamsos.santunan.urls")),
    path("iuran/", include("jamsos.premiums.urls")),
    path("klaim/", include("jamsos.claims.urls")),
    path("", include("jamsos.web.urls")),
]
