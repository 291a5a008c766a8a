from django.apps import AppConfig
from django.urls import register_converter

from casserole.converters import IdConverter


class CasseroleConfig(AppConfig):
    name = "casserole"
    verbose_name = "Casserole"

    def ready(self):
        # Every capability's urls.py uses `<id:…>`; the URLconf is only imported once apps are ready.
        register_converter(IdConverter, "id")
