from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts (users, roles, sign-in, API tokens)"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401 - registers the token's OpenAPI scheme
