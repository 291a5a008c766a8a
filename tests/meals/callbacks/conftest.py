"""Builders for call-back tests: what a person types, a request as the service receives it, a stored
call-back. Area A covers E8 (UK); area B, when a test asks for `covered_area_b`, covers 154 (Japan)."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from meals.callbacks.models import CallbackRequest
from meals.callbacks.services import CallbackDetails, form_started_token

# As typed on the English page: the meals are for someone else (a neighbour asks).
TYPED = {
    "for_whom": "someone_else",
    "diner_name": "Edith O’Brien",
    "diner_agrees": "on",
    "name": "Nina Neighbour",
    "phone": "020 7123 4567",
    "website": "",
    "postcode": "e81dy",
    "address": "12 Mare Street\nLondon",
    "best_time": "mornings",
    "best_time_note": "Not on Tuesdays",
    "consent": "on",
}
# As typed on the Japanese page, for oneself, with full-width digits and the long-vowel mark.
TYPED_JA = {
    "for_whom": "self",
    "name": "鈴木 トメ",
    "phone": "０３ー３４１２ー３４５６",
    "website": "",
    "postcode": "１５４ー０００４",
    "address": "",
    "best_time": "afternoons",
    "best_time_note": "",
    "consent": "on",
}


def human_started() -> str:
    """The start time a person's form carries: opened a minute ago."""
    return form_started_token(now=time.time() - 60)


def details(**changes) -> CallbackDetails:
    values = {
        "name": "Nina Neighbour",
        "phone": "+442071234567",
        "for_whom": CallbackRequest.ForWhom.SOMEONE_ELSE,
        "diner_name": "Edith O’Brien",
        "diner_agrees": True,
        "country": "GB",
        "postcode": "E8 1DY",
        "address": "12 Mare Street",
        "best_time": CallbackRequest.BestTime.MORNINGS,
        "best_time_note": "Not on Tuesdays",
        "language": "en",
        "consent": True,
    }
    return CallbackDetails(**{**values, **changes})


def post_request(ip: str = "203.0.113.5"):
    """The POST a visitor without an account sends, from `ip`."""
    request = RequestFactory().post("/en/call-me/", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def make_callback(area, **changes) -> CallbackRequest:
    values = {
        "name": "Nina Neighbour",
        "phone": "+442071234567",
        "for_whom": CallbackRequest.ForWhom.SOMEONE_ELSE,
        "diner_name": "Edith O’Brien",
        "country": area.country,
        "postcode": "E8 1DY" if area.country == "GB" else "154-0004",
        "address": "12 Mare Street",
        "best_time": CallbackRequest.BestTime.MORNINGS,
        "best_time_note": "Not on Tuesdays",
        "language": "en" if area.country == "GB" else "ja",
    }
    return CallbackRequest.objects.create(area=area, **{**values, **changes})


@pytest.fixture
def covered_area_b(area_b):
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    return area_b
