"""Directory entries and onward referrals for the signposting tests, made through the services."""

import pytest

from meals.signposting import services
from meals.signposting.models import SupportService

LUNCH_CLUB = {
    "name": "Mare Street Lunch Club",
    "name_ja": "メアストリート・ランチクラブ",
    "description": "A hot lunch and a chat every Tuesday in the church hall.",
    "description_ja": "毎週火曜日、教会のホールで温かい昼食とおしゃべり。",
    "categories": ["company", "meals"],
    "suits": ["anyone"],
    "phone": "+442085331234",
    "address": "Church hall, Mare Street",
    "postcode": "E8 1DY",
    "website": "",
    "opening_hours": "Tuesdays 12 noon to 2pm",
    "opening_hours_ja": "火曜日 12時〜14時",
    "languages": "English",
    "cost": "donation",
    "cost_details": "",
    "needs_consent": False,
}
BEFRIENDING = {
    **LUNCH_CLUB,
    "name": "Whitechapel Befriending",
    "name_ja": "",
    "description": "A weekly phone call from a volunteer.",
    "description_ja": "",
    "categories": ["talk"],
    "suits": ["anyone", "carers"],
    "postcode": "E1 1BB",
    "address": "Whitechapel Road",
    "needs_consent": True,
}
BENEFITS = {
    **LUNCH_CLUB,
    "name": "Hackney Benefits Advice",
    "name_ja": "",
    "description": "Help to claim what you are owed.",
    "description_ja": "",
    "categories": ["money"],
    "suits": ["anyone"],
}


def add(by, area, values=None, **changes) -> SupportService:
    return services.add_service(by=by, area=area, values={**LUNCH_CLUB, **(values or {}), **changes})


@pytest.fixture
def lunch_club(coordinator_a, covered_area_a):
    return add(coordinator_a, covered_area_a)


@pytest.fixture
def helpline(admin_user, covered_area_a):
    """A national helpline of the UK, shared by every UK area (only an admin adds one)."""
    return services.add_service(
        by=admin_user,
        area=None,
        country="GB",
        values={
            **LUNCH_CLUB,
            "name": "The Silver Line",
            "name_ja": "シルバーライン",
            "description": "Free, confidential helpline for older people, open every day and night.",
            "description_ja": "高齢の方のための無料の電話相談。毎日24時間。",
            "categories": ["talk"],
            "suits": ["anyone"],
            "phone": "+448004708090",
            "address": "",
            "postcode": "",
            "website": "https://www.thesilverline.org.uk/",
            "needs_consent": False,
        },
    )
