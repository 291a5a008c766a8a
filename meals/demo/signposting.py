"""The directory of other support for `manage.py load_demo`: a few real services in Hackney and Setagaya and
the national helplines of each country, as their own websites publish them. A number we could not check is
left out (the website is the way to reach the service then): a demo must never send anyone to a wrong
number. One Hackney entry was last checked over a year ago, so the directory shows the "needs checking" flag.

Written through meals.signposting.services (an admin adds the national ones). Idempotent: an entry whose
name is already in its directory is left alone.
"""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.people.models import Area, User
from meals.signposting import services
from meals.signposting.models import SupportService

_BASE = {
    "name_ja": "",
    "description_ja": "",
    "phone": "",
    "address": "",
    "postcode": "",
    "opening_hours": "",
    "opening_hours_ja": "",
    "languages": "",
    "cost": "free",
    "cost_details": "",
    "needs_consent": True,
}

# (area slug, or None and a country for a national entry; the values; checked this many months ago)
ENTRIES = (
    (
        "hackney",
        {
            "name": "Age UK East London",
            "name_ja": "エイジUK イーストロンドン",
            "description": "Befriending, lunch clubs and activities, and advice for older people in east London.",
            "description_ja": "東ロンドンの高齢の方のための訪問・電話の話し相手、昼食会や活動、相談。",
            "categories": ["company", "talk", "money"],
            "suits": ["anyone", "carers"],
            "website": "https://www.ageuk.org.uk/eastlondon/",
            "languages": "English",
        },
        2,
    ),
    (
        "hackney",
        {
            "name": "Hackney Council adult social care",
            "name_ja": "ハックニー区 成人社会福祉",
            "description": "Care and support at home, and help for carers. Ask for an assessment.",
            "description_ja": "自宅での介護や支援、介護者への支援。アセスメントを申し込めます。",
            "categories": ["health"],
            "suits": ["anyone", "disability", "dementia", "carers"],
            "website": "https://hackney.gov.uk/adult-social-care",
        },
        13,  # over a year: the directory asks for it to be checked
    ),
    (
        None,
        {
            "country": "GB",
            "name": "The Silver Line Helpline",
            "name_ja": "シルバーライン（電話相談）",
            "description": "A free, confidential helpline for older people: a friendly chat, information and advice.",
            "description_ja": "高齢の方のための無料・秘密厳守の電話。おしゃべり、情報、相談。",
            "categories": ["talk"],
            "suits": ["anyone"],
            "phone": "+448004708090",
            "website": "https://www.thesilverline.org.uk/",
            "opening_hours": "Every day and night, all year",
            "opening_hours_ja": "毎日24時間、1年中",
            "needs_consent": False,
        },
        1,
    ),
    (
        None,
        {
            "country": "GB",
            "name": "Age UK Advice Line",
            "name_ja": "エイジUK 相談ライン",
            "description": "Free advice for older people, their families and carers: money, care, housing and more.",
            "description_ja": "高齢の方とその家族・介護者のための無料相談。お金、介護、住まいなど。",
            "categories": ["money", "health"],
            "suits": ["anyone", "carers"],
            "phone": "+448006781602",
            "website": "https://www.ageuk.org.uk/",
            "opening_hours": "Every day, 8am to 7pm",
            "opening_hours_ja": "毎日 午前8時〜午後7時",
            "needs_consent": False,
        },
        1,
    ),
    (
        "setagaya",
        {
            "name": "Setagaya Social Welfare Council: community salons",
            "name_ja": "世田谷区社会福祉協議会（ふれあい・いきいきサロン）",
            "description": "Small neighbourhood gatherings for a chat, tea and activities.",
            "description_ja": "近所で集まって、お茶やおしゃべり、活動を楽しむ集まりです。",
            "categories": ["company"],
            "suits": ["anyone"],
            "website": "https://www.setagayashakyo.or.jp/",
            "languages": "日本語",
        },
        3,
    ),
    (
        "setagaya",
        {
            "name": "Anshin Sukoyaka Centre (Setagaya's community care centres)",
            "name_ja": "あんしんすこやかセンター（世田谷区の地域包括支援センター）",
            "description": "Advice on health, care and daily life for older people and their families.",
            "description_ja": "高齢の方と家族のための、健康・介護・暮らしの相談窓口です。",
            "categories": ["health", "money"],
            "suits": ["anyone", "dementia", "carers"],
            "website": "https://www.city.setagaya.lg.jp/",
            "languages": "日本語",
        },
        3,
    ),
    (
        None,
        {
            "country": "JP",
            "name": "Yorisoi Hotline",
            "name_ja": "よりそいホットライン",
            "description": "A free phone line for any worry, at any time.",
            "description_ja": "どんな悩みでも相談できる無料の電話です。24時間。",
            "categories": ["talk"],
            "suits": ["anyone"],
            "phone": "+81120279338",
            "website": "https://www.since2011.net/yorisoi/",
            "opening_hours": "24 hours, every day",
            "opening_hours_ja": "24時間・毎日",
            "needs_consent": False,
        },
        1,
    ),
    (
        None,
        {
            "country": "JP",
            "name": "You are not alone (Cabinet Office)",
            "name_ja": "あなたはひとりじゃない（内閣府 孤独・孤立対策）",
            "description": "The government’s guide to help with loneliness and isolation; a chat finds a service.",
            "description_ja": "孤独・孤立の悩みの相談先を探せる国のサイトです。チャットで相談先を案内します。",
            "categories": ["talk", "company"],
            "suits": ["anyone"],
            "website": "https://www.notalone-cao.go.jp/",
            "needs_consent": False,
        },
        1,
    ),
)


def load_demo_signposting(*, admin: User, coordinators: dict[str, User]) -> int:
    """Add the entries not there yet; returns how many were added."""
    areas = {area.slug: area for area in Area.objects.filter(slug__in=[slug for slug, _v, _m in ENTRIES if slug])}
    created = 0
    today = timezone.localdate()
    for slug, values, months_ago in ENTRIES:
        area = areas.get(slug) if slug else None
        if slug and area is None:
            continue
        country = values.get("country") or area.country
        existing = SupportService.objects.filter(area=area, country=country, name=values["name"])
        if existing.exists():
            continue
        by = coordinators[slug] if slug else admin
        service = services.add_service(by=by, area=area, country=country, values={**_BASE, **values})
        # Checked when it would have been (the service stamps today).
        SupportService.objects.filter(pk=service.pk).update(checked_on=today - relativedelta(months=months_ago))
        created += 1
    return created
