from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dondoc.core"
    label = "core"
    verbose_name = "Chung"
