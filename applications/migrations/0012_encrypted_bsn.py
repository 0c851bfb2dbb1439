"""Applicant and key person BSNs (and earlier identities' BSNs) encrypted at rest, found by a keyed digest."""

from functools import partial

from django.db import migrations, models

import applications.validators
import justis.fields
from justis.bsn_migration import decrypt_identities, decrypt_rows, encrypt_identities, encrypt_rows

APPLICANT = {"model": "applications.Applicant", "plain": "bsn", "cipher": "bsn_ciphertext"}
KEY_PERSON = {"model": "applications.KeyPerson", "plain": "bsn", "cipher": "bsn_ciphertext"}
IDENTITIES = {"model": "applications.Applicant", "column": "previous_identities"}
DIGEST = models.Q(("bsn_digest", "")) | models.Q(("bsn_digest__regex", "^[0-9a-f]{64}$"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0011_waiting_by_due_index")]

    operations = [
        migrations.RemoveConstraint(model_name="applicant", name="applicant_bsn_9_digits_or_none"),
        migrations.RemoveConstraint(model_name="keyperson", name="key_person_bsn_9_digits_or_none"),
        migrations.AddField(
            model_name="applicant",
            name="bsn_ciphertext",
            field=justis.fields.EncryptedBSNField(
                blank=True, validators=[applications.validators.validate_bsn], verbose_name="BSN"
            ),
        ),
        migrations.AddField(
            model_name="applicant", name="bsn_digest", field=justis.fields.BSNDigestField(blank=True, source="bsn")
        ),
        migrations.AddField(
            model_name="keyperson",
            name="bsn_ciphertext",
            field=justis.fields.EncryptedBSNField(
                blank=True, validators=[applications.validators.validate_bsn], verbose_name="BSN"
            ),
        ),
        migrations.AddField(
            model_name="keyperson", name="bsn_digest", field=justis.fields.BSNDigestField(blank=True, source="bsn")
        ),
        migrations.RunPython(
            partial(encrypt_rows, **APPLICANT, digest="bsn_digest"), partial(decrypt_rows, **APPLICANT), elidable=False
        ),
        migrations.RunPython(
            partial(encrypt_rows, **KEY_PERSON, digest="bsn_digest"),
            partial(decrypt_rows, **KEY_PERSON),
            elidable=False,
        ),
        migrations.RemoveField(model_name="applicant", name="bsn"),
        migrations.RemoveField(model_name="keyperson", name="bsn"),
        migrations.RenameField(model_name="applicant", old_name="bsn_ciphertext", new_name="bsn"),
        migrations.RenameField(model_name="keyperson", old_name="bsn_ciphertext", new_name="bsn"),
        migrations.AlterField(
            model_name="applicant",
            name="bsn_digest",
            field=justis.fields.BSNDigestField(blank=True, db_index=True, source="bsn"),
        ),
        migrations.AddConstraint(
            model_name="applicant", constraint=models.CheckConstraint(condition=DIGEST, name="applicant_bsn_digest")
        ),
        migrations.AddConstraint(
            model_name="keyperson", constraint=models.CheckConstraint(condition=DIGEST, name="key_person_bsn_digest")
        ),
        migrations.AlterField(
            model_name="applicant",
            name="previous_identities",
            field=justis.fields.EncryptedIdentitiesField(blank=True, default=list, verbose_name="previous identities"),
        ),
        migrations.RunPython(
            partial(encrypt_identities, **IDENTITIES), partial(decrypt_identities, **IDENTITIES), elidable=False
        ),
    ]
