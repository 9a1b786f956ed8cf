from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jamsos.web"
    verbose_name = "Web"
