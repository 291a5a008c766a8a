"""Builders for cook-onboarding tests: a profile, a real JPEG upload, an approved identity check.

Profiles are made through the service (the offline geocoder, so no network) unless a test needs a
state the service would not produce."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.onboarding import services as cook_services
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from accounts.review import services as review_services
from casserole.models import PostcodeCentroid

PROFILE = {
    "full_name": "Cathy Cook",
    "name_reading": "",
    "phone": "+442071234567",  # a drama number (020 7946 0xxx) would be refused by the profile form
    "country": "GB",
    "address_line1": "1 Mare Street",
    "address_line2": "",
    "town": "London",
    "postcode": "E8 1DY",
    "travel_distance": Decimal("1.5"),
    "frequency": CookProfile.Frequency.WEEKLY,
    "cooking_likes": "Stews, soups and crumbles",
    "note_for_diners": "I live round the corner and love a chat.",
}


def cover_e8(area) -> None:
    """Area A covers the E8 district, and the offline table knows where E8 is."""
    area.postcode_prefixes = "E8 E9"
    area.save(update_fields=["postcode_prefixes"])
    PostcodeCentroid.objects.get_or_create(
        country="GB", prefix="E8", defaults={"latitude": "51.543000", "longitude": "-0.058000", "place_name": "Hackney"}
    )


def make_profile(cook: User, **overrides) -> CookProfile:
    """A completed profile in E8 (area A must cover E8: see cover_e8)."""
    return cook_services.save_cook_profile(cook=cook, **{**PROFILE, "full_name": cook.full_name, **overrides})


def jpeg_upload(name="passport.jpg", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def photo_check(cook: User) -> IdentityCheck:
    return cook_services.submit_identity_photo(
        cook=cook, document_type=IdentityCheck.DocumentType.PASSPORT, upload=jpeg_upload()
    )


def approve_identity(cook: User, *, by: User) -> IdentityCheck:
    return review_services.record_seen_in_person(by=by, cook=cook, document_type=IdentityCheck.DocumentType.PASSPORT)


# Where a cook can be on their way to cooking: the account pages say something true in each.
COOK_STATES = ("no_profile", "pending", "active", "suspended")


def cook_in_state(cook: User, state: str, *, coordinator: User, course, **profile) -> User:
    """`cook` brought to `state`: no profile yet; a profile (PROFILE with `profile`'s changes: E8 in
    area A unless they say otherwise) and nothing else (pending); approved by `coordinator` (active);
    or approved and then suspended."""
    from tests.training.conftest import certify

    if state == "no_profile":
        return cook
    make_profile(cook, **profile)
    if state == "pending":
        return cook
    approve_identity(cook, by=coordinator)
    certify(cook, course)
    review_services.approve_cook(by=coordinator, cook=cook)
    if state == "suspended":
        review_services.suspend_cook(by=coordinator, cook=cook, reason="We need to talk about the last visit.")
    return cook
