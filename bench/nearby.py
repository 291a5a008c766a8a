"""The nearby-diner search at national scale, run by `make bench` (never by the test suite).

Seeds 100,000 diners and 50,000 cooks around 30 UK towns and cities and 20 Japanese cities (real
centre coordinates, more people and a wider spread in bigger places) with bulk inserts — no
services, so no emails and no geocoding — and times, for 200 active cooks sampled four per place
(dense and sparse alike):

- the search itself, `meals.matching.nearby.nearby_diners`, and
- the whole page, `/en/cook/diners/`, through Django's test client signed in as each cook,

first with 10 diners in the country and then with 100,000. It prints medians, 95th percentiles,
the ratios (100,000 ÷ 10) of the medians and of the query counts, and checks the targets: the
search's median at most 20 ms on PostgreSQL and 50 ms on SQLite, and the same number of queries at
both sizes. The page's time is printed too; most of it is rendering up to 50 cards.

Imported by bench/run.py after Django is set up, inside its throw-away test database.
"""

import math
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import DateField, DecimalField, GeneratedField, JSONField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.onboarding.models import CookProfile
from accounts.people.models import Area, User
from meals.diners.models import JP_ALLERGENS, UK_ALLERGENS, Diner, Weekday
from meals.matching.models import Match
from meals.matching.nearby import bounding_box, nearby_diners
from training.models import Attempt, Certificate

DINERS = 100_000
COOKS = 50_000
SMALL = 10  # diners in the first, tiny data set
PER_PLACE = 4  # cooks measured in each place: 50 places, 200 cooks
ROUNDS = 3  # timed calls per cook, after one warm-up call each
BATCH = 5_000
PAGE = "/en/cook/diners/"
SEARCH = "search: nearby_diners()"
TARGET_MS = {"postgresql": 20.0, "sqlite": 50.0}

