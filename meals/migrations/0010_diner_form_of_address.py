from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meals", "0009_data_rights"),
    ]

    operations = [
        migrations.AddField(
            model_name="diner",
            name="form_of_address",
            field=models.CharField(
                blank=True,
                choices=[("さん", "さん (everyday)"), ("様", "様 (formal)")],
                default="",
                max_length=4,
                verbose_name="form of address",
            ),
        ),
        migrations.AlterField(
            model_name="diner",
            name="texture",
            field=models.CharField(
                choices=[
                    ("normal", "No special texture"),
                    ("easy", "Easy to chew"),
                    ("soft", "Soft and bite-sized"),
                    ("minced", "Minced and moist"),
                    ("pureed", "Puréed"),
                ],
                default="normal",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="relationship",
            field=models.CharField(
                choices=[
                    ("self", "I am the diner"),
                    ("family", "Family member"),
                    ("friend", "Friend or neighbour"),
                    ("carer", "Carer"),
                    ("social_worker", "Social worker or care manager"),
                    ("minsei_iin", "Minsei-iin (community welfare volunteer)"),
                    ("care_centre", "Community general support centre (地域包括支援センター)"),
                    ("welfare_council", "Social welfare council (社会福祉協議会)"),
                    ("health", "Health professional"),
                    ("council", "Council or charity staff"),
                    ("coordinator", "Casserole coordinator (phone call)"),
                ],
                max_length=16,
            ),
        ),
    ]
