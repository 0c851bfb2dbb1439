from django.db import migrations


def load(apps, schema_editor):
    from screening.catalogue import catalogue_load

    catalogue_load(apps)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
