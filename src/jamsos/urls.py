from django.urls import include, path

from jamsos.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("akun/", include("jamsos.accounts.urls")),
    path("audit/", include("jamsos.web.audit_urls")),
    path("cakupan/", include("jamsos.coverage.urls")),
    path("manfaat/", include("jamsos.benefits.urls")),
    path("registri/", include("jamsos.registry.urls")),
    path("santunan/", include("jamsos.santunan.urls")),
    path("iuran/", include("jamsos.premiums.urls")),
    path("klaim/", include("jamsos.claims.urls")),
    path("", include("jamsos.web.urls")),
]

handler500 = "jamsos.web.views.server_error"
