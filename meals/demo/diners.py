"""Demo diners for `manage.py load_demo`: requests in every state, made through the services as a
referrer or a coordinator would make them. Only with DEBUG on (the command checks); idempotent: a
diner is made only when none of that name exists in the area."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.people.models import User
from meals.diners import services as diners_services
from meals.diners.models import Diner, ProxyAccess
from meals.matching import services as matching
from meals.matching.models import Match
from meals.referrals import services
from meals.referrals.models import Referral
from meals.schedule import rules

NO_CONSENT_SHARING = []


@dataclass(frozen=True)
class DinerSpec:
    area: str  # slug
    state: str  # submitted | more_info | accepted | declined | paused | closed
    answers: dict
    by_phone: bool = False  # a coordinator took the call: no referrer account
    scopes: dict = field(default_factory=lambda: {"can_view_schedule": True})
    note: str = ""  # the coordinator's question or reason


def _answers(**values) -> dict:
    base = {
        "name_reading": "",
        "address_line2": "",
        "dislikes": "",
        "allergy_notes": "",
        "dietary_needs": "",
        "consent_given": True,
        "consent_method": "in_person",
        "consent_given_on": (date.today() - timedelta(days=5)).isoformat(),
        "share_with_cook": ["address", "phone", "access", "likes"],
        "concerns_to_referrer": True,
        "concerns_to_emergency_contact": True,
        "texture": "normal",
        "frequency": "weekly",
    }
    return {**base, **values}


def _hackney(**values) -> dict:
    return _answers(country="GB", town="London", preferred_language="en", **values)


def _setagaya(**values) -> dict:
    return _answers(country="JP", town="東京都世田谷区", preferred_language="ja", form_of_address="さん", **values)


DINERS = (
    DinerSpec(
        "hackney",
        "accepted",
        _hackney(
            relationship="family", full_name="Edith O'Brien", preferred_name="Edie", address_line1="12 Mare Street",
            postcode="E8 1DY", phone="+442071234123", access_notes="Key safe by the front door. Ring twice.",
            allergens=["peanuts", "sesame"], allergy_notes="Kiwi fruit", texture="soft", likes="Fish pie, custard",
            days=["tue", "thu"], emergency_name="Sarah Bennett", emergency_phone="+447911123456",
            emergency_relationship="Daughter",
        ),
        scopes={"can_view_schedule": True, "can_edit_details": True, "can_give_feedback": True},
    ),
    DinerSpec(
        "hackney",
        "submitted",
        _hackney(
            relationship="friend", full_name="Arthur Lewis", preferred_name="Arthur", address_line1="3 Clapton Square",
            postcode="E5 8HP", phone="+442071234456", access_notes="", allergens=[], likes="Roast dinners",
            days=["mon"], emergency_name="Jim Lewis", emergency_phone="+447911123457",
            emergency_relationship="Son", dietary_needs="Low salt",
        ),
    ),
    DinerSpec(
        "hackney",
        "more_info",
        _hackney(
            relationship="carer", full_name="Nguyễn Thị Lan", preferred_name="Lan",
            address_line1="40 Homerton High Street", postcode="E9 6AS", phone="+442071234789", access_notes="",
            allergens=["crustaceans"], likes="Pho, rice dishes",
            days=["wed", "sat"], emergency_name="Minh Nguyen", emergency_phone="+447911123458",
            emergency_relationship="Nephew",
        ),
        note="Could you tell us which floor Lan lives on, and whether there is a lift?",
    ),
    DinerSpec(
        "hackney",
        "accepted",
        _hackney(
            relationship="coordinator", referrer_name="George Harris (called himself)", full_name="George Harris",
            preferred_name="George", address_line1="5 Englefield Road", postcode="N1 4LH", phone="+442071234999",
            access_notes="Hard of hearing: knock loudly.", allergens=["milk"], texture="minced", likes="Soup",
            days=["fri"], emergency_name="Priya Patel", emergency_phone="+442071234998",
            emergency_relationship="Neighbour",
            consent_method="phone", concerns_to_referrer=False,
        ),
        by_phone=True,
    ),
    DinerSpec(
        "hackney",
        "declined",
        _hackney(
            relationship="friend", full_name="Doris Clarke", preferred_name="Doris",
            address_line1="7 Victoria Park Road", postcode="E9 7HD", phone="+442071234321", access_notes="",
            allergens=[], likes="Anything",
            days=["sun"], emergency_name="Paul Clarke", emergency_phone="+447911123459", emergency_relationship="Son",
        ),
        note="Doris already has meals delivered every day by the council, so she does not need us just now.",
    ),
    DinerSpec(
        "hackney",
        "paused",
        _hackney(
            relationship="family", full_name="Walter Green", preferred_name="Wally", address_line1="22 Dalston Lane",
            postcode="E8 3AZ", phone="+442071234654", access_notes="", allergens=["fish"], likes="Stew",
            days=["wed"], emergency_name="Sarah Bennett", emergency_phone="+447911123456",
            emergency_relationship="Niece",
        ),
        note="In hospital for a few weeks.",
    ),
    DinerSpec(
        "setagaya",
        "accepted",
        _setagaya(
            relationship="social_worker", full_name="山田 花子", name_reading="ヤマダ ハナコ",
            preferred_name="花子", address_line1="太子堂4丁目1-1", postcode="154-0004", phone="+81354320001",
            access_notes="オートロックです。部屋番号 203 を押してください。", allergens=["buckwheat", "shrimp"],
            texture="soft", likes="煮物、お味噌汁", days=["mon", "thu"], emergency_name="山田 太郎",
            emergency_phone="+819011112222", emergency_relationship="長男",
        ),
        scopes={"can_view_schedule": True, "can_confirm_meals": True, "can_give_feedback": True},
    ),
    DinerSpec(
        "setagaya",
        "submitted",
        _setagaya(
            relationship="coordinator", referrer_name="佐藤 正男（ご本人から電話）", full_name="佐藤 正男",
            name_reading="サトウ マサオ", preferred_name="佐藤", address_line1="経堂2丁目3-4", postcode="156-0052",
            phone="+81354320002", access_notes="", allergens=["eggs"], likes="焼き魚", days=["tue"],
            emergency_name="佐藤 由美", emergency_phone="+819033334444", emergency_relationship="長女",
            consent_method="phone",
        ),
        by_phone=True,
    ),
    DinerSpec(
        "setagaya",
        "closed",
        _setagaya(
            relationship="social_worker", full_name="伊藤 きよ", name_reading="イトウ キヨ", preferred_name="きよ",
            address_line1="成城6丁目5-6", postcode="157-0066", phone="+81354320003", access_notes="",
            allergens=[], likes="お粥", texture="pureed", days=["wed"], emergency_name="伊藤 健",
            emergency_phone="+819055556666", emergency_relationship="甥",
        ),
        note="施設に入居されたため、終了しました。",
    ),
    # Accepted and waiting for a cook, near the demo cooks' homes (E8 and 154), so a newcomer who signs up
    # to cook in either area, and is approved, finds someone to offer to.
    DinerSpec(
        "hackney",
        "accepted",
        _hackney(
            relationship="family", full_name="Margaret Davies", preferred_name="Peggy",
            address_line1="31 Navarino Road", postcode="E8 1AD", phone="+442071234131",
            access_notes="Ground-floor flat, green door.", allergens=["gluten"], likes="Shepherd's pie, rice pudding",
            days=["mon", "wed"], emergency_name="Anne Davies", emergency_phone="+442071234132",
            emergency_relationship="Daughter",
        ),
    ),
    DinerSpec(
        "hackney",
        "accepted",
        _hackney(
            relationship="social_worker", full_name="Stanley Brooks", preferred_name="Stan",
            address_line1="14 Lower Clapton Road", postcode="E5 0PD", phone="+442071234141",
            access_notes="Lift to the 3rd floor; flat 12.", allergens=[], dietary_needs="Diabetic: no sugary puddings",
            likes="Curry, lentil soup", days=["tue", "fri"], emergency_name="Marcia Brooks",
            emergency_phone="+442071234142", emergency_relationship="Wife",
        ),
    ),
    DinerSpec(
        "hackney",
        "accepted",
        _hackney(
            relationship="friend", full_name="Irene Walsh", preferred_name="Reenie",
            address_line1="9 Morning Lane", postcode="E9 6NA", phone="+442071234151",
            access_notes="Knock loudly; she takes a while to reach the door.", allergens=["eggs"], texture="soft",
            likes="Fish, mashed potato", days=["thu"], emergency_name="Kath Moore", emergency_phone="+442071234152",
            emergency_relationship="Neighbour",
        ),
    ),
    DinerSpec(
        "setagaya",
        "accepted",
        _setagaya(
            relationship="family", full_name="鈴木 トメ", name_reading="スズキ トメ", preferred_name="トメ",
            address_line1="三軒茶屋1丁目2-3", postcode="154-0024", phone="+81354320011",
            access_notes="玄関の呼び鈴が壊れています。ドアを軽くノックしてください。", allergens=["milk"],
            likes="焼き魚、茶碗蒸し", days=["wed", "sat"], emergency_name="鈴木 花",
            emergency_phone="+819011113333", emergency_relationship="孫",
        ),
    ),
    DinerSpec(
        "setagaya",
        "accepted",
        _setagaya(
            relationship="social_worker", full_name="高橋 一郎", name_reading="タカハシ イチロウ",
            preferred_name="一郎", address_line1="北沢2丁目8-9", postcode="155-0031", phone="+81354320012",
            access_notes="", allergens=[], texture="minced", dietary_needs="減塩でお願いします。",
            likes="肉じゃが、おでん", days=["mon", "fri"], emergency_name="高橋 次郎",
            emergency_phone="+819022224444", emergency_relationship="弟",
        ),
    ),
    # Matched with Setagaya's active cook, with a month of meals (meals.demo.meals); her care manager
    # confirms meals and is reminded of them.
    DinerSpec(
        "setagaya",
        "accepted",
        _setagaya(
            relationship="social_worker", full_name="渡辺 ふみ", name_reading="ワタナベ フミ",
            preferred_name="ふみ", address_line1="三軒茶屋2丁目11-5", postcode="154-0024", phone="+81354320013",
            access_notes="1階のいちばん奥の部屋です。", allergens=["eggs"], dietary_needs="薄味が好きです。",
            likes="肉じゃが、焼き魚", days=["mon", "thu"], emergency_name="渡辺 誠",
            emergency_phone="+819044445555", emergency_relationship="長男",
        ),
        scopes={"can_view_schedule": True, "can_confirm_meals": True, "can_give_feedback": True},
    ),
)  # fmt: skip


def load_demo_diners(*, referrers: dict[str, User], coordinators: dict[str, User]) -> int:
    """Make the demo diners that do not exist yet; returns how many were made."""
    made = 0
    for spec in DINERS:
        if Diner.objects.filter(area__slug=spec.area, full_name=spec.answers["full_name"]).exists():
            continue
        coordinator = coordinators[spec.area]
        by = coordinator if spec.by_phone else referrers[spec.area]
        draft = services.start_draft(owner=by, channel="phone" if spec.by_phone else "web", data=spec.answers)
        referral = services.submit_referral(draft=draft, by=by)
        made += 1
        if spec.state == "more_info":
            services.ask_for_more_information(by=coordinator, referral=referral, message=spec.note)
        elif spec.state == "declined":
            services.decline_referral(by=coordinator, referral=referral, reason=spec.note)
        elif spec.state in ("accepted", "paused", "closed"):
            services.accept_referral(by=coordinator, referral=referral, scopes=spec.scopes)
            if spec.state == "paused":
                diners_services.change_diner_status(
                    by=coordinator, diner=referral.diner, action="pause", reason=spec.note
                )
            elif spec.state == "closed":
                diners_services.change_diner_status(
                    by=coordinator, diner=referral.diner, action="close", reason=spec.note
                )
    return made


# Matches between the demo's active cooks and its diners: (cook's email local part, diner's name, state).
MATCHES = (
    ("cook.ready.hackney", "Edith O'Brien", "active"),
    ("cook.ready.setagaya", "山田 花子", "proposed"),
    ("cook.ready.setagaya", "渡辺 ふみ", "active"),
)
# Active matches were introduced this long ago (and have been active since): months of meals and of the
# relationship log fit (meals.demo.meals, meals.demo.history), with a loneliness follow-up three months in.
ACTIVE_FOR = timedelta(weeks=20)


def load_demo_matches(*, cooks: dict[str, User], coordinators: dict[str, User]) -> int:
    """An active match in each area (introduced, so the cook sees the diner's address) and an offer
    waiting for Setagaya's coordinator. Made once: a diner with any match is left alone."""
    made = 0
    for local_part, diner_name, state in MATCHES:
        cook = cooks[local_part]
        diner = Diner.objects.filter(full_name=diner_name).select_related("area").first()
        if diner is None or Match.objects.filter(diner=diner).exists():
            continue
        coordinator = coordinators[diner.area.slug]
        match = matching.offer_to_cook(cook=cook, diner=diner, message="I live nearby and would love to help.")
        made += 1
        if state == "active":
            match = matching.approve_match(by=coordinator, match=match)
            # In the late morning, in the diner's area.
            zone = diner.area.time_zone
            introduced = rules.at(rules.local(timezone.now() - ACTIVE_FOR, zone).date(), time(11), zone)
            match = matching.record_introduction(
                by=coordinator, match=match, method="with_coordinator", when=introduced
            )
            matching.mark_introduced(by=coordinator, match=match)
            # As it happened, not today: offered and approved in the fortnight before the introduction, and
            # active from its day; the diner was referred a month before that.
            Match.objects.filter(pk=match.pk).update(
                offered_at=introduced - timedelta(days=14),
                decided_at=introduced - timedelta(days=10),
                active_since=introduced,
            )
            _referred_before(diner, introduced - timedelta(days=30))
    return made


def _referred_before(diner: Diner, referred: datetime) -> None:
    """Move a matched diner's request, its acceptance and the referrer's access back to before the match."""
    accepted = referred + timedelta(days=2)
    Referral.objects.filter(diner=diner).update(submitted_at=referred, decided_at=accepted)
    ProxyAccess.objects.filter(diner=diner).update(granted_at=accepted)
    Diner.objects.filter(pk=diner.pk).update(created_at=accepted, consent_given_on=referred.date() - timedelta(days=3))
