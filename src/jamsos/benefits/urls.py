from django.urls import path

from jamsos.benefits import views

app_name = "benefits"
urlpatterns = [path("", views.calculator, name="calculator")]
