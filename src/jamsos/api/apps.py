from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jamsos.api"
    verbose_name = "API"
