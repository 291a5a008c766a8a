"""Who may reach what: every URL pattern × method × persona, with the status each must get.

Personas: anonymous, a diner's referrer, a cook (not yet active), the coordinators of area A and of
area B, and an admin. Signed-in personas have passed the second factor where they have one, so the
matrix tests the permission checks, not the two-factor redirect (tests/accounts/people/test_two_factor.py).
Objects live in area A.

`test_every_url_pattern_is_in_the_matrix` walks the URL resolver and fails when a pattern has no row:
a new page cannot ship without deciding who may reach it. Each row's request runs inside a savepoint
that is rolled back, so one persona's successful POST does not change what the next one sees.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone, translation

from accounts.onboarding.models import CookMove
from accounts.people.models import Area, CoordinatorMembership, Invitation, User
from accounts.people.services import hash_token
from meals.diners.models import ProxyAccess
from meals.matching.models import Match
from meals.matching.services import offer_to_cook
from meals.referrals.services import accept_referral
from meals.relationships.models import Concern, DoorCase, Visit, WatchRecipient
from meals.schedule.models import CalendarFeed, Meal, MealSeries
from meals.signposting.models import OnwardReferral, SupportService
from tests.conftest import (
    make_admin_user,
    make_area_a,
    make_area_b,
    make_cook,
    make_coordinator_a,
    make_coordinator_b,
    make_referrer,
    page_body,
    verified_client,
)
from tests.factories import CookProfileFactory, CoordinatorFactory, MatchFactory, UserFactory
from tests.meals.callbacks.conftest import make_callback
from tests.meals.conftest import make_active_cook, submit
from tests.onboarding import cover_e8, make_profile, photo_check
from training.models import Attempt
from training.services import complete_lesson, load_course, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "referrer", "cook", "coordinator_a", "coordinator_b", "admin_user")
SIGNED_IN = PERSONAS[1:]
COORDINATORS = ("coordinator_a", "coordinator_b", "admin_user")

OK, FOUND, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, GONE = 200, 302, 403, 404, 405, 410


def expect(default: int, **overrides: int) -> dict[str, int]:
    statuses = dict.fromkeys(PERSONAS, default)
    statuses.update(overrides)
    return statuses


# Shapes that repeat.
PUBLIC = expect(OK)
SIGNED_IN_ONLY = expect(OK, anonymous=FOUND)
ANONYMOUS_ONLY = expect(FOUND, anonymous=OK)  # allauth sends a signed-in person on to their page
COORDINATOR_PAGE = expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)
STAFF_ONLY = expect(FOUND, admin_user=OK)  # the admin sends everyone else to the sign-in page
# The food-safety course is for cooks: anyone else signed in is refused (403). A cook reaches only
# their own attempts and certificates: anyone else's look like ids that do not exist (404).
COOK_PAGE = expect(FORBIDDEN, anonymous=FOUND, cook=OK)
COOK_REDIRECT = expect(FORBIDDEN, anonymous=FOUND, cook=FOUND)
COOK_NOT_FOUND = expect(FORBIDDEN, anonymous=FOUND, cook=NOT_FOUND)
# A coordinator page about one of area A's objects: coordinator B cannot know it exists.
AREA_A_PAGE = expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND)
# The same page about one of area B's objects: coordinator B acts on their own area's, A cannot know it.
AREA_B_PAGE = expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_a=NOT_FOUND)
AREA_A_NOT_FOUND = expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)
# The method is checked before anything else on coordinator pages that only show.
COORDINATOR_NOT_ALLOWED = expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)
# A page for acting for a diner: only the referrer who acts for them; to everyone else it does not exist.
PROXY_PAGE = expect(NOT_FOUND, anonymous=FOUND, referrer=OK)
# A coordinator action on area A's object that ends in a redirect (done, or refused with a message).
AREA_A_REDIRECT = expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND)
# An id no table can hold (0, or past 2**63 − 1) matches no URL pattern: 404 for everyone, before any
# sign-in check. tests/casserole/test_id_converter.py sends such ids to every page that takes one.
OUT_OF_RANGE = expect(NOT_FOUND)


@dataclass(frozen=True)
class Row:
    path: str  # literal, with {placeholders} for objects built in area A
    method: str
    expected: dict[str, int]
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROWS = [
    # Public pages.
    Row("/healthz", "GET", PUBLIC),
    Row("/healthz", "POST", expect(NOT_ALLOWED)),
    Row("/en/", "GET", PUBLIC),
    Row("/ja/", "GET", PUBLIC),
    Row("/en/", "POST", expect(NOT_ALLOWED)),
    Row("/en/accessibility/", "GET", PUBLIC),
    Row("/en/privacy/", "GET", PUBLIC),
    Row("/ja/clubs/", "GET", PUBLIC),
    Row("/en/clubs/", "POST", expect(NOT_ALLOWED)),
    # allauth.
    Row("/en/accounts/login/", "GET", ANONYMOUS_ONLY),
    Row("/en/accounts/login/", "POST", ANONYMOUS_ONLY, {"login": "nobody@example.org", "password": "wrong password"}),
    Row("/en/accounts/logout/", "GET", expect(OK, anonymous=FOUND)),
    Row("/en/accounts/logout/", "POST", expect(FOUND)),
    Row("/en/accounts/inactive/", "GET", PUBLIC),
    Row("/en/accounts/signup/", "GET", ANONYMOUS_ONLY),
    Row("/en/accounts/signup/", "POST", ANONYMOUS_ONLY, {"email": "not-an-email"}),
    Row("/en/accounts/reauthenticate/", "GET", SIGNED_IN_ONLY),
    Row("/en/accounts/email/", "GET", SIGNED_IN_ONLY),
    Row("/en/accounts/confirm-email/", "GET", PUBLIC),
    Row("/en/accounts/confirm-email/{email_key}/", "GET", PUBLIC),
    Row("/en/accounts/confirm-email/{email_key}/", "POST", expect(FOUND)),
    Row("/en/accounts/password/change/", "GET", SIGNED_IN_ONLY),
    Row("/en/accounts/password/change/", "POST", SIGNED_IN_ONLY, {"oldpassword": "wrong"}),
    Row("/en/accounts/password/set/", "GET", expect(FOUND)),  # everyone has a password: on to "change"
    Row("/en/accounts/password/reset/", "GET", PUBLIC),
    Row("/en/accounts/password/reset/", "POST", expect(FOUND), {"email": "nobody@example.org"}),
    # The code from the email is typed in: with no reset begun in this session, both steps send you back.
    Row("/en/accounts/password/reset/confirm/", "GET", expect(FOUND)),
    Row("/en/accounts/password/reset/confirm/", "POST", expect(FOUND), {"code": "BBBB-BBBB"}),
    Row("/en/accounts/password/reset/complete/", "GET", expect(FOUND)),
    Row("/en/accounts/password/reset/complete/", "POST", expect(FOUND), {"password1": "x", "password2": "x"}),
    Row("/en/accounts/password/reset/done/", "GET", PUBLIC),
    Row("/en/accounts/login/code/confirm/", "GET", expect(FOUND)),  # no code sign-in pending: back to sign-in
    # Your account.
    Row("/en/account/", "GET", SIGNED_IN_ONLY),
    Row("/en/account/details/", "GET", SIGNED_IN_ONLY),
    Row("/en/account/details/", "POST", SIGNED_IN_ONLY, {"full_name": ""}),
    Row("/en/account/two-factor/set-up/", "GET", SIGNED_IN_ONLY),
    Row("/en/account/two-factor/set-up/", "POST", SIGNED_IN_ONLY, {"code": "000000"}),
    # Without an authenticator the verify page sends you to set one up.
    Row("/en/account/two-factor/", "GET", expect(OK, anonymous=FOUND, referrer=FOUND, cook=FOUND)),
    Row("/en/account/two-factor/", "POST", expect(OK, anonymous=FOUND, referrer=FOUND, cook=FOUND), {"code": "x"}),
    # Backup codes back up an authenticator app: without one you are sent to set it up.
    Row("/en/account/two-factor/backup-codes/", "GET", expect(OK, anonymous=FOUND, referrer=FOUND, cook=FOUND)),
    Row("/en/account/two-factor/backup-codes/", "POST", expect(FOUND)),
    Row("/en/account/two-factor/turn-off/", "GET", expect(NOT_ALLOWED, anonymous=FOUND)),
    # Turning it off is refused for coordinators and admins, with a message: every one is sent back.
    Row("/en/account/two-factor/turn-off/", "POST", expect(FOUND)),
    Row("/en/account/invitation/{invitation_token}/", "GET", PUBLIC),
    Row("/en/account/invitation/{invitation_token}/", "POST", PUBLIC, {"full_name": ""}),
    Row("/en/account/invitation/not-a-real-token/", "GET", expect(GONE)),
    # Coordinator pages.
    Row("/en/coordinator/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/coordinators/invite/", "GET", COORDINATOR_PAGE),
    # Area A is not among coordinator B's choices: the form comes back with an error.
    Row(
        "/en/coordinator/coordinators/invite/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=OK),
        {"full_name": "Ian Invitee", "email": "ian@example.org", "area": "{area_a}"},
    ),
    Row(
        "/en/coordinator/coordinators/invitations/{invitation_a}/cancel/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row(
        "/en/coordinator/coordinators/invitations/{invitation_a}/cancel/",
        "GET",
        expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN),
    ),
    Row(
        "/en/coordinator/coordinators/{membership_a}/remove/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row(
        "/en/coordinator/coordinators/{membership_a}/remove/",
        "GET",
        expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN),
    ),
    # The food-safety course. The cook has one passed attempt (with its certificate) and one open.
    Row("/en/training/", "GET", COOK_PAGE),
    Row("/ja/training/", "GET", COOK_PAGE),
    Row("/en/training/lessons/{lesson_slug}/", "GET", COOK_PAGE),
    Row("/en/training/lessons/{lesson_slug}/", "POST", COOK_REDIRECT),  # on to the next lesson
    Row("/en/training/lessons/no-such-lesson/", "GET", COOK_NOT_FOUND),
    Row("/en/training/quiz/start/", "GET", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/training/quiz/start/", "POST", COOK_REDIRECT),  # to the open attempt
    Row("/en/training/quiz/{open_attempt}/", "GET", COOK_PAGE),
    Row("/en/training/quiz/{open_attempt}/", "POST", COOK_PAGE),  # no answers: the form with errors
    Row("/en/training/quiz/{passed_attempt}/", "GET", COOK_REDIRECT),  # finished: to its result
    Row("/en/training/quiz/{passed_attempt}/", "POST", COOK_REDIRECT, {"score": "0"}),
    Row("/en/training/quiz/987654/", "GET", COOK_NOT_FOUND),
    Row("/en/training/quiz/{passed_attempt}/result/", "GET", COOK_PAGE),
    Row("/en/training/quiz/{open_attempt}/result/", "GET", COOK_REDIRECT),  # not finished: to the quiz
    Row("/en/training/quiz/987654/result/", "GET", COOK_NOT_FOUND),
    Row("/en/training/certificates/{certificate}/", "GET", COOK_PAGE),
    Row("/en/training/certificates/987654/", "GET", COOK_NOT_FOUND),
    # Checking a certificate is public; it shows only first name, course and validity.
    Row("/en/certificates/check/", "GET", PUBLIC),
    Row("/en/certificates/check/", "POST", PUBLIC, {"code": "{certificate_code}"}),
    Row("/ja/certificates/check/", "GET", PUBLIC),
    Row("/en/coordinator/training/", "GET", COORDINATOR_PAGE),  # coordinator B sees area B's cooks (none)
    # Cook onboarding, the cook's side. The matrix cook has a profile and a photo waiting for review;
    # Stripe is not configured in tests (its route is hidden: 404).
    Row("/en/account/cook/", "GET", COOK_PAGE),
    Row("/ja/account/cook/", "GET", COOK_PAGE),
    Row("/en/account/cook/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/account/cook/profile/", "GET", COOK_PAGE),
    Row("/en/account/cook/profile/", "POST", COOK_PAGE, {"full_name": ""}),  # the form with errors
    # A cook with a live match who moves to another area gets the form back with the refusal.
    Row(
        "/en/account/cook/profile/",
        "POST",
        COOK_PAGE,
        {
            "full_name": "Cathy Cook",
            "phone": "+442071234567",
            "country": "GB",
            "address_line1": "3 Church Street",
            "town": "London",
            "postcode": "N16 0AA",
            "travel_distance": "1.5",
            "frequency": "weekly",
            "cooking_likes": "Stews",
        },
    ),
    Row("/en/account/cook/identity/", "GET", COOK_PAGE),
    Row("/en/account/cook/identity/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/account/cook/identity/photo/", "GET", COOK_REDIRECT),  # a check is waiting: back to the identity page
    Row("/en/account/cook/identity/photo/", "POST", COOK_REDIRECT),
    Row("/en/account/cook/identity/stripe/", "GET", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/account/cook/identity/stripe/", "POST", COOK_NOT_FOUND),
    Row("/en/account/cook/identity/stripe/return/", "GET", COOK_PAGE),
    Row("/en/account/cook/identity/stripe/return/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    # Stripe's webhook: the signature is the key, not a session. Unsigned → 400 for everyone.
    Row("/stripe/webhook/", "POST", expect(400)),
    Row("/stripe/webhook/", "GET", expect(NOT_ALLOWED)),
    # Cook onboarding, the coordinator's side: area A's cook is unknown (404) to coordinator B.
    Row("/en/coordinator/identity/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/identity/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/cooks/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/cooks/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/cooks/{cook_pk}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_b}/", "GET", AREA_B_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/close/", "GET", AREA_A_PAGE),
    Row("/ja/coordinator/cooks/{cook_pk}/close/", "GET", AREA_A_PAGE),
    # Not confirmed: the form again (a confirmed close is tests/meals/rights/test_closing.py's).
    Row("/en/coordinator/cooks/{cook_pk}/close/", "POST", AREA_A_PAGE, {"channel": "phone"}),
    Row("/en/coordinator/cooks/{cook_pk}/identity/{identity_check}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/identity/987654/", "GET", AREA_A_NOT_FOUND),
    # Rejecting without a reason: the form with its error.
    Row(
        "/en/coordinator/cooks/{cook_pk}/identity/{identity_check}/",
        "POST",
        AREA_A_PAGE,
        {"decision": "reject", "reason": ""},
    ),
    # Approving: the decision is rolled back after each persona, photo included (deleted on commit).
    Row(
        "/en/coordinator/cooks/{cook_pk}/identity/{identity_check}/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
        {"decision": "approve"},
    ),
    Row("/en/coordinator/cooks/{cook_pk}/identity/{identity_check}/photo/", "GET", AREA_A_PAGE),
    Row(
        "/en/coordinator/cooks/{cook_pk}/identity/{identity_check}/photo/",
        "POST",
        expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN),
    ),
    Row("/en/coordinator/cooks/{cook_pk}/identity/in-person/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/identity/in-person/", "POST", AREA_A_PAGE, {"document_type": "passport"}),
    Row("/en/coordinator/cooks/{cook_pk}/location/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/location/", "POST", AREA_A_PAGE, {"latitude": "91"}),
    # A cook's new address waiting for a coordinator (issue 11, item 2): decided by a POST from the cook's page.
    Row(
        "/en/coordinator/cooks/{moved_cook}/moves/{cook_move}/",
        "GET",
        expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN),
    ),
    Row(
        "/en/coordinator/cooks/{moved_cook}/moves/{cook_move}/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
        {"decision": "confirm"},
    ),
    Row(
        "/en/coordinator/cooks/{cook_b}/moves/{cook_move_b}/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_a=NOT_FOUND),
        {"decision": "decline"},
    ),
    # Another cook's move under the cook's id: as if it did not exist.
    Row(
        "/en/coordinator/cooks/{cook_pk}/moves/{cook_move}/",
        "POST",
        AREA_A_NOT_FOUND,
        {"decision": "confirm"},
    ),
    Row(
        "/en/coordinator/cooks/{cook_pk}/approve/",
        "GET",
        expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN),
    ),
    # The gate refuses (no certificate, identity waiting): back to the cook's page with the reasons.
    Row(
        "/en/coordinator/cooks/{cook_pk}/approve/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row("/en/coordinator/cooks/{cook_pk}/suspend/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/suspend/", "POST", AREA_A_PAGE, {"reason": ""}),
    Row("/en/coordinator/cooks/{cook_pk}/reactivate/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/reactivate/", "POST", AREA_A_PAGE, {"reason": ""}),
    # Asking for meals: anyone may (a diner needs no account). Without a draft the pages send you to
    # the start; the referrer's request is in area A and accepted, so they act for its diner.
    Row("/en/request/", "GET", PUBLIC),
    Row("/ja/request/", "GET", PUBLIC),
    Row("/en/request/", "POST", expect(FOUND)),  # a draft is started: on to the first question
    Row("/en/request/name/", "GET", expect(FOUND)),
    Row("/en/request/name/", "POST", expect(FOUND), {"full_name": "X"}),
    Row("/en/request/not-a-step/", "GET", expect(NOT_FOUND)),
    Row("/en/request/check/", "GET", expect(FOUND)),
    Row("/en/request/check/", "POST", expect(FOUND), {"submission_key": "00000000-0000-0000-0000-000000000000"}),
    Row("/en/request/not-in-area/", "GET", expect(FOUND)),
    Row("/en/request/not-in-area/", "POST", expect(FOUND), {"name": "X", "contact": "x@example.org"}),
    Row("/en/request/sent/{referral_a}/", "GET", expect(NOT_FOUND, referrer=OK)),
    Row("/en/referrals/{referral_a}/", "GET", expect(NOT_FOUND, anonymous=FOUND, referrer=OK)),
    Row("/en/referrals/{referral_a}/answer/", "POST", expect(NOT_FOUND, anonymous=FOUND, referrer=FOUND)),
    Row("/en/referrals/{referral_a}/answer/", "GET", expect(NOT_ALLOWED, anonymous=FOUND)),
    # A referrer acting for a diner: only within the scope a coordinator gave; nobody else knows the diner.
    Row("/en/diners/", "GET", SIGNED_IN_ONLY),
    Row("/ja/diners/", "GET", SIGNED_IN_ONLY),
    Row("/en/diners/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row("/en/diners/{diner_a}/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_a}/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row("/en/diners/987654/", "GET", expect(NOT_FOUND, anonymous=FOUND)),
    Row("/en/diners/{diner_a}/edit/likes/", "GET", PROXY_PAGE),
    Row(
        "/en/diners/{diner_a}/edit/likes/",
        "POST",
        expect(NOT_FOUND, anonymous=FOUND, referrer=FOUND),
        {"likes": "Soup", "dislikes": ""},
    ),
    Row("/en/diners/{diner_a}/edit/consent/", "GET", expect(NOT_FOUND, anonymous=FOUND)),
    Row("/en/diners/{diner_schedule_only}/edit/likes/", "GET", expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN)),
    Row("/en/diners/{diner_a}/schedule/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_a}/schedule/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row("/en/diners/{diner_a}/card/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_a}/card/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    # A copy of what we hold about the diner: only with the scope that shows their full record.
    Row("/en/diners/{diner_a}/data-copy/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_a}/data-copy/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row("/en/diners/{diner_a}/data-copy/download/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_schedule_only}/data-copy/", "GET", expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN)),
    Row(
        "/en/diners/{diner_schedule_only}/data-copy/download/",
        "GET",
        expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN),
    ),
    # A copy of what we hold about oneself, from one's account.
    Row("/en/my-data/", "GET", SIGNED_IN_ONLY),
    Row("/ja/my-data/", "GET", SIGNED_IN_ONLY),
    Row("/en/my-data/", "POST", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row("/en/my-data/download/", "GET", SIGNED_IN_ONLY),
    # Closing one's own account (a coordinator is told to ask an administrator); the page after it is public.
    Row("/en/my-account/close/", "GET", SIGNED_IN_ONLY),
    Row("/ja/my-account/close/", "GET", SIGNED_IN_ONLY),
    Row("/en/my-account/close/", "POST", SIGNED_IN_ONLY, {"reason": ""}),  # not confirmed: the form again
    Row("/en/my-account/closed/", "GET", PUBLIC),
    Row("/en/my-account/closed/", "POST", expect(NOT_ALLOWED)),
    # Coordinators: triage, the diner's record, assisted digital.
    Row("/en/coordinator/referrals/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/referrals/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/referrals/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/referrals/new/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/referrals/new/", "POST", expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)),
    Row("/en/coordinator/referrals/{referral_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/referrals/{referral_a}/", "POST", AREA_A_PAGE, {"decision": "decline"}),
    Row("/en/coordinator/referrals/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/", "GET", COORDINATOR_PAGE),
    # A name search is posted, kept in the session and shown at an address without the name.
    Row("/en/coordinator/diners/", "POST", expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN), {"q": "Edith"}),
    Row("/en/coordinator/diners/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/diners/{diner_a}/edit/name/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/edit/name/", "POST", AREA_A_PAGE, {"full_name": ""}),
    Row("/en/coordinator/diners/{diner_a}/edit/relationship/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_a}/consent/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/consent/", "POST", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/status/pause/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/status/pause/", "POST", AREA_A_PAGE, {"reason": ""}),
    Row("/en/coordinator/diners/{diner_a}/status/delete/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_a}/location/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/location/", "POST", AREA_A_PAGE, {"latitude": ""}),
    Row("/en/coordinator/diners/{diner_a}/card/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/card/", "POST", COORDINATOR_NOT_ALLOWED),
    # A copy of what we hold about a diner or a cook of the coordinator's area.
    Row("/en/coordinator/diners/{diner_a}/data-copy/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/data-copy/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/diners/{diner_a}/data-copy/download/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/data-copy/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/cooks/{cook_pk}/data-copy/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/cooks/{cook_pk}/data-copy/download/", "GET", AREA_A_PAGE),
    # A diner's consents and erasure requests (meals.rights): their area's coordinators only. Carrying out a
    # request is a POST; one that does not exist is the same 404 as another area's.
    Row("/en/coordinator/diners/{diner_a}/consents/", "GET", AREA_A_PAGE),
    Row("/ja/coordinator/diners/{diner_a}/consents/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/consents/", "POST", AREA_A_PAGE, {"action": "withdraw"}),
    Row("/en/coordinator/diners/{diner_a}/erasure/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/erasure/", "POST", AREA_A_PAGE, {"channel": "phone"}),
    Row("/en/coordinator/diners/{diner_a}/erasure/987654/carry-out/", "POST", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_a}/erasure/987654/carry-out/", "GET", COORDINATOR_NOT_ALLOWED),
    Row(
        "/en/coordinator/diners/{diner_a}/proxies/{proxy_a}/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
        {"can_view_schedule": "on"},
    ),
    Row("/en/coordinator/diners/{diner_a}/proxies/{proxy_a}/", "GET", COORDINATOR_NOT_ALLOWED),
    Row(
        "/en/coordinator/diners/{diner_a}/proxies/{proxy_a}/revoke/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row("/en/coordinator/diners/{diner_a}/proxies/{proxy_a}/revoke/", "GET", COORDINATOR_NOT_ALLOWED),
    # Matching, the cook's side. The matrix cook is not active (not approved yet): the list
    # explains why, offering sends them back to it. They have an approved match (made directly) with the
    # schedule-only diner; another, active cook has offered for area A's diner.
    Row("/en/cook/diners/", "GET", COOK_PAGE),
    Row("/ja/cook/diners/", "GET", COOK_PAGE),
    Row("/en/cook/diners/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/cook/diners/{diner_a}/offer/", "GET", COOK_REDIRECT),
    Row("/en/cook/diners/{diner_a}/offer/", "POST", COOK_REDIRECT, {"message": ""}),
    Row("/en/cook/matches/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{cook_match_a}/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{offer_a}/", "GET", COOK_NOT_FOUND),  # another cook's offer
    Row("/en/cook/matches/{cook_match_a}/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/cook/matches/{cook_match_a}/withdraw/", "GET", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/cook/matches/{cook_match_a}/withdraw/", "POST", COOK_REDIRECT),  # approved: refused with a message
    Row("/en/cook/matches/{cook_match_a}/change/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{cook_match_a}/change/", "POST", COOK_PAGE),  # the form with its errors
    Row("/en/diners/{diner_schedule_only}/matches/{cook_match_a}/change/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_schedule_only}/matches/{cook_match_a}/change/", "POST", PROXY_PAGE),
    # Matching, the coordinator's side.
    Row("/en/coordinator/offers/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/offers/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/offers/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/matches/{offer_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/matches/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/matches/{offer_a}/", "POST", AREA_A_PAGE, {"action": "decline", "reason": ""}),
    Row("/en/coordinator/matches/{offer_a}/", "POST", AREA_A_REDIRECT, {"action": "approve"}),
    Row("/en/coordinator/matches/{offer_a}/introduction/", "GET", AREA_A_REDIRECT),  # not approved yet
    Row("/en/coordinator/matches/{cook_match_a}/introduction/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/matches/{cook_match_a}/introduction/", "POST", AREA_A_PAGE, {"method": ""}),
    Row("/en/coordinator/matches/{cook_match_a}/status/end/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/matches/{cook_match_a}/status/end/", "POST", AREA_A_PAGE, {"reason": ""}),
    Row("/en/coordinator/matches/{offer_a}/status/end/", "GET", AREA_A_REDIRECT),  # an offer cannot be ended
    Row("/en/coordinator/matches/{cook_match_a}/status/delete/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_a}/second-cook/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/second-cook/", "POST", AREA_A_PAGE, {"cook": "987654"}),
    # "Please call me" (meals.callbacks): anyone may ask, with no account. Without a request sent from this
    # session the confirmation sends you back to the form. Areas A and B each have a call-back waiting.
    Row("/en/call-me/", "GET", PUBLIC),
    Row("/ja/call-me/", "GET", PUBLIC),
    Row("/en/call-me/", "POST", PUBLIC, {"name": ""}),  # the form with its errors
    Row("/en/call-me/sent/", "GET", expect(FOUND)),
    Row("/en/call-me/sent/", "POST", expect(NOT_ALLOWED)),
    Row("/en/call-me/no-club/", "GET", PUBLIC),
    Row("/en/call-me/no-club/", "POST", expect(NOT_ALLOWED)),
    Row("/en/coordinator/call-backs/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/call-backs/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/call-backs/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/call-backs/{callback_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/call-backs/{callback_a}/", "POST", AREA_A_PAGE, {"outcome": ""}),  # with its error
    Row("/en/coordinator/call-backs/{callback_a}/", "POST", AREA_A_REDIRECT, {"outcome": "not_needed"}),
    Row("/en/coordinator/call-backs/{callback_b}/", "GET", AREA_B_PAGE),
    Row(
        "/en/coordinator/call-backs/{callback_b}/",
        "POST",
        expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_a=NOT_FOUND),
        {"outcome": "unreachable"},
    ),
    Row("/en/coordinator/call-backs/987654/", "GET", AREA_A_NOT_FOUND),
    # Meals (meals.schedule). The matrix cook (not active yet, so they cannot plan new meals: the page says
    # why) has an active match with Mae, for whom the referrer may see the schedule, confirm meals and
    # change details; one meal is planned, one the cook called off waits for cover, and another cook of
    # Mae's brings a meal the matrix cook must not see.
    Row("/en/cook/meals/", "GET", COOK_PAGE),
    Row("/ja/cook/meals/", "GET", COOK_PAGE),
    Row("/en/cook/meals/", "POST", expect(FORBIDDEN, anonymous=FOUND, cook=NOT_ALLOWED)),
    Row("/en/cook/meals/{meal_a}/", "GET", COOK_PAGE),
    Row("/en/cook/meals/{meal_other}/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/meals/987654/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/matches/{meal_match_a}/meals/new/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{meal_match_a}/meals/new/", "POST", COOK_PAGE, {"dish": ""}),
    Row("/en/cook/matches/{offer_a}/meals/new/", "GET", COOK_NOT_FOUND),  # another cook's match
    Row("/en/cook/meals/{meal_a}/change/", "GET", COOK_PAGE),
    Row("/en/cook/meals/{meal_a}/change/", "POST", COOK_PAGE, {"dish": ""}),
    Row("/en/cook/meals/{meal_other}/change/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/meals/{meal_a}/cancel/", "GET", COOK_PAGE),
    Row("/en/cook/meals/{meal_a}/cancel/", "POST", COOK_PAGE, {"reason": ""}),
    Row("/en/cook/meals/{meal_other}/cancel/", "POST", COOK_NOT_FOUND, {"reason": "cook_cannot"}),
    Row("/en/cook/series/{series_a}/change/", "GET", COOK_PAGE),
    Row("/en/cook/series/{series_a}/change/", "POST", COOK_PAGE, {"dish": ""}),
    Row("/en/cook/series/{series_a}/end/", "GET", COOK_PAGE),
    Row("/en/cook/series/{series_a}/end/", "POST", COOK_REDIRECT),
    Row("/en/cook/series/{series_other}/end/", "POST", COOK_NOT_FOUND),
    Row("/en/cook/meals/{meal_a}/label/", "GET", COOK_PAGE),
    Row("/ja/cook/meals/{meal_a}/label/", "GET", COOK_PAGE),
    Row("/en/cook/meals/{meal_other}/label/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/calendar/", "GET", COOK_PAGE),
    Row("/en/cook/calendar/", "POST", COOK_REDIRECT),  # a new address
    # The calendar feed needs no sign-in: its long random address is the key.
    Row("/en/calendar/{calendar_token}.ics", "GET", PUBLIC),
    Row("/en/calendar/not-a-token-anyone-has.ics", "GET", expect(NOT_FOUND)),
    Row("/en/calendar/{calendar_token}.ics", "POST", expect(NOT_ALLOWED)),
    # The diner's side.
    Row(
        "/en/diners/{diner_meals}/meals/{meal_a}/decide/",
        "POST",
        expect(NOT_FOUND, anonymous=FOUND, referrer=FOUND),
        {"decision": "confirm"},
    ),
    Row("/en/diners/{diner_meals}/meals/{meal_a}/decide/", "GET", expect(NOT_ALLOWED, anonymous=FOUND)),
    Row(
        "/en/diners/{diner_schedule_only}/meals/{meal_a}/decide/",
        "POST",
        expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN),
        {"decision": "confirm"},
    ),
    Row("/en/diners/{diner_meals}/preferences/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_meals}/preferences/", "POST", PROXY_PAGE, {"best_time": ""}),
    Row("/en/diners/{diner_schedule_only}/preferences/", "GET", expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN)),
    Row("/en/diners/{diner_meals}/reminders/", "GET", PROXY_PAGE),
    Row(
        "/en/diners/{diner_meals}/reminders/", "POST", expect(NOT_FOUND, anonymous=FOUND, referrer=FOUND), {"on": "yes"}
    ),
    # The coordinator's side.
    Row("/en/coordinator/meals/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/meals/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/meals/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/meals/{meal_cover_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/meals/{meal_cover_a}/", "POST", AREA_A_PAGE, {"action": "cover", "cook": "987654"}),
    Row("/en/coordinator/meals/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/diners/{diner_meals}/meals/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_meals}/meals/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/diners/{diner_meals}/preferences/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_meals}/preferences/", "POST", AREA_A_PAGE, {"best_time": ""}),
    # The relationship log (meals.relationships), on Mae's match: a past meal with its visit record (no answer
    # at the door: a door case), a past meal not recorded yet, a concern and a watch-report recipient.
    # Mae's referrer may not give feedback (403).
    Row("/en/cook/meals/{meal_unrecorded}/visit/", "GET", COOK_PAGE),
    Row("/en/cook/meals/{meal_unrecorded}/visit/", "POST", COOK_PAGE, {"outcome": ""}),
    Row("/en/cook/meals/{meal_visited}/visit/", "GET", COOK_PAGE),  # what was recorded
    Row("/en/cook/meals/{meal_other}/visit/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/visits/{visit_a}/no-answer/", "GET", COOK_PAGE),
    Row("/en/cook/visits/{visit_a}/concern/", "GET", COOK_PAGE),
    Row("/en/cook/visits/{visit_a}/concern/", "POST", COOK_PAGE, {"level": ""}),
    Row("/en/cook/matches/{meal_match_a}/feedback/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{meal_match_a}/feedback/", "POST", COOK_PAGE, {"enjoyed": "maybe"}),
    Row("/en/cook/matches/{offer_a}/feedback/", "GET", COOK_NOT_FOUND),
    Row("/en/cook/matches/{meal_match_a}/timeline/", "GET", COOK_PAGE),
    Row("/en/cook/matches/{offer_a}/timeline/", "GET", COOK_NOT_FOUND),
    Row("/en/diners/{diner_meals}/concerns/new/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_meals}/concerns/new/", "POST", PROXY_PAGE, {"level": ""}),
    Row(
        "/en/diners/{diner_meals}/matches/{meal_match_a}/feedback/",
        "GET",
        expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN),
    ),
    Row("/en/diners/{diner_meals}/matches/{meal_match_a}/timeline/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_meals}/watch/", "GET", PROXY_PAGE),
    Row("/en/diners/{diner_schedule_only}/watch/", "GET", expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN)),
    Row("/en/coordinator/door-cases/{door_case_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/door-cases/{door_case_a}/", "POST", AREA_A_PAGE, {"action": "close", "outcome": ""}),
    Row("/en/coordinator/door-cases/987654/", "GET", AREA_A_NOT_FOUND),
    Row("/en/coordinator/concerns/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/concerns/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/concerns/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/concerns/{concern_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/concerns/{concern_a}/", "POST", AREA_A_PAGE, {"action": "close", "notes": ""}),
    Row("/en/coordinator/diners/{diner_meals}/concerns/new/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_meals}/concerns/new/", "POST", AREA_A_PAGE, {"level": ""}),
    Row("/en/coordinator/diners/{diner_meals}/watch/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_meals}/watch/", "POST", AREA_A_PAGE, {"name": ""}),
    Row("/en/coordinator/diners/{diner_meals}/watch/{watch_a}/stop/", "POST", AREA_A_REDIRECT),
    Row("/en/coordinator/diners/{diner_meals}/watch/{watch_a}/stop/", "GET", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/matches/{meal_match_a}/feedback/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/matches/{meal_match_a}/feedback/", "POST", AREA_A_PAGE, {"enjoyed": "maybe"}),
    Row("/en/coordinator/diners/{diner_meals}/loneliness/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_meals}/loneliness/", "POST", AREA_A_PAGE, {"action": "consent"}),
    Row("/en/coordinator/matches/{meal_match_a}/timeline/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/matches/{meal_match_a}/timeline/", "POST", AREA_A_PAGE, {"text": ""}),
    # The directory of other support and onward referrals (issue 16): an area's entries are its coordinators';
    # a national entry is seen by every coordinator of its country (area B is in Japan) and changed by an admin.
    Row("/en/coordinator/support/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/support/?q=lunch&category=company", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/support/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/support/?diner={diner_a}", "GET", AREA_A_PAGE),
    Row("/en/coordinator/support/new/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/support/new/", "POST", COORDINATOR_PAGE, {"name": ""}),  # the form with its errors
    Row("/en/coordinator/support/{support_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/support/{support_a}/", "POST", AREA_A_PAGE, {"name": ""}),
    Row("/en/coordinator/support/987654/", "GET", AREA_A_NOT_FOUND),
    Row(
        "/en/coordinator/support/{support_national}/",
        "GET",
        expect(FORBIDDEN, anonymous=FOUND, coordinator_b=NOT_FOUND, admin_user=OK),
    ),
    Row("/en/coordinator/diners/{diner_a}/support/{support_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/diners/{diner_a}/support/{support_a}/", "POST", AREA_A_PAGE, {"kind": ""}),
    Row("/en/coordinator/onward-referrals/{onward_referral_a}/", "GET", AREA_A_PAGE),
    Row("/en/coordinator/onward-referrals/{onward_referral_a}/", "POST", AREA_A_PAGE, {"outcome": ""}),
    # The coordinator's workspace and the club's impact (issue 14): their own areas only.
    Row("/en/coordinator/waiting/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/waiting/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/waiting/", "POST", COORDINATOR_NOT_ALLOWED),
    Row(
        "/en/coordinator/waiting/?area={area_a}",
        "GET",
        expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row("/en/coordinator/search/", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/search/", "POST", expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN), {"q": "Mae"}),
    Row("/en/coordinator/impact/", "GET", COORDINATOR_PAGE),
    Row("/ja/coordinator/impact/", "GET", COORDINATOR_PAGE),
    Row(
        "/en/coordinator/impact/?area={area_a}",
        "GET",
        expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND),
    ),
    Row("/en/coordinator/impact/", "POST", COORDINATOR_NOT_ALLOWED),
    Row("/en/coordinator/impact/figures.csv", "GET", COORDINATOR_PAGE),
    Row("/en/coordinator/impact/matches.csv", "GET", COORDINATOR_PAGE),
    # Ids no table can hold: these used to reach the database and crash (a 500).
    Row("/en/diners/99999999999999999999/", "GET", OUT_OF_RANGE),
    Row("/en/diners/9223372036854775808/schedule/", "GET", OUT_OF_RANGE),
    Row("/en/coordinator/diners/9223372036854775808/card/", "GET", OUT_OF_RANGE),
    Row("/en/coordinator/cooks/99999999999999999999/location/", "GET", OUT_OF_RANGE),
    Row("/en/cook/diners/99999999999999999999/offer/", "GET", OUT_OF_RANGE),
    Row("/en/training/certificates/0/", "GET", OUT_OF_RANGE),
    # The admin's own pages. Our admin site sends its sign-in page to ours.
    Row("/admin/", "GET", STAFF_ONLY),
    Row("/admin/login/", "GET", expect(FOUND)),
    Row("/admin/logout/", "POST", expect(FOUND)),  # staff are signed out and sent home, the rest to sign-in
    Row("/admin/password_change/", "GET", STAFF_ONLY),
    Row("/admin/password_change/done/", "GET", STAFF_ONLY),
    Row("/admin/autocomplete/", "GET", expect(FOUND, admin_user=FORBIDDEN)),  # needs a field to complete
    Row("/admin/jsi18n/", "GET", STAFF_ONLY),
    Row("/admin/r/{user_content_type}/{cook_pk}/", "GET", expect(FOUND, admin_user=NOT_FOUND)),  # no public URL
    Row("/admin/accounts/", "GET", STAFF_ONLY),
    Row("/admin/no-such-page/", "GET", expect(FOUND, admin_user=NOT_FOUND)),
    Row("/admin/accounts/user/{cook_pk}/change/", "GET", STAFF_ONLY),
    Row("/admin/accounts/user/{cook_pk}/change/", "POST", STAFF_ONLY, {"email": ""}),
    Row("/admin/accounts/user/{cook_pk}/delete/", "GET", STAFF_ONLY),
    # Nobody, not even an admin, may read someone's authenticator key (they could clone it).
    Row("/admin/otp_totp/totpdevice/{totp_device}/config/", "GET", expect(FOUND, admin_user=FORBIDDEN)),
    Row("/admin/otp_totp/totpdevice/{totp_device}/qrcode/", "GET", expect(FOUND, admin_user=FORBIDDEN)),
]
# Every model in the admin: its list page is staff only. (Its other pages sit behind the same check,
# admin_view, which the rows above exercise.)
ROWS += [
    Row(f"/admin/{model._meta.app_label}/{model._meta.model_name}/", "GET", STAFF_ONLY)
    for model in admin.site._registry
]


# Objects and personas ------------------------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Client]  # one signed-in client per persona, reused by every row
    users: dict[str, User | None]
    objects: dict[str, str]  # the {placeholders} in Row.path and Row.data


@pytest.fixture(scope="module")
def module_private_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-private")


def _private_storages(location) -> dict:
    private = settings.STORAGES["private"]
    return {**settings.STORAGES, "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": str(location)}}}


@pytest.fixture(autouse=True)
def private_dir(settings, module_private_dir):
    """The world's identity photo was stored once for the module: every test reads that folder."""
    settings.STORAGES = _private_storages(module_private_dir)
    return module_private_dir


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, module_private_dir):
    """The personas and area A's objects, made once for this module inside a transaction that is
    rolled back when the module ends (each test still runs in its own savepoint)."""
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hasher, STORAGES=_private_storages(module_private_dir)),
        transaction.atomic(),
    ):
        area_a, area_b = make_area_a(), make_area_b()
        users = {
            "anonymous": None,
            "referrer": make_referrer(area_a),
            "cook": make_cook(area_a),
            "coordinator_a": make_coordinator_a(area_a),
            "coordinator_b": make_coordinator_b(area_b),
            "admin_user": make_admin_user(),
        }
        yield World(
            clients={name: client_for(user) for name, user in users.items()},
            users=users,
            objects={**_objects_in_area_a(area_a, users), **_objects_in_area_b(area_b)},
        )
        transaction.set_rollback(True)


