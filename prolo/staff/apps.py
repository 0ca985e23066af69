from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "prolo.staff"
    label = "staff"
