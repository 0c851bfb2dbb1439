"""Model fields that keep BSNs encrypted at rest (see justis/bsn_crypto.py for the cryptography).

``bsn = EncryptedBSNField()`` with its companion ``bsn_digest = BSNDigestField(source="bsn")``:

- In Python ``obj.bsn`` is the plain 9-digit string (or "" / None): the column holds randomised AES-GCM
  ciphertext, encrypted when written (save, bulk_create, bulk_update, update) and decrypted when read.
- ``obj.bsn_digest`` is derived from ``obj.bsn`` whenever it is read, so save() and bulk_create()
  (both call ``field.pre_save``) always write the digest of the BSN being written. It carries the
  index and the uniqueness.
- ``filter(bsn=x)``, ``get(bsn=x)``, ``exclude(bsn="")``, ``filter(bsn__in=[...])`` and the same
  through relations (``applicant__bsn=x``) are translated to the digest column; ``bsn__isnull`` works
  on the column itself. Every other lookup or transform (contains, startswith, regex, lower, ...)
  raises FieldError: on ciphertext it could only return nothing. Ordering by the field sorts by
  ciphertext, which means nothing: do not.
- ``QuerySet.update(bsn=...)`` and ``bulk_update(objs, ["bsn"])`` encrypt but do not touch the digest:
  change a BSN with ``save()`` (or include ``bsn_digest`` in ``bulk_update``'s fields).

``EncryptedIdentitiesField`` is a JSONField for lists of earlier identities (dicts) whose ``"bsn"``
entries are encrypted the same way; nothing looks them up.
"""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, Lookup

from . import bsn_crypto

ALLOWED_LOOKUPS = {"exact", "in", "isnull"}


class EncryptedBSNField(models.CharField):
    description = "A BSN, stored as AES-GCM ciphertext and found through its keyed digest"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = bsn_crypto.CIPHERTEXT_MAX_LENGTH
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    @property
    def digest_field_name(self) -> str:
        return f"{self.name}_digest"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            companion = self.model._meta.get_field(self.digest_field_name)
        except FieldDoesNotExist:
            companion = None
        if not isinstance(companion, BSNDigestField) or companion.source != self.name:
            errors.append(
                checks.Error(
                    f"{self.model.__name__}.{self.name} needs a companion "
                    f'{self.digest_field_name} = BSNDigestField(source="{self.name}").',
                    obj=self,
                    id="justis.E201",
                )
            )
        return errors

    def from_db_value(self, value, expression, connection):
        return bsn_crypto.decrypt(value)

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip() if isinstance(value, str) else value

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return bsn_crypto.encrypt(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 9, **kwargs})

    def get_lookup(self, lookup_name):
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: only exact, in and isnull lookups work "
                f"(through the keyed digest), not {lookup_name!r}."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted: no transform ({lookup_name!r}) can work on it."
        )


class _DigestLookup(Lookup):
    """A lookup on an EncryptedBSNField, compiled as the same lookup on its digest column."""

    prepare_rhs = False

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("An encrypted BSN can only be compared with plain values, not expressions or queries.")
        return self.rhs

    def digest_column(self) -> Col:
        if not isinstance(self.lhs, Col):
            raise FieldError("An encrypted BSN can only be looked up as a model field.")
        target = self.lhs.target
        return Col(self.lhs.alias, target.model._meta.get_field(target.digest_field_name))

    def as_sql(self, compiler, connection):
        return compiler.compile(self.on_digest())

    def on_digest(self) -> Lookup:
        raise NotImplementedError


@EncryptedBSNField.register_lookup
class BSNExact(_DigestLookup):
    lookup_name = "exact"

    def on_digest(self):
        return Exact(self.digest_column(), bsn_crypto.digest(str(self.rhs)))


@EncryptedBSNField.register_lookup
class BSNIn(_DigestLookup):
    lookup_name = "in"

    def get_prep_lookup(self):
        rhs = super().get_prep_lookup()
        if isinstance(rhs, str):
            raise FieldError("bsn__in takes a list of BSNs, not one string.")
        return [str(value) for value in rhs if value is not None]

    def on_digest(self):
        return In(self.digest_column(), [bsn_crypto.digest(value) for value in self.rhs])


class _DigestDescriptor:
    """``obj.<name>_digest`` is always the digest of ``obj.<name>``: computed when read, kept until it changes."""

    _unset = object()

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        plain = getattr(instance, self.field.source)
        data = instance.__dict__
        attname, of = self.field.attname, self.field.cache_name
        if data.get(of, self._unset) != plain or attname not in data:
            data[attname] = bsn_crypto.digest(plain)
            data[of] = plain
        return data[attname]

    def __set__(self, instance, value):
        # A value from the database or a constructor; read it back through __get__, which checks it.
        instance.__dict__[self.field.attname] = value
        instance.__dict__.pop(self.field.cache_name, None)


class BSNDigestField(models.CharField):
    """HMAC-SHA256 of the BSN in ``source`` under BSN_LOOKUP_KEY (64 hex characters; "" for no BSN)."""

    description = "The keyed lookup digest of an encrypted BSN"
    descriptor_class = _DigestDescriptor

    def __init__(self, *args, source: str = "bsn", **kwargs):
        self.source = source
        kwargs["max_length"] = bsn_crypto.DIGEST_LENGTH
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    @property
    def cache_name(self) -> str:
        return f"_{self.attname}_of"

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs.pop("editable", None)
        kwargs["source"] = self.source
        return name, path, args, kwargs


def _seal_identities(identities, transform):
    if not isinstance(identities, list):
        return identities
    return [
        {**identity, "bsn": transform(identity["bsn"])}
        if isinstance(identity, dict) and identity.get("bsn")
        else identity
        for identity in identities
    ]


class EncryptedIdentitiesField(models.JSONField):
    """A list of earlier identities (dicts); the ``"bsn"`` of each is encrypted at rest."""

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(_seal_identities(value, bsn_crypto.encrypt), connection)

    def from_db_value(self, value, expression, connection):
        return _seal_identities(super().from_db_value(value, expression, connection), bsn_crypto.decrypt)
