"""Enrolment BSNs encrypted at rest; one open enrolment per person and sector, checked on the keyed digest."""

from functools import partial

from django.db import migrations, models

import applications.validators
import justis.fields
from justis.bsn_migration import decrypt_rows, encrypt_rows

ROWS = {"model": "continuous.ContinuousEnrolment", "plain": "bsn", "cipher": "bsn_ciphertext"}


class Migration(migrations.Migration):
    dependencies = [("continuous", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="continuousenrolment", name="continuous_one_open_enrolment"),
        migrations.RemoveConstraint(model_name="continuousenrolment", name="continuous_enrolment_bsn"),
        migrations.AddField(
            model_name="continuousenrolment",
            name="bsn_ciphertext",
            field=justis.fields.EncryptedBSNField(
                default="", validators=[applications.validators.validate_bsn], verbose_name="BSN"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="continuousenrolment",
            name="bsn_digest",
            field=justis.fields.BSNDigestField(default="", source="bsn"),
            preserve_default=False,
        ),
        migrations.RunPython(
            partial(encrypt_rows, **ROWS, digest="bsn_digest"), partial(decrypt_rows, **ROWS), elidable=False
        ),
        # Only so that going back can re-add the plain column to a table with rows.
        migrations.AlterField(
            model_name="continuousenrolment",
            name="bsn",
            field=models.CharField(default="", max_length=9, verbose_name="BSN"),
        ),
        migrations.RemoveField(model_name="continuousenrolment", name="bsn"),
        migrations.RenameField(model_name="continuousenrolment", old_name="bsn_ciphertext", new_name="bsn"),
        migrations.AddConstraint(
            model_name="continuousenrolment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active_to__isnull", True)),
                fields=("sector", "bsn_digest"),
                name="continuous_one_open_enrolment",
            ),
        ),
        migrations.AddConstraint(
            model_name="continuousenrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(("bsn_digest__regex", "^[0-9a-f]{64}$")), name="continuous_enrolment_bsn_digest"
            ),
        ),
    ]
