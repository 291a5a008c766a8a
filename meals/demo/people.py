"""The demo's areas and people: a demo person for every role, and cooks at every stage of onboarding.

Idempotent: every row is found by a stable key (an area's slug, a person's email) and only fields that
differ from the demo values are written, so a second run changes nothing and creates no duplicates.
The accounts share one published password and fixed two-factor secrets, so the command refuses to
run unless DEBUG is on.

To extend it for a new model, add a method to `DemoLoader` (one per group of people or things), call
it from `load()`, and write rows through `self._upsert(...)` so re-runs stay no-ops.
"""

import hashlib
import io
import random
import time
from base64 import b32encode
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from accounts.onboarding import services as onboarding_services
from accounts.onboarding.models import CookProfile
from accounts.people.models import Area, CoordinatorMembership, User
from accounts.review import services as cook_services
from meals.demo.diners import load_demo_diners, load_demo_matches
from meals.demo.history import load_demo_history
from meals.demo.meals import load_demo_meals
from meals.demo.signposting import load_demo_signposting
from training.models import Attempt, Certificate, LessonProgress
from training.services import load_course, start_attempt, submit_attempt

DEMO_PASSWORD = "casserole-demo-2026"
DEMO_CENTROIDS = settings.BASE_DIR / "casserole" / "data" / "demo_postcode_centroids.csv"
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_DOMAIN = "demo.casserole.example"
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def demo_totp_key(email: str) -> str:
    """The fixed TOTP secret (40 hex digits = 20 bytes) of a demo account, derived from its email
    so that every run, on every laptop, gives the same secret. Never use this outside the demo."""
    return hashlib.sha256(f"casserole-demo-totp:{email}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class AreaSpec:
    slug: str
    name: str
    name_ja: str
    country: str
    help_phone: str
    help_hours: str
    help_hours_ja: str
    distance_unit: str
    time_zone: str
    postcode_prefixes: str


@dataclass(frozen=True)
class PersonSpec:
    """One demo account. `local_part` is its stable key; `role` is the label in the printed table."""

    local_part: str
    role: str
    full_name: str
    name_reading: str = ""
    # Stored as a person's input is (E.164) and valid by the same rules (tests/meals/demo checks it).
    # Not Ofcom's drama ranges (020 7946 0000–0999, 07700 900000–900999): the forms refuse those, because a diner's
    # or an emergency contact's number must reach someone. The demo never dials or texts anyone.
    phone: str = ""
    language: str = "en"
    area: str | None = None  # slug of the home area (or of the area a coordinator looks after)


AREAS = (
    AreaSpec(
        slug="hackney",
        name="Hackney",
        name_ja="ハックニー区",
        country=Area.Country.GB,
        help_phone="020 7123 4000",
        help_hours="Monday to Friday, 9am to 5pm",
        help_hours_ja="月曜日から金曜日、午前9時から午後5時",
        distance_unit=Area.DistanceUnit.MILES,
        time_zone="Europe/London",
        postcode_prefixes="E2 E5 E8 E9 N1 N16",
    ),
    AreaSpec(
        slug="setagaya",
        name="Setagaya",
        name_ja="世田谷区",
        country=Area.Country.JP,
        help_phone="03-5555-0123",
        help_hours="Weekdays, 10am to 6pm",
        help_hours_ja="平日 午前10時から午後6時",
        distance_unit=Area.DistanceUnit.KM,
        time_zone="Asia/Tokyo",
        postcode_prefixes="154 155 156 157 158",
    ),
)

ADMIN = PersonSpec(local_part="admin", role="Admin", full_name="Alex Morgan", phone="+442071234099")

COORDINATORS = (
    PersonSpec(
        local_part="coordinator.hackney",
        role="Coordinator, Hackney",
        full_name="Grace Okafor",
        phone="+442071234011",
        area="hackney",
    ),
    PersonSpec(
        local_part="coordinator.setagaya",
        role="Coordinator, Setagaya (日本語)",
        full_name="佐藤 美咲",
        name_reading="サトウ ミサキ",
        phone="+81355550124",
        language="ja",
        area="setagaya",
    ),
)

# Stages of a cook's onboarding, named by the second part of the email ("cook.<stage>.<area>"):
#   new        only signed up
#   partway    profile done, half the course read; Hackney: an identity photo waiting for review,
#              Setagaya: identity seen in person
#   rejected   identity photo not approved (with the coordinator's reason), half the course read, and
#              not placed on the map (N1 is not in the demo table): a coordinator must set a pin
#   approval   identity approved and certificate valid: waiting for the coordinator's approval
#   ready      active: approved by a coordinator
#   backup     active, with nobody of their own to cook for yet: a coordinator asks them to cover a meal
#   expired    was active, but the food-safety certificate has run out (cannot be matched)
#   suspended  approved, then suspended by a coordinator with a reason
COOKS = (
    PersonSpec(
        local_part="cook.new.hackney",
        role="Cook, Hackney: just signed up",
        full_name="Tom Fletcher",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.partway.hackney",
        role="Cook, Hackney: part-way (日本語)",
        full_name="中村 さくら",
        name_reading="ナカムラ サクラ",
        phone="+442071234412",
        language="ja",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.ready.hackney",
        role="Cook, Hackney: fully set up",
        full_name="Margaret Ellis",
        phone="+442071234456",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.backup.hackney",
        role="Cook, Hackney: fully set up, covers meals",
        full_name="Kwame Mensah",
        phone="+442071234477",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.expired.hackney",
        role="Cook, Hackney: food-safety certificate expired",
        full_name="Peter Walsh",
        phone="+442071234421",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.rejected.hackney",
        role="Cook, Hackney: identity photo not approved",
        full_name="Ruth Adeyemi",
        phone="+442071234454",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.approval.hackney",
        role="Cook, Hackney: waiting for the coordinator's approval",
        full_name="Owen Price",
        phone="+442071234487",
        area="hackney",
    ),
    PersonSpec(
        local_part="cook.new.setagaya",
        role="Cook, Setagaya: just signed up",
        full_name="高橋 健太",
        name_reading="タカハシ ケンタ",
        language="ja",
        area="setagaya",
    ),
    PersonSpec(
        local_part="cook.partway.setagaya",
        role="Cook, Setagaya: part-way",
        full_name="Daniel Evans",
        phone="+819055550142",
        area="setagaya",
    ),
    PersonSpec(
        local_part="cook.ready.setagaya",
        role="Cook, Setagaya: fully set up",
        full_name="田中 陽子",
        name_reading="タナカ ヨウコ",
        phone="+819055550178",
        language="ja",
        area="setagaya",
    ),
    PersonSpec(
        local_part="cook.suspended.setagaya",
        role="Cook, Setagaya: suspended by the coordinator",
        full_name="鈴木 一郎",
        name_reading="スズキ イチロウ",
        phone="+819055550111",
        language="ja",
        area="setagaya",
    ),
)

# Where each demo cook lives (a made-up street in a real postcode district of the demo table).
# The rejected cook lives in N1, which Hackney covers but the demo table does not know: "needs placing".
DEMO_ADDRESSES = {
    "hackney": {"country": "GB", "address_line1": "{n} Mare Street", "town": "London", "postcode": "E8 {n}DY"},
    "setagaya": {
        "country": "JP",
        "address_line1": "太子堂{n}丁目1-1",
        "town": "東京都世田谷区",
        "postcode": "154-000{n}",
    },
}
UNPLACED_ADDRESS = {"country": "GB", "address_line1": "5 Englefield Road", "town": "London", "postcode": "N1 4LH"}

REFERRERS = (
    PersonSpec(
        local_part="referrer.hackney",
        role="Referrer, Hackney: a diner's daughter",
        full_name="Sarah Bennett",
        phone="+442071234489",
        area="hackney",
    ),
    PersonSpec(
        local_part="referrer.setagaya",
        role="Referrer, Setagaya: ケアマネジャー",
        full_name="山本 恵子",
        name_reading="ヤマモト ケイコ",
        phone="+81355550199",
        language="ja",
        area="setagaya",
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    user: User
    device: TOTPDevice | None = None


class DemoLoader:
    """Writes the demo rows and counts what it created or changed."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self._password_hash: str | None = None

    def load(self) -> list[DemoLogin]:
        areas = self.areas()
        logins = [
            self.admin(),
            *self.coordinators(areas),
            *self.cooks(areas),
            *self.referrers(areas),
        ]
        # The offline geocoder's table for the demo areas (Hackney and Setagaya postcode districts).
        call_command("load_postcode_centroids", str(DEMO_CENTROIDS), stdout=io.StringIO())
        cooks = {login.user.email.split("@")[0]: login.user for login in logins if login.user.is_cook}
        self.training(cooks)
        coordinators = {spec.area: login.user for spec, login in zip(COORDINATORS, logins[1:], strict=False)}
        self.onboarding(cooks, coordinators)
        referrers = {spec.area: login.user for spec, login in zip(REFERRERS, logins[-len(REFERRERS) :], strict=True)}
        # Diners and their requests in every state (meals.demo).
        self.created += load_demo_diners(referrers=referrers, coordinators=coordinators)
        self.created += load_demo_matches(cooks=cooks, coordinators=coordinators)
        # Months of meals in each area's active match: past, confirmed, covered, waiting (meals.demo.meals),
        # and what happened at them: visits, feedback, the loneliness measure, watch reports (meals.demo.history).
        now = timezone.now()
        self.created += load_demo_meals(cooks=cooks, coordinators=coordinators, referrers=referrers, now=now)
        self.created += load_demo_history(cooks=cooks, coordinators=coordinators, referrers=referrers, now=now)
        # The directory of other support: local services and national helplines (meals.demo.signposting).
        self.created += load_demo_signposting(admin=logins[0].user, coordinators=coordinators)
        return logins

    def onboarding(self, cooks: dict[str, User], coordinators: dict[str, User]) -> None:
        """Profiles, identity checks and approvals for each stage (see COOKS). Written through the
        services, as a person would, and only when the cook has none yet, so re-runs change nothing."""
        for number, (local_part, user) in enumerate(sorted(cooks.items()), start=1):
            _, stage, area_slug = local_part.split(".")
            if stage == "new" or CookProfile.objects.filter(user=user).exists():
                continue
            coordinator = coordinators[area_slug]
            self._demo_profile(user, area_slug, number, unplaced=stage == "rejected")
            self.created += 1
            if stage == "partway" and area_slug == "hackney":
                onboarding_services.submit_identity_photo(cook=user, document_type="passport", upload=_demo_document())
            elif stage == "rejected":
                check = onboarding_services.submit_identity_photo(
                    cook=user, document_type="driving_licence", upload=_demo_document()
                )
                cook_services.decide_identity_check(
                    by=coordinator,
                    check=check,
                    approve=False,
                    reason="The photo is too blurred to read the name. Please take it again in good light.",
                )
            else:
                cook_services.record_seen_in_person(by=coordinator, cook=user, document_type="passport")
            if stage in ("ready", "backup", "expired", "suspended"):
                # Approved while the certificate was valid (the expired cook's ran out later).
                with _certificates_valid_for(user):
                    cook_services.approve_cook(by=coordinator, cook=user)
            if stage == "suspended":
                cook_services.suspend_cook(
                    by=coordinator, cook=user, reason="Paused while we talk about a missed visit. We will call you."
                )

    def _demo_profile(self, user: User, area_slug: str, number: int, *, unplaced: bool) -> None:
        address = UNPLACED_ADDRESS if unplaced else DEMO_ADDRESSES[area_slug]
        digit = str(number % 9 + 1)
        onboarding_services.save_cook_profile(
            cook=user,
            full_name=user.full_name,
            name_reading=user.name_reading,
            phone=user.phone or ("+442071234000" if area_slug == "hackney" else "+81355550100"),
            country=address["country"],
            address_line1=address["address_line1"].format(n=digit),
            address_line2="",
            town=address["town"],
            postcode=address["postcode"].format(n=digit),
            travel_distance=Decimal("1.0") if area_slug == "hackney" else Decimal("2.0"),
            frequency=CookProfile.Frequency.WEEKLY,
            cooking_likes="Soups, stews and a good crumble"
            if area_slug == "hackney"
            else "煮物、味噌汁、季節の野菜料理",
            note_for_diners="I love a chat over a cup of tea."
            if area_slug == "hackney"
            else "お話しするのが好きです。",
        )

    def training(self, cooks: dict[str, User]) -> None:
        """The food-safety course, and cooks mid-course (half the lessons read), passed (certificate
        valid) and expired (passed over three years ago)."""
        old_course = load_course(version="v1", make_current=False)  # past attempts and certificates are on v1
        course = load_course(version="v2")
        lessons = list(course.lessons.order_by("order"))
        for local_part, user in cooks.items():
            stage = local_part.split(".")[1]
            half = lessons[: len(lessons) // 2]
            read = {"new": [], "partway": half, "rejected": half}.get(stage, lessons)
            for lesson in read:
                self._upsert(LessonProgress, lookup={"user": user, "lesson": lesson}, values={})
            certified = stage in ("ready", "backup", "expired", "approval", "suspended")
            if certified and not Certificate.objects.filter(user=user).exists():
                if stage == "expired":
                    # Passed over three years ago: on the course as it was then (v2 is newer than that).
                    for lesson in old_course.lessons.all():
                        self._upsert(LessonProgress, lookup={"user": user, "lesson": lesson}, values={})
                    self._demo_certificate(user, old_course, expired=True)
                else:
                    self._demo_certificate(user, course, expired=False)

    def _demo_certificate(self, user: User, course, *, expired: bool) -> None:
        # A real attempt, answered correctly, so the result and certificate pages have something true to show.
        attempt = start_attempt(user=user, course=course, rng=random.Random(user.pk))
        answers = {item.pk: item.question.answer for item in attempt.items.select_related("question")}
        submit_attempt(user=user, attempt=attempt, answers=answers)
        self.created += 2
        if expired:
            issued = timezone.now() - timedelta(days=settings.CERTIFICATE_VALID_DAYS + 30)
            Attempt.objects.filter(pk=attempt.pk).update(started_at=issued, submitted_at=issued)
            Certificate.objects.filter(attempt=attempt).update(
                issued_at=issued, expires_at=issued + timedelta(days=settings.CERTIFICATE_VALID_DAYS)
            )

    # Groups ---------------------------------------------------------------------------------------

    def areas(self) -> dict[str, Area]:
        result = {}
        for spec in AREAS:
            values = {name: getattr(spec, name) for name in spec.__dataclass_fields__ if name != "slug"}
            result[spec.slug], _ = self._upsert(Area, lookup={"slug": spec.slug}, values=values)
        return result

    def admin(self) -> DemoLogin:
        user = self._person(ADMIN, None, is_staff=True, is_superuser=True)
        return DemoLogin(ADMIN.role, user, self._fixed_totp(user))

    def coordinators(self, areas: dict[str, Area]) -> list[DemoLogin]:
        logins = []
        for spec in COORDINATORS:
            area = areas[spec.area]
            user = self._person(spec, area, is_coordinator=True)
            self._upsert(CoordinatorMembership, lookup={"user": user, "area": area}, values={})
            logins.append(DemoLogin(spec.role, user, self._fixed_totp(user)))
        return logins

    def cooks(self, areas: dict[str, Area]) -> list[DemoLogin]:
        return [DemoLogin(spec.role, self._person(spec, areas[spec.area], is_cook=True)) for spec in COOKS]

    def referrers(self, areas: dict[str, Area]) -> list[DemoLogin]:
        return [DemoLogin(spec.role, self._person(spec, areas[spec.area], is_referrer=True)) for spec in REFERRERS]

    # Building blocks ------------------------------------------------------------------------------

    def _upsert(self, model: type[models.Model], *, lookup: dict, values: dict) -> tuple[models.Model, bool]:
        """Find the row by `lookup`; create it with `values`, or write only the values that differ.
        Foreign keys in `values` must be given by their `<name>_id` so comparing costs no query."""
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if created:
            self.created += 1
            return obj, True
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.updated += 1
        return obj, False

    def _person(self, spec: PersonSpec, home_area: Area | None, **roles: bool) -> User:
        """A demo account with a verified email address and the demo password. Coordinators have no
        home area of their own here: their area comes from the membership."""
        flags = {"is_cook": False, "is_referrer": False, "is_coordinator": False, "is_staff": False}
        flags |= {"is_superuser": False, "is_active": True} | roles
        values = {
            "full_name": spec.full_name,
            "name_reading": spec.name_reading,
            "phone": spec.phone,
            "preferred_language": spec.language,
            "home_area_id": None if roles.get("is_coordinator") or home_area is None else home_area.pk,
            **flags,
        }
        email = demo_email(spec.local_part)
        user, created = self._upsert(User, lookup={"email": email}, values=values)
        self._set_demo_password(user, counts_as_update=not created)
        self._upsert(EmailAddress, lookup={"user": user, "email": email}, values={"verified": True, "primary": True})
        return user

    def _set_demo_password(self, user: User, *, counts_as_update: bool) -> None:
        if user.check_password(DEMO_PASSWORD):
            return
        # One hash for every account: hashing is deliberately slow and the password is public anyway.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        user.password = self._password_hash
        user.save(update_fields=["password"])
        self.updated += counts_as_update

    def _fixed_totp(self, user: User) -> TOTPDevice:
        device, _ = self._upsert(
            TOTPDevice,
            lookup={"user": user, "name": DEMO_DEVICE_NAME},
            values={"key": demo_totp_key(user.email), "confirmed": True},
        )
        return device


def _demo_document() -> SimpleUploadedFile:
    """A made-up identity document (a drawn card marked SPECIMEN), so the review page has a photo."""
    image = Image.new("RGB", (640, 400), (225, 236, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(29, 112, 184), width=6)
    draw.rectangle((50, 90, 210, 300), fill=(180, 190, 200))
    for line, text in enumerate(("DEMO IDENTITY CARD", "SPECIMEN - NOT A REAL DOCUMENT", "Name: see profile")):
        draw.text((240, 100 + 50 * line), text, fill=(11, 12, 12))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("demo-document.jpg", out.getvalue(), content_type="image/jpeg")


@contextmanager
def _certificates_valid_for(user: User):
    """Approve a demo cook whose certificate has since run out, as it would have happened in time."""
    saved = list(Certificate.objects.filter(user=user).values_list("pk", "expires_at"))
    Certificate.objects.filter(user=user).update(expires_at=timezone.now() + timedelta(days=1))
    try:
        yield
    finally:
        for pk, expires_at in saved:
            Certificate.objects.filter(pk=pk).update(expires_at=expires_at)


def current_code(device: TOTPDevice) -> tuple[str, int]:
    """The device's code right now and how many seconds it has left."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    seconds_left = device.step - int(time.time() - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", seconds_left


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()