def _objects_in_area_a(area_a, users) -> dict[str, str]:
    """An open invitation, another coordinator's membership, an unconfirmed email address, a
    password-reset link, and the course with the cook's passed attempt, certificate and open attempt."""
    token = "matrix-invitation-token"
    invitation = Invitation.objects.create(
        email="invited@example.org",
        full_name="Ivy Invited",
        area=area_a,
        invited_by=users["coordinator_a"],
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    other = CoordinatorFactory(full_name="Olive Other", email="coord-a2@example.org", areas=[area_a])
    newcomer = UserFactory(email="newcomer@example.org")
    EmailAddress.objects.filter(user=newcomer).update(verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    course = load_course(version="v1")
    for lesson in course.lessons.all():
        complete_lesson(user=users["cook"], lesson=lesson)
    passed_attempt = start_attempt(user=users["cook"], course=course)
    right = {item.pk: item.question.answer for item in passed_attempt.items.select_related("question")}
    submit_attempt(user=users["cook"], attempt=passed_attempt, answers=right)
    open_attempt = start_attempt(user=users["cook"], course=course)
    # Onboarding: the cook has a profile and a photo of their passport waiting for area A's coordinators.
    cover_e8(area_a)
    make_profile(users["cook"])
    identity_check = photo_check(users["cook"])
    # A request for meals from the referrer, accepted: they act for its diner (schedule and details),
    # and a second diner for whom they may only see the schedule.
    referral = submit(by=users["referrer"])
    accept_referral(
        by=users["coordinator_a"],
        referral=referral,
        scopes={"can_view_schedule": True, "can_edit_details": True},
    )
    schedule_only = submit(by=users["referrer"], full_name="Sid Schedule", preferred_name="Sid")
    accept_referral(by=users["coordinator_a"], referral=schedule_only, scopes={"can_view_schedule": True})
    # Matching: an active cook has offered for area A's diner; the matrix cook (not active) has an
    # approved match, made directly, with the schedule-only diner.
    matched_cook = UserFactory(full_name="Mo Matched", email="cook-matched@example.org", is_cook=True, home_area=area_a)
    make_active_cook(matched_cook, coordinator=users["coordinator_a"], course=course)
    offer = offer_to_cook(cook=matched_cook, diner=referral.diner)
    cook_match = MatchFactory(
        diner=schedule_only.diner, cook=users["cook"], status=Match.Status.APPROVED, decided_by=users["coordinator_a"]
    )
    move = waiting_move_for(matched_cook.cook_profile, address_line1="9 Wilton Way", postcode="E8 1BH")
    meals = _meals_in_area_a(users, matched_cook)
    return {
        **meals,
        **_support_in_area_a(area_a, users, referral.diner),
        "moved_cook": str(matched_cook.pk),
        "cook_move": str(move.pk),
        "offer_a": str(offer.pk),
        "cook_match_a": str(cook_match.pk),
        "referral_a": str(referral.pk),
        "diner_a": str(referral.diner_id),
        "proxy_a": str(ProxyAccess.objects.get(diner=referral.diner).pk),
        "diner_schedule_only": str(schedule_only.diner_id),
        "identity_check": str(identity_check.pk),
        "area_a": str(area_a.pk),
        "invitation_a": str(invitation.pk),
        "invitation_token": token,
        "membership_a": str(CoordinatorMembership.objects.get(user=other).pk),
        "email_key": EmailConfirmationHMAC(address).key,
        "cook_pk": str(users["cook"].pk),
        "callback_a": str(make_callback(area_a).pk),
        "totp_device": str(users["coordinator_a"].totpdevice_set.get().pk),
        "user_content_type": str(ContentType.objects.get_for_model(User).pk),
        "lesson_slug": course.lessons.order_by("order").first().slug,
        "passed_attempt": str(passed_attempt.pk),
        "open_attempt": str(open_attempt.pk),
        "certificate": str(passed_attempt.certificate.pk),
        "certificate_code": passed_attempt.certificate.code,
    }


def _meals_in_area_a(users, other_cook) -> dict[str, str]:
    """Mae, whose referrer may see, confirm and change: an active match with the matrix cook holding a
    planned meal, a called-off meal waiting for cover and a weekly series; and a second cook of hers with
    a meal and a series of their own. Made directly: the matrix cook is not active, so could not plan."""
    mae = submit(by=users["referrer"], full_name="Mae Meals", preferred_name="Mae")
    accept_referral(
        by=users["coordinator_a"],
        referral=mae,
        scopes={"can_view_schedule": True, "can_confirm_meals": True, "can_edit_details": True},
    )
    now = timezone.now()
    match = MatchFactory(
        diner=mae.diner, cook=users["cook"], status=Match.Status.ACTIVE, active_since=now - timedelta(days=7)
    )
    other = MatchFactory(
        diner=mae.diner, cook=other_cook, status=Match.Status.ACTIVE, additional=True, active_since=match.active_since
    )

    def meal(on, cook, days, **extra):
        start = now + timedelta(days=days)
        return Meal.objects.create(
            match=on, cook=cook, starts_at=start, ends_at=start + timedelta(hours=1), dish="Soup", **extra
        )

    def series(on):
        day = timezone.localdate() + timedelta(days=5)
        return MealSeries.objects.create(
            match=on,
            repeat="weekly",
            rule="FREQ=WEEKLY",
            starts_on=day,
            start_time=time(12),
            end_time=time(13),
            dish="Stew",
        )

    cancelled = {"status": Meal.Status.CANCELLED, "cancel_reason": Meal.CancelReason.COOK_CANNOT, "cancelled_at": now}
    visited, unrecorded = meal(match, users["cook"], -2), meal(match, users["cook"], -1)
    visit = Visit.objects.create(meal=visited, match=match, recorded_by=users["cook"], outcome=Visit.Outcome.NO_ANSWER)
    door_case = DoorCase.objects.create(visit=visit, diner=mae.diner)
    concern = Concern.objects.create(
        diner=mae.diner, match=match, level=Concern.Level.WORRIED, text="Seemed low", raised_by=users["referrer"]
    )
    watch = WatchRecipient.objects.create(
        diner=mae.diner, name="Wendy Watch", email="wendy@example.org", approved_channel="phone"
    )
    feed = CalendarFeed.objects.create(cook=users["cook"], token="matrix-calendar-token-0123456789abcdefghijklmnop")
    return {
        "diner_meals": str(mae.diner_id),
        "meal_match_a": str(match.pk),
        "meal_a": str(meal(match, users["cook"], 2).pk),
        "meal_cover_a": str(meal(match, users["cook"], 3, **cancelled).pk),
        "meal_other": str(meal(other, other_cook, 4).pk),
        "series_a": str(series(match).pk),
        "series_other": str(series(other).pk),
        "calendar_token": feed.token,
        "meal_visited": str(visited.pk),
        "meal_unrecorded": str(unrecorded.pk),
        "visit_a": str(visit.pk),
        "door_case_a": str(door_case.pk),
        "concern_a": str(concern.pk),
        "watch_a": str(watch.pk),
    }


def _support_in_area_a(area_a, users, diner) -> dict[str, str]:
    """An entry of area A's directory, a national one of the UK, and an onward referral of area A's diner."""
    entry = {"categories": "|company|", "suits": "|anyone|", "website": "https://example.org/"}
    local = SupportService.objects.create(area=area_a, country="GB", name="Lunch club", **entry)
    national = SupportService.objects.create(area=None, country="GB", name="A helpline", **entry)
    referral = OnwardReferral.objects.create(diner=diner, service=local, kind="told", made_by=users["coordinator_a"])
    return {"support_a": str(local.pk), "support_national": str(national.pk), "onward_referral_a": str(referral.pk)}


def _objects_in_area_b(area_b) -> dict[str, str]:
    """A cook of area B waiting for approval and a call-back waiting in area B: coordinator B's to look after."""
    profile = CookProfileFactory(user__email="cook-b@example.org", user__home_area=area_b)
    move = waiting_move_for(profile, country="JP", address_line1="世田谷1-2-3", postcode="154-0017")
    callback = make_callback(area_b, name="山田 花子", phone="+81334123456")
    return {"cook_b": str(profile.user_id), "cook_move_b": str(move.pk), "callback_b": str(callback.pk)}


def waiting_move_for(profile, **address) -> CookMove:
    return CookMove.objects.create(
        profile=profile, latitude=51.55, longitude=-0.06, location_source="offline", distance_km=2.0, **address
    )


def client_for(user, **options) -> Client:
    return Client(**options) if user is None else verified_client(user, **options)


def request_and_roll_back(client: Client, row: Row, objects: dict[str, str]):
    path = row.path.format(**objects)
    data = {k: v.format(**objects) for k, v in row.data.items()}
    # A request may flush or rotate the session (sign out): keep the cookies for the next row.
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    cache.clear()  # rate-limit counters live in the cache, which the rollback does not undo
    with transaction.atomic():
        response = client.get(path) if row.method == "GET" else client.post(path, data)
        transaction.set_rollback(True)
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return response


# The matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_access_matrix(row, world):
    actual = {
        name: request_and_roll_back(client, row, world.objects).status_code for name, client in world.clients.items()
    }

    unexpected_success = {
        name: status for name, status in actual.items() if 200 <= status < 300 and row.expected[name] != status
    }
    assert unexpected_success == {}, f"unexpected 2xx for {row.id}: {unexpected_success}"
    assert actual == row.expected


def test_another_areas_objects_look_exactly_like_missing_ones(world):
    """Coordinator B cannot tell an area A invitation or membership from an id that does not exist."""
    client, objects = world.clients["coordinator_b"], world.objects
    for template, key in (
        ("/coordinator/coordinators/invitations/{}/cancel/", "invitation_a"),
        ("/coordinator/coordinators/{}/remove/", "membership_a"),
    ):
        theirs_path, missing_path = template.format(objects[key]), template.format(987654)
        theirs = client.post("/en" + theirs_path)
        missing = client.post("/en" + missing_path)
        assert theirs.status_code == missing.status_code == NOT_FOUND
        # The pages differ only in the path they echo (in the language switch).
        assert page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")


def test_another_cooks_attempts_and_certificate_look_exactly_like_missing_ones(world):
    """A second cook cannot tell the first cook's attempt, result or certificate from an id that
    does not exist."""
    area_a = Area.objects.get(pk=world.objects["area_a"])
    other = UserFactory(full_name="Olga Othercook", email="cook-other@example.org", is_cook=True, home_area=area_a)
    client, objects = verified_client(other), world.objects
    for method, template, key in (
        ("get", "/training/quiz/{}/", "open_attempt"),
        ("post", "/training/quiz/{}/", "open_attempt"),
        ("get", "/training/quiz/{}/", "passed_attempt"),
        ("get", "/training/quiz/{}/result/", "passed_attempt"),
        ("get", "/training/certificates/{}/", "certificate"),
    ):
        theirs_path, missing_path = template.format(objects[key]), template.format(987654)
        theirs = getattr(client, method)("/en" + theirs_path)
        missing = getattr(client, method)("/en" + missing_path)
        assert theirs.status_code == missing.status_code == NOT_FOUND, (method, theirs_path)
        assert page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")
    # Nothing the second cook did touched the first cook's open attempt.
    assert Attempt.objects.get(pk=objects["open_attempt"]).submitted_at is None


def test_the_cook_reaches_their_own_attempts_and_certificate(world):
    client, objects = world.clients["cook"], world.objects
    certificate = client.get(f"/en/training/certificates/{objects['certificate']}/")
    assert certificate.status_code == OK
    assert objects["certificate_code"] in certificate.content.decode()
    result = client.get(f"/en/training/quiz/{objects['passed_attempt']}/")
    assert result["Location"] == f"/en/training/quiz/{objects['passed_attempt']}/result/"


def test_coordinator_a_can_act_on_area_a_objects(world):
    client, objects = world.clients["coordinator_a"], world.objects
    response = client.post(f"/en/coordinator/coordinators/invitations/{objects['invitation_a']}/cancel/")
    assert response.status_code == FOUND
    assert Invitation.objects.get(pk=objects["invitation_a"]).revoked_at is not None
    response = client.post(f"/en/coordinator/coordinators/{objects['membership_a']}/remove/")
    assert response.status_code == FOUND
    assert not CoordinatorMembership.objects.filter(pk=objects["membership_a"]).exists()


# Stripe's webhook is the one exception: Stripe sends no CSRF token; the signature protects it
# (tests/accounts/onboarding/test_stripe_identity.py proves it works with CSRF checks on and refuses bad signatures).
CSRF_EXEMPT = {"/stripe/webhook/"}
POST_ROWS = [row for row in ROWS if row.method == "POST" and row.path not in CSRF_EXEMPT]


@pytest.mark.parametrize("row", POST_ROWS, ids=[row.id for row in POST_ROWS])
def test_posts_without_a_csrf_token_are_refused(row, world, csrf_clients):
    actual = {
        name: request_and_roll_back(client, row, world.objects).status_code for name, client in csrf_clients.items()
    }
    assert actual == dict.fromkeys(PERSONAS, FORBIDDEN)


@pytest.fixture(scope="module")
def csrf_clients(world, django_db_blocker):
    with django_db_blocker.unblock():
        return {name: client_for(user, enforce_csrf_checks=True) for name, user in world.users.items()}


# The inventory -------------------------------------------------------------------------------------


def _all_routes(resolver=None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            routes += _all_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            # ResolverMatch.route drops the regex anchors "^"; match its spelling.
            routes.append((prefix + str(pattern.pattern)).replace("^", ""))
    return routes


def _admin_model_prefix(route: str) -> str | None:
    """`admin/<app>/<model>/…` patterns are one group per model; the admin's own pages are not."""
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(prefix):
            return prefix
    return None


def test_every_url_pattern_is_in_the_matrix(world):
    covered = set()
    for row in ROWS:
        if row.expected is OUT_OF_RANGE:
            continue  # matches no pattern, on purpose
        with translation.override("ja" if row.path.startswith("/ja/") else "en"):
            match = resolve(row.path.format(**world.objects).split("?")[0])
        covered.add(match.route)
        if prefix := _admin_model_prefix(match.route):
            covered.add(prefix)

    missing = [
        route
        for route in _all_routes()
        if route not in covered and (_admin_model_prefix(route) or route) not in covered
    ]
    assert missing == [], "URL patterns with no row in the access matrix:\n" + "\n".join(missing)


def test_every_admin_app_has_a_row():
    apps = {model._meta.app_label for model in admin.site._registry}
    with_rows = {row.path.split("/")[2] for row in ROWS if row.path.startswith("/admin/") and row.path.count("/") >= 4}
    assert apps - with_rows == set()


def test_signed_in_personas_have_passed_the_second_factor(world):
    for name in COORDINATORS:
        assert world.clients[name].get("/en/account/").status_code == OK