# (name, country, latitude, longitude, population in thousands). The population sets how many of the
# diners and cooks live there and how far they spread from the centre.
PLACES = (
    ("London", "GB", 51.5074, -0.1278, 8_900),
    ("Birmingham", "GB", 52.4862, -1.8904, 1_150),
    ("Leeds", "GB", 53.8008, -1.5491, 800),
    ("Glasgow", "GB", 55.8642, -4.2518, 630),
    ("Sheffield", "GB", 53.3811, -1.4701, 580),
    ("Manchester", "GB", 53.4808, -2.2426, 550),
    ("Bradford", "GB", 53.7960, -1.7594, 540),
    ("Edinburgh", "GB", 55.9533, -3.1883, 525),
    ("Liverpool", "GB", 53.4084, -2.9916, 500),
    ("Bristol", "GB", 51.4545, -2.5879, 470),
    ("Coventry", "GB", 52.4068, -1.5197, 370),
    ("Cardiff", "GB", 51.4816, -3.1791, 360),
    ("Leicester", "GB", 52.6369, -1.1398, 355),
    ("Belfast", "GB", 54.5973, -5.9301, 345),
    ("Nottingham", "GB", 52.9548, -1.1581, 330),
    ("Newcastle", "GB", 54.9783, -1.6178, 300),
    ("Brighton", "GB", 50.8225, -0.1372, 290),
    ("Plymouth", "GB", 50.3755, -4.1427, 265),
    ("Hull", "GB", 53.7676, -0.3274, 260),
    ("Derby", "GB", 52.9225, -1.4746, 255),
    ("Southampton", "GB", 50.9097, -1.4044, 250),
    ("Swansea", "GB", 51.6214, -3.9436, 245),
    ("York", "GB", 53.9600, -1.0873, 210),
    ("Aberdeen", "GB", 57.1497, -2.0943, 200),
    ("Reading", "GB", 51.4543, -0.9781, 175),
    ("Oxford", "GB", 51.7520, -1.2577, 155),
    ("Norwich", "GB", 52.6309, 1.2974, 145),
    ("Cambridge", "GB", 52.2053, 0.1218, 145),
    ("Exeter", "GB", 50.7184, -3.5339, 130),
    ("Inverness", "GB", 57.4778, -4.2247, 47),
    ("Tokyo", "JP", 35.6895, 139.6917, 14_000),
    ("Yokohama", "JP", 35.4437, 139.6380, 3_770),
    ("Osaka", "JP", 34.6937, 135.5023, 2_750),
    ("Nagoya", "JP", 35.1815, 136.9066, 2_330),
    ("Sapporo", "JP", 43.0618, 141.3545, 1_970),
    ("Fukuoka", "JP", 33.5904, 130.4017, 1_610),
    ("Kawasaki", "JP", 35.5308, 139.7029, 1_540),
    ("Kobe", "JP", 34.6901, 135.1955, 1_520),
    ("Kyoto", "JP", 35.0116, 135.7681, 1_460),
    ("Saitama", "JP", 35.8617, 139.6455, 1_320),
    ("Hiroshima", "JP", 34.3853, 132.4553, 1_200),
    ("Sendai", "JP", 38.2682, 140.8694, 1_090),
    ("Chiba", "JP", 35.6074, 140.1065, 980),
    ("Kitakyushu", "JP", 33.8834, 130.8752, 940),
    ("Niigata", "JP", 37.9161, 139.0364, 780),
    ("Kumamoto", "JP", 32.8031, 130.7079, 740),
    ("Okayama", "JP", 34.6551, 133.9195, 720),
    ("Matsuyama", "JP", 33.8392, 132.7657, 510),
    ("Kanazawa", "JP", 36.5613, 136.6562, 460),
    ("Naha", "JP", 26.2124, 127.6809, 320),
)
NEIGHBOURHOODS = ("Old Town", "Riverside", "Northfield", "Southgate", "Eastbrook", "Westend", "Hillside", "Parkway")
NAMES = {
    "GB": ("Edie", "Bill", "Margaret", "Stan", "Joan", "Reg", "Doreen", "Albert", "Pat", "Len"),
    "JP": ("ハナ", "タロウ", "キヨ", "イサム", "フミ", "マサオ", "トシコ", "シゲル", "ヨシエ", "ミツオ"),
}
NEEDS = ("", "", "", "Diabetic: no sugary puddings", "Vegetarian", "Low salt, please", "No pork")


class Place:
    def __init__(self, name: str, country: str, latitude: float, longitude: float, population: int):
        self.name, self.country, self.latitude, self.longitude = name, country, latitude, longitude
        self.weight = population
        # Bigger places spread further: about 11 km for London, 14 km for Tokyo, 2 km for a small town.
        self.spread_km = max(2.0, 0.12 * math.sqrt(population))
        self.area: Area | None = None

    def point(self, rng: random.Random) -> tuple[float, float]:
        """A random point around the centre (normal distribution in each direction)."""
        north_km, east_km = rng.gauss(0, self.spread_km), rng.gauss(0, self.spread_km)
        latitude = self.latitude + north_km / 111.32
        longitude = self.longitude + east_km / (111.32 * math.cos(math.radians(self.latitude)))
        return round(latitude, 6), round(longitude, 6)


def create_places() -> list[Place]:
    places = [Place(*row) for row in PLACES]
    Area.objects.bulk_create(
        [
            Area(
                name=f"Nearby {place.name}",
                slug=f"nearby-{place.name.lower()}",
                country=place.country,
                help_phone="0",
                help_hours="-",
                distance_unit=Area.DistanceUnit.MILES if place.country == "GB" else Area.DistanceUnit.KM,
                time_zone="Europe/London" if place.country == "GB" else "Asia/Tokyo",
            )
            for place in places
        ]
    )
    areas = {area.slug: area for area in Area.objects.filter(slug__startswith="nearby-")}
    for place in places:
        place.area = areas[f"nearby-{place.name.lower()}"]
    return places


def _spread(places: list[Place], count: int, rng: random.Random) -> list[Place]:
    return rng.choices(places, weights=[place.weight for place in places], k=count)


