# The nearby search picks the nearest active diners' ids from an index alone (bench/nearby.py,
# docs/performance.md): a partial index of active diners' coordinates, id and status replaces the
# plain (latitude, longitude) index, which made the database read every row in a crowded city's box.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meals", "0002_matches"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="diner",
            name="diner_location",
        ),
        migrations.AddIndex(
            model_name="diner",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["latitude", "longitude", "id", "status"],
                name="diner_active_location",
            ),
        ),
    ]
