from django.contrib.auth import views as auth_views
from django.urls import path

from jamsos.accounts import views
from jamsos.accounts.forms import ThrottledAuthenticationForm

app_name = "accounts"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                      authentication_form=ThrottledAuthenticationForm),
         name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("pengguna/", views.users, name="users"),
    path("pengguna/<int:pk>/", views.user_change, name="user_change"),
    path("pengguna/<int:pk>/tautan-sandi/", views.user_reset_link, name="user_reset_link"),
    path("sandi-baru/<str:secret>/", views.reset, name="reset"),
]
