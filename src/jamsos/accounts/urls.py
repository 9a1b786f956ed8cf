from django.contrib.auth import views as auth_views
from django.urls import path

from jamsos.accounts.forms import ThrottledAuthenticationForm

app_name = "accounts"
urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                      authentication_form=ThrottledAuthenticationForm),
         name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
