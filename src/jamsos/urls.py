from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("jamsos.accounts.urls")),
    path("cakupan/", include("jamsos.coverage.urls")),
    path("registri/", include("jamsos.registry.urls")),
    path("", include("jamsos.web.urls")),
]
