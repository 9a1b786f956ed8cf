from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jamsos.api"
    verbose_name = "API"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from jamsos.api.auth import revoke_on_logout

        user_logged_out.connect(revoke_on_logout, dispatch_uid="jamsos.api.revoke_on_logout")
