"""User.bsn encrypted at rest (AES-GCM) with a keyed lookup digest that carries the uniqueness."""

from functools import partial

from django.db import migrations, models

import justis.fields
from justis.bsn_migration import decrypt_rows, encrypt_rows

ROWS = {"model": "justis.User", "plain": "bsn", "cipher": "bsn_ciphertext"}


class Migration(migrations.Migration):
    dependencies = [("justis", "0019_audit_append_only")]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="user_bsn_9_digits"),
        migrations.AddField(
            model_name="user",
            name="bsn_ciphertext",
            field=justis.fields.EncryptedBSNField(blank=True, null=True, verbose_name="BSN"),
        ),
        migrations.AddField(
            model_name="user",
            name="bsn_digest",
            field=justis.fields.BSNDigestField(null=True, source="bsn"),
        ),
        migrations.RunPython(
            partial(encrypt_rows, **ROWS, digest="bsn_digest"), partial(decrypt_rows, **ROWS), elidable=False
        ),
        migrations.RemoveField(model_name="user", name="bsn"),
        migrations.RenameField(model_name="user", old_name="bsn_ciphertext", new_name="bsn"),
        migrations.AlterField(
            model_name="user",
            name="bsn_digest",
            field=justis.fields.BSNDigestField(null=True, source="bsn", unique=True),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("bsn_digest__isnull", True))
                | models.Q(("bsn_digest__regex", "^[0-9a-f]{64}$")),
                name="user_bsn_digest",
            ),
        ),
    ]
