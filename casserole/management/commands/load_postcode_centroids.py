"""`manage.py load_postcode_centroids FILE.csv`: load the offline geocoder's table of postcode-area centres.

The CSV (UTF-8, a header row) has the columns country,prefix,latitude,longitude,place_name,place_name_ja:
  GB,E8,51.5436,-0.0672,Dalston,ダルストン
  JP,154,35.6425,139.6610,Sangenjaya,三軒茶屋
`prefix` is a UK outward code ("E8", "SW1A") or the first three digits of a Japanese postcode ("154").
Rows are matched on (country, prefix) and created or updated, so running the same file twice changes
nothing. Every row is checked before anything is written: one bad row loads nothing and is named by
its line number.
"""

import csv
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casserole import audit
from casserole.models import Country, PostcodeCentroid
from casserole.postcodes import JP_PREFIX, UK_OUTWARD_CODE

COLUMNS = ("country", "prefix", "latitude", "longitude", "place_name", "place_name_ja")
_QUANTUM = Decimal("0.000001")


@dataclass(frozen=True)
class Row:
    line: int
    country: str
    prefix: str
    latitude: Decimal
    longitude: Decimal
    place_name: str
    place_name_ja: str


def _coordinate(value: str, name: str, limit: int) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise ValueError(f"{name} {value!r} is not between -{limit} and {limit}")
    return number.quantize(_QUANTUM)


def _parse(line: int, record: dict[str, str | None]) -> Row:
    values = {column: (record.get(column) or "").strip() for column in COLUMNS}
    if None in record:  # csv.DictReader puts surplus fields under the key None
        raise ValueError(f"{len(COLUMNS)} columns expected, found more")
    country = values["country"].upper()
    if country not in Country.values:
        raise ValueError(f"country {values['country']!r} must be GB or JP")
    prefix = "".join(unicodedata.normalize("NFKC", values["prefix"]).split()).upper()
    if country == "GB" and not UK_OUTWARD_CODE.match(prefix):
        raise ValueError(f"prefix {values['prefix']!r} is not a UK outward code such as E8 or SW1A")
    if country == "JP" and not JP_PREFIX.match(prefix):
        raise ValueError(f"prefix {values['prefix']!r} is not the first three digits of a Japanese postcode")
    if not values["place_name"] and not values["place_name_ja"]:
        raise ValueError("place_name or place_name_ja is needed")
    max_length = PostcodeCentroid._meta.get_field("place_name").max_length
    for column in ("place_name", "place_name_ja"):
        if len(values[column]) > max_length:
            raise ValueError(f"{column} is longer than {max_length} characters")
    return Row(
        line=line,
        country=country,
        prefix=prefix,
        latitude=_coordinate(values["latitude"], "latitude", 90),
        longitude=_coordinate(values["longitude"], "longitude", 180),
        place_name=values["place_name"],
        place_name_ja=values["place_name_ja"],
    )


def read_centroids(path: Path) -> list[Row]:
    """Every row of the file, checked; CommandError listing each bad line (with its number) otherwise."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:  # -sig: spreadsheets add a BOM
            reader = csv.DictReader(file)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [column for column in COLUMNS if column not in header]
            if missing:
                raise CommandError(
                    f"{path}: line 1: the header lacks {', '.join(missing)} (expected {','.join(COLUMNS)})"
                )
            reader.fieldnames = header
            rows: list[Row] = []
            errors: list[str] = []
            seen: dict[tuple[str, str], int] = {}
            for record in reader:
                line = reader.line_num
                if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
                    continue  # a blank line
                try:
                    row = _parse(line, record)
                except ValueError as error:
                    errors.append(f"line {line}: {error}")
                    continue
                key = (row.country, row.prefix)
                if key in seen:
                    errors.append(f"line {line}: {row.country} {row.prefix} is already on line {seen[key]}")
                    continue
                seen[key] = line
                rows.append(row)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise CommandError(f"{path}: not a valid CSV file ({error})") from error
    if errors:
        raise CommandError(f"{path}: nothing loaded, fix these rows:\n  " + "\n  ".join(errors))
    return rows


class Command(BaseCommand):
    help = (
        "Load postcode-area centres for the offline geocoder from a CSV file with the columns "
        + ",".join(COLUMNS)
        + ". Existing rows with the same country and prefix are updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, with a header row).")

    def handle(self, *args, file: Path, **options) -> None:
        rows = read_centroids(file)
        created = updated = unchanged = 0
        with transaction.atomic():
            existing = {(centroid.country, centroid.prefix): centroid for centroid in PostcodeCentroid.objects.all()}
            fields = ("latitude", "longitude", "place_name", "place_name_ja")
            to_create: list[PostcodeCentroid] = []
            for row in rows:
                centroid = existing.get((row.country, row.prefix))
                if centroid is None:
                    to_create.append(PostcodeCentroid(country=row.country, prefix=row.prefix, **_values(row)))
                    created += 1
                    continue
                changed = [field for field in fields if getattr(centroid, field) != getattr(row, field)]
                if not changed:
                    unchanged += 1
                    continue
                for field in changed:
                    setattr(centroid, field, getattr(row, field))
                centroid.save(update_fields=changed)
                updated += 1
            PostcodeCentroid.objects.bulk_create(to_create)
            audit.record(
                action=audit.Action.POSTCODE_CENTROIDS_LOADED,
                actor_label="manage.py load_postcode_centroids",
                detail={"file": file.name, "created": created, "updated": updated, "unchanged": unchanged},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Postcode areas loaded from {file.name}: {created} created, {updated} updated, {unchanged} unchanged."
            )
        )


def _values(row: Row) -> dict[str, object]:
    return {
        "latitude": row.latitude,
        "longitude": row.longitude,
        "place_name": row.place_name,
        "place_name_ja": row.place_name_ja,
    }
