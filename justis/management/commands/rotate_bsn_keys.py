"""Re-encrypt every stored BSN that is not under the current (first) key of BSN_ENCRYPTION_KEYS.

Rotation: put the new key first in BSN_ENCRYPTION_KEYS (keep the old ones after it), deploy, run this
command, and drop an old key only when this command reports nothing left under it. Idempotent: rows
already under the current key are skipped, so running it twice (or after an interruption) is safe.
The digests do not change (the lookup key is not rotated by this command).
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from justis import bsn_crypto
from justis.fields import EncryptedBSNField, EncryptedIdentitiesField

BATCH = 1000


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedBSNField | EncryptedIdentitiesField):
                yield model, field


def stale(model, field, current: str):
    """The rows whose stored value of ``field`` is not (only) under the current key."""
    stored = model._default_manager.annotate(_stored=Cast(field.name, output_field=TextField()))
    if isinstance(field, EncryptedIdentitiesField):
        # A BSN in an identity is '"bsn": "<key id>:...'; any other key id than the current one.
        return stored.filter(_stored__regex=r'"bsn": "(?!' + current + r':)[^"]+"')
    return stored.exclude(_stored__isnull=True).exclude(_stored="").exclude(_stored__startswith=f"{current}:")


class Command(BaseCommand):
    help = "Re-encrypt stored BSNs under the current BSN encryption key (key rotation); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args, batch, **options):
        current = bsn_crypto.current_key_id()
        for model, field in encrypted_fields():
            done = 0
            last = None
            while True:
                rows = stale(model, field, current).order_by("pk")
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                ids = list(rows.values_list("pk", flat=True)[:batch])
                if not ids:
                    break
                with transaction.atomic():
                    objects = list(model._default_manager.select_for_update().filter(pk__in=ids).only("pk", field.name))
                    # Read decrypts with whichever key, write encrypts with the current one.
                    model._default_manager.bulk_update(objects, [field.name])
                done += len(objects)
                last = ids[-1]
            self.stdout.write(f"{model._meta.label}.{field.name}: {done} re-encrypted under key {current!r}")
