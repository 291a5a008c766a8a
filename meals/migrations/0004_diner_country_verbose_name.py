# Diner's address fields now come from casserole.addresses.PostalAddress, whose country field has a
# label, as the cook's always had. Only the label changes: no SQL on any database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meals", "0003_nearby_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="diner",
            name="country",
            field=models.CharField(
                choices=[("GB", "United Kingdom"), ("JP", "Japan")], max_length=2, verbose_name="country"
            ),
        ),
    ]
