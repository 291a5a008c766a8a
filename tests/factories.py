import factory
from allauth.account.models import EmailAddress
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people.models import Area, CoordinatorMembership, User

PASSWORD = "correct horse battery staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    country = Area.Country.GB
    help_phone = "0161 496 0000"
    help_hours = "Monday to Friday, 9am to 5pm"
    help_hours_ja = "月曜日から金曜日、午前9時から午後5時"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class CoordinatorFactory(UserFactory):
    is_coordinator = True

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            for area in extracted or []:
                CoordinatorMembership.objects.create(user=self, area=area)


def add_totp(user: User) -> TOTPDevice:
    """A confirmed authenticator for `user`; `totp_code(device)` gives its current code."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_code(device: TOTPDevice, *, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + drift * device.step
    return f"{totp.token():0{device.digits}d}"


def add_backup_codes(user: User, codes=("abcd2345", "efgh6789")) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device
