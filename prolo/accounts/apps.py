from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prolo.accounts"
    label = "accounts"
