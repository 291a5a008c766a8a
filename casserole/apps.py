from django.apps import AppConfig


class CasseroleConfig(AppConfig):
    name = "casserole"
    verbose_name = "Casserole"
