"""The directory of other support at 5,000 entries, run by `make bench` (never by the test suite).

Builds, in a benchmark database of its own (never the test suite's), three areas' directories (two in the
UK, one in Japan) and national entries of both countries: 5,000 entries in all, written in English,
Japanese or both from a fixed vocabulary with a fixed seed, each with its categories, who it suits and its
search text as the service writes it (meals.signposting.services.search_text). Then times a coordinator's
search (meals.signposting.selectors.search: the count and the first page) for words in either language,
full-width letters, a category, who it suits and all of them at once, and the directory page itself through
Django's test client; and checks that the number of queries is the same for every search.

The target (issue 16): a search answers in under 50 ms median on PostgreSQL with 5,000 entries. Exits with
status 1 when it is missed or a query count differs.

    .venv/bin/python bench/signposting.py            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/signposting.py
    BENCH_REPEATS=10 .venv/bin/python bench/signposting.py   # fewer timed calls (default 30)
"""

import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casserole.settings")
os.environ.setdefault("CASSEROLE_VAR_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

import casserole.pytest_env  # noqa: E402, F401  (the test suite's environment: no HTTPS, immediate tasks)

warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise's collectstatic output
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.people.models import Area, CoordinatorMembership, User  # noqa: E402
from meals.signposting import selectors  # noqa: E402
from meals.signposting.models import Category, Cost, Suits, SupportService, join_keys  # noqa: E402
from meals.signposting.services import search_text  # noqa: E402

ENTRIES = 5000
TARGET_MS = 50.0
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
SEED = 16

WHAT_EN = [
    "lunch club",
    "befriending call",
    "men's shed",
    "walking group",
    "benefits advice",
    "memory cafe",
    "carers' group",
    "handyman service",
    "library visits",
    "tea dance",
    "singing group",
    "hospital transport",
]
WHAT_JA = [
    "ランチ会",
    "ふれあいサロン",
    "話し相手",
    "体操教室",
    "健康相談",
    "認知症カフェ",
    "介護者の会",
    "買い物支援",
    "配食サービス",
    "囲碁クラブ",
    "歌の会",
    "生活相談",
]
PLACES_EN = ["Mare Street", "Dalston", "Homerton", "Clapton", "Stoke Newington", "Hackney Wick", "Bow", "Leyton"]
PLACES_JA = ["三軒茶屋", "下北沢", "経堂", "成城", "二子玉川", "用賀", "桜新町", "千歳烏山"]
DAYS_EN = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays"]


def entry(rng: random.Random, n: int, area: Area | None, country: str) -> SupportService:
    what_en, what_ja = rng.choice(WHAT_EN), rng.choice(WHAT_JA)
    place_en, place_ja = rng.choice(PLACES_EN), rng.choice(PLACES_JA)
    language = rng.choice(("en", "ja", "both"))
    service = SupportService(
        area=area,
        country=country,
        name=f"{place_en} {what_en} {n}" if language != "ja" else "",
        name_ja=f"{place_ja}の{what_ja} {n}" if language != "en" else "",
        description=f"A {what_en} on {rng.choice(DAYS_EN)} near {place_en}." if language != "ja" else "",
        description_ja=f"{place_ja}で{what_ja}を開いています。" if language != "en" else "",
        categories=join_keys(rng.sample(Category.values, rng.randint(1, 2))),
        suits=join_keys(rng.sample(Suits.values, rng.randint(1, 3))),
        website=f"https://example.org/{n}",
        address=f"{rng.randint(1, 200)} {place_en}" if country == "GB" else f"世田谷区{place_ja}{rng.randint(1, 9)}-1",
        cost=rng.choice(Cost.values),
        latitude=51.54 + rng.uniform(-0.05, 0.05) if area else None,
        longitude=-0.06 + rng.uniform(-0.05, 0.05) if area else None,
    )
    service.search_text = search_text(service)
    return service


def build() -> list[Area]:
    rng = random.Random(SEED)
    areas = [
        Area.objects.create(name="Bench Hackney", slug="bench-hackney", country="GB", help_phone="0", help_hours="-"),
        Area.objects.create(
            name="Bench Islington", slug="bench-islington", country="GB", help_phone="0", help_hours="-"
        ),
        Area.objects.create(name="Bench Setagaya", slug="bench-setagaya", country="JP", help_phone="0", help_hours="-"),
    ]
    # 1,800 + 1,200 + 1,600 in the areas, 400 national (half each country): 5,000.
    plan = [
        (areas[0], "GB", 1800),
        (areas[1], "GB", 1200),
        (areas[2], "JP", 1600),
        (None, "GB", 200),
        (None, "JP", 200),
    ]
    rows, n = [], 0
    for area, country, count in plan:
        for _ in range(count):
            rows.append(entry(rng, n, area, country))
            n += 1
    SupportService.objects.bulk_create(rows, batch_size=1000)
    assert SupportService.objects.count() == ENTRIES
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE meals_supportservice")
    return areas


def signed_in_coordinator(areas: list[Area]) -> Client:
    user = User.objects.create_user(
        email="coordinator@bench.example", full_name="Bench Coordinator", is_coordinator=True
    )
    for area in areas:
        CoordinatorMembership.objects.create(user=user, area=area)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(call) -> tuple[list[float], int]:
    """Milliseconds of REPEATS calls after one warm-up, and the warm-up's number of queries."""
    with CaptureQueriesContext(connection) as queries:
        call()
    values = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        values.append((time.perf_counter() - started) * 1000)
    return values, len(queries)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


SEARCHES = {
    "everything (no filter)": selectors.Search(),
    "one English word": selectors.Search(words="lunch"),
    "two English words": selectors.Search(words="memory cafe"),
    "full-width English": selectors.Search(words="ＬＵＮＣＨ"),
    "one Japanese word": selectors.Search(words="サロン"),
    "a category": selectors.Search(category="talk"),
    "who it suits": selectors.Search(suits="carers"),
    "words, category and suits": selectors.Search(words="club", category="company", suits="men"),
    "a word nobody wrote": selectors.Search(words="zzzz"),
}


def run() -> bool:
    areas = build()
    print(f"Database: {connection.vendor}; {ENTRIES:,} entries; {REPEATS} calls per search after one warm-up.\n")
    print(f"{'search (all three areas)':32} {'found':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    medians, counts = {}, set()
    # A search that finds nothing skips the page's query (the paginator knows it is empty): 1 instead of 2.
    for label, query in SEARCHES.items():

        def call(query=query):
            page = selectors.search(areas, query)
            return page.paginator.count, [service.area for service in page.object_list]

        values, queries = timed(call)
        found = call()[0]
        medians[label] = statistics.median(values)
        if found:
            counts.add(queries)
        print(f"{label:32} {found:>6} {medians[label]:>10.2f} {p95(values):>8.2f} {queries:>8}")
    client = signed_in_coordinator(areas)
    # Django resets the query log at each request: the pages' query counts are pinned by the tests instead.
    for path in ("/en/coordinator/support/", "/ja/coordinator/support/?q=サロン&category=company"):
        values, _queries = timed(lambda path=path: client.get(path))
        assert client.get(path).status_code == 200, path
        print(f"page {path:56} {statistics.median(values):>8.1f} ms median, p95 {p95(values):.1f}")
    worst = max(medians, key=medians.get)
    print(f"\nSlowest search: {worst}, {medians[worst]:.2f} ms median (target under {TARGET_MS:.0f} ms).")
    passed = True
    if medians[worst] >= TARGET_MS:
        print("Target missed.", file=sys.stderr)
        passed = False
    if len(counts) != 1:
        print(f"The searches took different numbers of queries: {sorted(counts)}", file=sys.stderr)
        passed = False
    return passed


def main() -> int:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A database of its own: never one a test run (or another benchmark) may be using.
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "test_bench_signposting"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        passed = run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
