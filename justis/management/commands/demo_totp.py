from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Print the 6-digit code that the authenticator app of a demo staff member shows now "
        "(development only: needs ENABLE_DEMO_LOGINS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="e.g. balie.amsterdam (see seed_demo)")

    def handle(self, *args, username, **options):
        if not settings.ENABLE_DEMO_LOGINS:
            raise CommandError("demo_totp only works with ENABLE_DEMO_LOGINS=true (development); it is refused here.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username!r}. Run manage.py seed_demo first.")
        device = TOTPDevice.objects.filter(user=user, name="default", confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator app yet: log in once and set it up.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
