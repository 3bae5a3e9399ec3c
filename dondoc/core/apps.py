from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dondoc.core"
    label = "core"
    verbose_name = "Chung"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dondoc.core import twofactor

        user_logged_in.connect(twofactor.logged_in, dispatch_uid="dondoc-two-factor-login")
