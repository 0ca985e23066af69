from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "prolo.portal"
    label = "portal"
    verbose_name = "Patient portal"
