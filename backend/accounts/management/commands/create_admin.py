"""`manage.py create_admin`: make an admin account, by flags or by answering prompts."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import Role


class Command(BaseCommand):
    help = "Create an admin account (asks for what the flags do not give)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--password",
            help="Visible in the process list and shell history: prefer the prompt.",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Fail instead of asking for missing values."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = not options["no_input"]
        email = options["email"] or (input("Email: ").strip() if interactive else "")
        if not email:
            raise CommandError("An email address is needed (--email).")
        password = options["password"]
        if password is None and interactive:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        if not password:
            raise CommandError("A password is needed (--password, or answer the prompt).")
        try:
            user = services.user_create(
                email=email, name=options["name"], role=Role.ADMIN, password=password
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except services.EmailTaken as exc:
            raise CommandError(f"A user with the address {email} exists already.") from exc
        self.stdout.write(f"Created admin {user.email}.")
