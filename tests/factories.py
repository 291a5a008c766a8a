"""factory_boy factories with minimal defaults, and builders for what a factory cannot express.

A factory makes one row as a test needs it, without the side effects of the service that would
normally make it (no audit entry, no email): use it where how the object came to be is not the point
of the test. Tests about a service build through the service."""

import copy
import uuid
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import Area, CoordinatorMembership, User
from casserole.geocoding import GeocodeSource
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.referrals.models import Referral
from training.models import Course, Lesson, Question
from training.services import load_course

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


# Where the offline postcode table puts E8 (tests/onboarding.py's cover_e8 adds that row).
E8_CENTRE = {
    "latitude": 51.543,
    "longitude": -0.058,
    "location_source": GeocodeSource.OFFLINE,
    "neighbourhood": "Hackney",
}


class CookProfileFactory(factory.django.DjangoModelFactory):
    """A completed profile, placed at the centre of E8 (or `unplaced`), waiting for approval."""

    class Meta:
        model = CookProfile

    class Params:
        # As the geocoder leaves a postcode it cannot place: a coordinator must set the pin.
        unplaced = factory.Trait(latitude=None, longitude=None, location_source="", neighbourhood="")

    user = factory.SubFactory(UserFactory, is_cook=True)
    country = Area.Country.GB
    address_line1 = "1 Mare Street"
    town = "London"
    postcode = "E8 1DY"
    latitude = E8_CENTRE["latitude"]
    longitude = E8_CENTRE["longitude"]
    location_source = E8_CENTRE["location_source"]
    neighbourhood = E8_CENTRE["neighbourhood"]
    travel_distance = Decimal("1.5")
    frequency = CookProfile.Frequency.WEEKLY
    cooking_likes = "Stews, soups and crumbles"
    completed_at = factory.LazyFunction(timezone.now)


class IdentityCheckFactory(factory.django.DjangoModelFactory):
    """A passport seen in person and approved (pass `decided_by`, the coordinator who saw it)."""

    class Meta:
        model = IdentityCheck

    cook = factory.SubFactory(UserFactory, is_cook=True)
    method = IdentityCheck.Method.IN_PERSON
    document_type = IdentityCheck.DocumentType.PASSPORT
    status = IdentityCheck.Status.APPROVED
    decided_at = factory.LazyFunction(timezone.now)


class DinerFactory(factory.django.DjangoModelFactory):
    """A diner on record, referred (not yet accepted) and not placed on the map."""

    class Meta:
        model = Diner

    area = factory.SubFactory(AreaFactory)
    full_name = factory.Sequence(lambda n: f"Diner {n} Smith")
    preferred_name = factory.LazyAttribute(lambda diner: diner.full_name.split()[0])
    country = factory.LazyAttribute(lambda diner: diner.area.country if diner.area else Area.Country.GB)
    address_line1 = "12 Mare Street"
    postcode = "E8 1DY"
    consent_method = Diner.ConsentMethod.IN_PERSON
    consent_given_on = factory.LazyFunction(timezone.localdate)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A request for meals from a referrer with an account, waiting for a coordinator."""

    class Meta:
        model = Referral

    diner = factory.SubFactory(DinerFactory)
    referrer = factory.SubFactory(UserFactory, is_referrer=True)
    created_by = factory.SelfAttribute("referrer")
    relationship = Referral.Relationship.FAMILY
    submission_key = factory.LazyFunction(uuid.uuid4)


class ProxyAccessFactory(factory.django.DjangoModelFactory):
    """A referrer acting for a diner, with the model's default scope (seeing the schedule)."""

    class Meta:
        model = ProxyAccess

    diner = factory.SubFactory(DinerFactory)
    referrer = factory.SubFactory(UserFactory, is_referrer=True)


class MatchFactory(factory.django.DjangoModelFactory):
    """A cook's offer for an active diner, waiting for a coordinator."""

    class Meta:
        model = Match

    diner = factory.SubFactory(DinerFactory, status=Diner.Status.ACTIVE)
    cook = factory.SubFactory(UserFactory, is_cook=True)
    status = Match.Status.PROPOSED


# The rows load_course wrote for each version the first time it ran in this test run (on a database
# with no course), copied from then on: (course, lessons, (lesson slug, question) pairs) as field values.
_LOADED_COURSES: dict[str, tuple[dict, list[dict], list[tuple[str, dict]]]] = {}


def _field_values(row, *skip: str) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key and field.attname not in skip
    }


def loaded_course(version: str = "v1") -> Course:
    """The course as training.services.load_course(version=…) leaves a database that has none. For
    tests that need the course but do not test loading it: the files are read and written row by row
    (a few hundred queries) once per run; after that the same rows are copied in three queries.
    Where a course exists already it is a real load, which may update rows or the current course."""
    if version not in _LOADED_COURSES or Course.objects.exists():
        empty = not Course.objects.exists()
        course = load_course(version=version)
        if empty:
            lessons = list(course.lessons.order_by("pk"))
            slugs = {lesson.pk: lesson.slug for lesson in lessons}
            _LOADED_COURSES[version] = (
                _field_values(course),
                [_field_values(lesson, "course_id") for lesson in lessons],
                [
                    (slugs[question.lesson_id], _field_values(question, "course_id", "lesson_id"))
                    for question in course.questions.order_by("pk")
                ],
            )
        return course
    # Deep copies: a JSON list (a question's options) must not be shared between tests.
    course_values, lesson_values, question_values = copy.deepcopy(_LOADED_COURSES[version])
    course = Course.objects.create(**course_values)
    lessons = Lesson.objects.bulk_create(Lesson(course=course, **values) for values in lesson_values)
    by_slug = {lesson.slug: lesson for lesson in lessons}
    Question.objects.bulk_create(
        Question(course=course, lesson=by_slug[slug], **values) for slug, values in question_values
    )
    return course


def long_email(length: int) -> str:
    """A well-formed address of exactly `length` characters (a 64-character local part and a domain of
    labels no longer than 60), for the boundary at 254 characters that our columns hold."""
    domain_length = length - 64 - 1 - len(".example")
    labels = []
    while domain_length > 0:
        label = min(60, domain_length if domain_length <= 60 else domain_length - 2)
        labels.append("d" * label)
        domain_length -= label + 1
    address = "n" * 64 + "@" + ".".join([*labels, "example"])
    assert len(address) == length, (length, len(address))
    return address