def insert(model, rows: list[dict]) -> None:
    """Insert rows (dicts of field attnames) the fastest way each database offers: COPY on PostgreSQL,
    one executemany per batch on SQLite. bulk_create builds a model instance and compiles SQL for
    every row, which takes minutes at this size. A field left out gets its default; JSON, dates and
    decimals go through the field's own conversion, so they are stored as the ORM stores them. Read
    new primary keys back by a column."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the `connection` proxy costs a lookup per use
    now = timezone.now()
    # The database computes generated columns (a diner's cell) itself.
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not isinstance(field, GeneratedField)
    ]
    defaults = {}
    for field in fields:
        value = (
            now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else field.get_default()
        )
        defaults[field.attname] = field.get_db_prep_save(value, db)
    converted = [field for field in fields if isinstance(field, (JSONField, DateField, DecimalField))]
    names = [field.attname for field in fields]
    table = db.ops.quote_name(model._meta.db_table)
    columns = ", ".join(db.ops.quote_name(field.column) for field in fields)

    def values(batch: list[dict]):
        for row in batch:
            for field in converted:
                if field.attname in row:
                    row[field.attname] = field.get_db_prep_save(row[field.attname], db)
            yield tuple(row[name] if name in row else defaults[name] for name in names)

    # One transaction: the test database runs in autocommit, and a commit per row is slow on PostgreSQL.
    with transaction.atomic(), db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values(rows):
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for batch in _batches(rows):
            cursor.executemany(sql, list(values(batch)))


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_cooks(places: list[Place], count: int, rng: random.Random) -> None:
    """`count` cooks: a user (unusable password, no hashing) and a completed profile each; nine in
    ten active, travelling 1 to 5 miles (UK) or kilometres (Japan)."""
    now = timezone.now()
    homes = _spread(places, count, rng)
    insert(
        User,
        [
            {
                "email": f"nearby-cook{n}@bench.example",
                "full_name": f"{rng.choice(NAMES[place.country])} Cook{n}",
                "password": "!bench",  # unusable: no one signs in with a password
                "is_cook": True,
                "home_area_id": place.area.pk,
            }
            for n, place in enumerate(homes)
        ],
    )
    user_ids = dict(User.objects.filter(email__startswith="nearby-cook").values_list("email", "pk"))
    distances = [Decimal(n) / 2 for n in range(2, 11)]  # 1, 1.5, … 5
    profiles = []
    for n, place in enumerate(homes):
        latitude, longitude = place.point(rng)
        profiles.append(
            {
                "user_id": user_ids[f"nearby-cook{n}@bench.example"],
                "country": place.country,
                "address_line1": "1 High Street",
                "town": place.name,
                "postcode": "E8 1DY" if place.country == "GB" else "150-0001",
                "latitude": latitude,
                "longitude": longitude,
                "neighbourhood": rng.choice(NEIGHBOURHOODS),
                "travel_distance": rng.choice(distances),
                "travel_unit": place.area.distance_unit,
                "frequency": "weekly",
                "cooking_likes": "Stews and crumbles",
                "completed_at": now,
                "status": "active" if rng.random() < 0.9 else "pending",
            }
        )
    insert(CookProfile, profiles)


def seed_diners(places: list[Place], count: int, rng: random.Random) -> None:
    """`count` diners around the places: most accepted (active), some referred, paused or closed; one
    active diner in eight already has a live match with a cook of the same place."""
    statuses = ["active"] * 85 + ["referred"] * 6 + ["paused"] * 6 + ["closed"] * 3
    textures, frequencies, weekdays = Diner.Texture.values, Diner.Frequency.values, Weekday.values
    allergen_values = {"GB": [a.value for a in UK_ALLERGENS], "JP": [a.value for a in JP_ALLERGENS]}
    homes = _spread(places, count, rng)
    consent_day = date.today() - timedelta(days=30)
    first = (Diner.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    diners = []
    for n, place in enumerate(homes, start=first):
        latitude, longitude = place.point(rng)
        allergens = allergen_values[place.country]
        diners.append(
            {
                "area_id": place.area.pk,
                "status": rng.choice(statuses),
                "full_name": f"Diner {n}",
                "preferred_name": rng.choice(NAMES[place.country]),
                "preferred_language": "en" if place.country == "GB" else "ja",
                "country": place.country,
                "address_line1": f"{n} Station Road",
                "town": place.name,
                "postcode": "E8 1DY" if place.country == "GB" else "150-0001",
                "latitude": latitude,
                "longitude": longitude,
                "neighbourhood": rng.choice(NEIGHBOURHOODS),
                "phone": "+442079460123",
                "access_notes": "Key safe by the door.",
                "dietary_needs": rng.choice(NEEDS),
                "allergens": rng.sample(allergens, k=rng.choice((0, 0, 0, 1, 2))),
                "texture": rng.choice(textures),
                "frequency": rng.choice(frequencies),
                "days": sorted(rng.sample(weekdays, k=rng.randint(1, 3))),
                "consent_method": "in_person",
                "consent_given_on": consent_day,
                "share_with_cook": ["address", "phone"],
            }
        )
    insert(Diner, diners)

    cooks_by_area: dict[int, list[int]] = {}
    for user_id, area_id in User.objects.filter(email__startswith="nearby-cook").values_list("pk", "home_area_id"):
        cooks_by_area.setdefault(area_id, []).append(user_id)
    new = Diner.objects.filter(pk__gte=first, status=Diner.Status.ACTIVE).values_list("pk", "area_id")
    insert(
        Match,
        [
            {"diner_id": diner_id, "cook_id": rng.choice(cooks_by_area[area_id]), "status": "active"}
            for diner_id, area_id in new
            if area_id in cooks_by_area and rng.random() < 0.125
        ],
    )


def sample_cooks(places: list[Place], rng: random.Random) -> list[User]:
    """PER_PLACE active cooks in each place, so sparse towns count as much as London and Tokyo."""
    sample = []
    for place in places:
        ids = list(
            CookProfile.objects.filter(user__home_area=place.area, status=CookProfile.Status.ACTIVE).values_list(
                "user_id", flat=True
            )
        )
        sample.extend(rng.sample(ids, k=min(PER_PLACE, len(ids))))
    return list(User.objects.filter(pk__in=sample).select_related("cook_profile", "home_area").order_by("pk"))


def certify(cooks: list[User], course) -> None:
    """A valid certificate for the measured cooks only: the page shows diners to active cooks."""
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(user=cook, course=course, started_at=now, submitted_at=now, score=16, total=16, passed=True)
            for cook in cooks
        ]
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                user_id=attempt.user_id,
                course=course,
                attempt=attempt,
                code=f"BENCH-{attempt.pk:08d}",
                issued_at=now,
                expires_at=now + timedelta(days=365),
            )
            for attempt in attempts
        ]
    )


def measure(calls: dict[int, Callable[[], object]]) -> tuple[list[float], set[int]]:
    """Time every cook's call ROUNDS times after one warm-up; the query counts seen (one per cook)."""
    counts = set()
    for call in calls.values():
        with CaptureQueriesContext(connection) as queries:
            call()
        counts.add(len(queries))
    times = []
    for _ in range(ROUNDS):
        for call in calls.values():
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return times, counts


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def search_calls(cooks: list[User]) -> dict[int, Callable[[], object]]:
    calls = {}
    for cook in cooks:

        def call(profile=cook.cook_profile, unit=cook.home_area.distance_unit):
            return nearby_diners(profile, unit=unit)

        calls[cook.pk] = call
    return calls


