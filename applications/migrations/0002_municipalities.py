from django.db import migrations

# The largest municipalities (CBS codes); others are added when their first API token is created.
MUNICIPALITIES = (
    ("0363", "Amsterdam"),
    ("0599", "Rotterdam"),
    ("0518", "'s-Gravenhage"),
    ("0344", "Utrecht"),
    ("0772", "Eindhoven"),
    ("0014", "Groningen"),
    ("0855", "Tilburg"),
    ("0034", "Almere"),
    ("0758", "Breda"),
    ("0268", "Nijmegen"),
)


def load(apps, schema_editor):
    Municipality = apps.get_model("applications", "Municipality")
    for code, name in MUNICIPALITIES:
        Municipality.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
