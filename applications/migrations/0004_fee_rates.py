from datetime import date

from django.db import migrations

# domain.md §4.5. Amounts in cents; valid_to inclusive. The VOG RP fee's starting year is not
# published (€207 on the current FAQ): it is dated from the 2016 fee change like the others.
FEES = (
    ("VOG_NP", "digital", 2455, date(2012, 1, 1), date(2016, 2, 29)),
    ("VOG_NP", "digital", 3385, date(2016, 3, 1), None),
    ("VOG_NP", "municipal", 3005, date(2012, 1, 1), date(2016, 2, 29)),
    ("VOG_NP", "municipal", 4135, date(2016, 3, 1), None),
    ("VOG_NP", "paper", 4135, date(2016, 3, 1), None),
    ("VOG_NP", "free", 0, date(2012, 1, 1), None),
    ("VOG_RP", "digital", 20700, date(2016, 3, 1), None),
    ("VOG_RP", "paper", 20700, date(2016, 3, 1), None),
    ("GVA", "digital", 7500, date(2013, 4, 1), None),
    ("GVA", "paper", 7500, date(2013, 4, 1), None),
)


def load(apps, schema_editor):
    FeeRate = apps.get_model("applications", "FeeRate")
    for product, channel_group, amount, valid_from, valid_to in FEES:
        FeeRate.objects.update_or_create(
            product=product,
            channel_group=channel_group,
            valid_from=valid_from,
            defaults={"amount_cents": amount, "valid_to": valid_to},
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_application_citizen_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
