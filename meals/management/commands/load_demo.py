"""`manage.py load_demo`: two areas and a demo person for every role, for trying Casserole on a laptop.
The data itself is in meals/demo/; this prints the logins.
"""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people.models import User
from meals.demo.people import (
    ADMIN,
    COOKS,
    COORDINATORS,
    DEMO_DEVICE_NAME,
    DEMO_PASSWORD,
    DEMO_URL,
    REFERRERS,
    DemoLoader,
    DemoLogin,
    base32_secret,
    current_code,
    demo_email,
)


def _width(text: str) -> int:
    # Japanese characters take two columns in a terminal; pad by what is seen, not by len().
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Load the demo areas and accounts (only with DEBUG on). Safe to run again: it changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--codes",
            action="store_true",
            help="Only print the demo logins with fresh two-factor codes; write nothing.",
        )

    def handle(self, *args, codes: bool = False, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on: it creates accounts with a published password and "
                "fixed two-factor secrets, which must never exist on a real service. "
                "On a laptop, run it as `DEBUG=1 python manage.py load_demo` (or use `make run`)."
            )
        if codes:
            logins = self._existing_logins()
            if not logins:
                raise CommandError("There is no demo data yet. Run `python manage.py load_demo` first.")
        else:
            loader = DemoLoader()
            with transaction.atomic():
                logins = loader.load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded (rows created: {loader.created}, rows updated: {loader.updated})."
                )
            )
        self._print_logins(logins)

    def _existing_logins(self) -> list[DemoLogin]:
        specs = (ADMIN, *COORDINATORS, *COOKS, *REFERRERS)
        users = {user.email: user for user in User.objects.filter(email__in=[demo_email(s.local_part) for s in specs])}
        devices = {d.user_id: d for d in TOTPDevice.objects.filter(user__in=users.values(), name=DEMO_DEVICE_NAME)}
        return [
            DemoLogin(spec.role, users[email], devices.get(users[email].pk))
            for spec in specs
            if (email := demo_email(spec.local_part)) in users
        ]

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        rows = [("Role", "Email", "Password", "Two-factor secret", "Code now")]
        for login in logins:
            secret, code = ("", "")
            if login.device is not None:
                secret = base32_secret(login.device)
                code, _ = current_code(login.device)
            rows.append((login.role, login.user.email, DEMO_PASSWORD, secret, code))
        widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
        rule = "  ".join("-" * width for width in widths)

        write = self.stdout.write
        write("")
        write(self.style.MIGRATE_HEADING(f"Casserole demo: open {DEMO_URL} and sign in as any of these."))
        write(rule)
        for index, row in enumerate(rows):
            write("  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                write(rule)
        write(rule)

        with_device = [login for login in logins if login.device is not None]
        if not with_device:
            return
        _, seconds_left = current_code(with_device[0].device)
        write("")
        write("The admin and the coordinators must also enter a 6-digit code after their password.")
        write("Add their secret to an authenticator app (type it in, or open the otpauth:// link below),")
        write(f"or use 'Code now', which is good for about {seconds_left + 30} more seconds. For fresh codes:")
        write("  DEBUG=1 .venv/bin/python manage.py load_demo --codes")
        write("")
        for login in with_device:
            write(f"  {login.user.email}")
            write(f"    {login.device.config_url}")
        write("")
