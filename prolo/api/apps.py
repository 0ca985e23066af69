from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "prolo.api"
    label = "api"
