from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "prolo.clinic"
    label = "clinic"
    verbose_name = "Clinical record"
