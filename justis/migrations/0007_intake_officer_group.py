from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="intake_officer")


class Migration(migrations.Migration):
    dependencies = [("justis", "0006_audit_action_letter_downloaded")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
