from django.db import migrations

def load(apps, schema_editor):
    from applications.fees import fees_load

    fees_load(apps)


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_application_citizen_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