def page_calls(cooks: list[User]) -> dict[int, Callable[[], object]]:
    calls = {}
    for cook in cooks:
        client = Client()
        client.force_login(cook)

        def get(client=client):
            response = client.get(PAGE)
            assert response.status_code == 200, (PAGE, response.status_code)
            return response

        calls[cook.pk] = get
    return calls


def found_counts(cooks: list[User]) -> list[int]:
    return [len(nearby_diners(cook.cook_profile, unit=cook.home_area.distance_unit)) for cook in cooks]


def in_box_counts(cooks: list[User]) -> list[int]:
    """How many active diners lie in each cook's bounding box: the index entries the search reads."""
    result = []
    for cook in cooks:
        profile = cook.cook_profile
        south, north, west, east = bounding_box(profile.latitude, profile.longitude, profile.travel_km)
        result.append(
            Diner.objects.filter(
                status=Diner.Status.ACTIVE,
                cell_latitude__gte=south,
                cell_latitude__lte=north,
                cell_longitude__gte=west,
                cell_longitude__lte=east,
            ).count()
        )
    return result


def run(course) -> bool:
    """Seed, measure at 10 diners and at 100,000, print the figures; True when every target is met."""
    rng = random.Random(6)  # the same data set every run
    vendor = connection.vendor
    started = time.perf_counter()
    places = create_places()
    seed_cooks(places, COOKS, rng)
    cooks = sample_cooks(places, rng)
    certify(cooks, course)
    seed_diners(places, SMALL, rng)
    cook_seconds = time.perf_counter() - started

    targets = [(SEARCH, search_calls(cooks)), (f"page {PAGE}", page_calls(cooks))]

    results = {}
    for label, calls in targets:
        results[(label, SMALL)] = measure(calls)

    started = time.perf_counter()
    seed_diners(places, DINERS - SMALL, rng)
    diner_seconds = time.perf_counter() - started
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: statistics for the planner, and the
            # visibility map that lets the search read ids from the index without the table.
            cursor.execute("VACUUM ANALYZE")
    for label, calls in targets:
        results[(label, DINERS)] = measure(calls)

    found, in_box = found_counts(cooks), in_box_counts(cooks)
    print(
        f"Nearby search on {vendor}: {Diner.objects.count():,} diners ({Match.objects.count():,} matched), "
        f"{CookProfile.objects.filter(user__email__startswith='nearby-cook').count():,} cooks in {len(places)} places."
    )
    print(
        f"Seeded in {cook_seconds + diner_seconds:.1f} s ({COOKS:,} cooks and their users {cook_seconds:.1f} s, "
        f"{DINERS - SMALL:,} diners and their matches {diner_seconds:.1f} s)."
    )
    print(
        f"{len(cooks)} active cooks, {PER_PLACE} a place; {ROUNDS} timed calls each after a warm-up. Per cook at "
        f"{DINERS:,} diners: active diners in the bounding box median {statistics.median(in_box):,.0f} "
        f"(max {max(in_box):,}), shown median {statistics.median(found):.0f} (max {max(found)})."
    )
    # Wall-clock timings on a shared machine: the load says how far to trust them.
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.\n")
    print(f"{'what':28} {'diners':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    same_queries = {}
    for label, _calls in targets:
        for size in (SMALL, DINERS):
            times, counts = results[(label, size)]
            queries = ",".join(str(n) for n in sorted(counts))
            print(f"{label:28} {size:>8,} {statistics.median(times):>10.1f} {p95(times):>8.1f} {queries:>8}")
        small_times, small_counts = results[(label, SMALL)]
        large_times, large_counts = results[(label, DINERS)]
        ratio = statistics.median(large_times) / statistics.median(small_times)
        query_ratio = max(large_counts) / max(small_counts)
        same_queries[label] = len(small_counts) == 1 and small_counts == large_counts
        print(f"{'':28} {'ratio':>8} {ratio:>10.2f} {'':>8} {query_ratio:>8.1f}  ({DINERS:,} diners ÷ {SMALL})\n")

    # The target is the search's; the page adds the rest of a request and up to 50 rendered cards.
    target = TARGET_MS[vendor]
    median = statistics.median(results[(SEARCH, DINERS)][0])
    passed = median <= target and all(same_queries.values())
    verdict = {True: "met", False: "MISSED"}
    print(f"Target: the search's median {median:.1f} ms ≤ {target:.0f} ms on {vendor}: {verdict[median <= target]}")
    for label, same in same_queries.items():
        print(f"Target: {label}, the same number of queries at {SMALL} and {DINERS:,} diners: {verdict[same]}")
    return passed
