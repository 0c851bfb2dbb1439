"""BSNs at rest: randomised AES-256-GCM ciphertext to read them back, a keyed digest to find them.

A stored BSN looks like ``<key id>:<base64url(nonce || ciphertext || tag)>``. The key id names the
entry of ``BSN_ENCRYPTION_KEYS`` that encrypted it, so keys can rotate: the first key encrypts, every
key decrypts, and ``manage.py rotate_bsn_keys`` re-encrypts the rows still under an older key. The
nonce is random, so the same BSN never gives the same ciphertext twice: the ciphertext cannot be
used to find a person. For that there is the digest: HMAC-SHA256 of the BSN under ``BSN_LOOKUP_KEY``
(a separate key), as 64 hex characters, which equality lookups and uniqueness use.

The empty BSN (a person without one) is stored as the empty string, with the empty digest, and
``None`` as NULL: that a person has no BSN is not a secret, and ``exclude(bsn="")`` keeps working.

Keys are parsed once and the AESGCM objects reused; the digest is the standard library's one-shot
HMAC. Encrypting and digesting 70,000 BSNs costs well under a second (see docs/architecture.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_ID = re.compile(r"^[a-z0-9]{1,16}$")
NONCE_BYTES = 12
DIGEST_PATTERN = r"^[0-9a-f]{64}$"
# What the digest of a real BSN looks like; the empty BSN has the empty digest.
DIGEST_LENGTH = 64
# A BSN is 9 bytes: key id (up to 16) + ":" + base64 of 12 + 9 + 16 bytes (52 characters).
CIPHERTEXT_MAX_LENGTH = 80
# The associated data binds a ciphertext to its purpose: a BSN ciphertext cannot pass as anything else.
AAD = b"justis-bsn-v1"


class BSNDecryptionError(Exception):
    """A stored BSN that cannot be read: unknown key id, tampered or truncated. Never silently empty."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    ciphers: dict[str, AESGCM]
    lookup_key: bytes


def parse_key(entry: str, *, setting: str) -> tuple[str, bytes]:
    """``"<id>:<base64 of 32 bytes>"`` as (id, key); ImproperlyConfigured on anything else."""
    key_id, sep, encoded = entry.strip().partition(":")
    if not sep or not KEY_ID.match(key_id):
        raise ImproperlyConfigured(f"{setting}: each key is '<id>:<base64 of 32 bytes>' with an id of a-z, 0-9.")
    try:
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{setting}: key {key_id!r} is not valid base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{setting}: key {key_id!r} must be 32 bytes (AES-256), not {len(key)}.")
    return key_id, key


def decode_lookup_key(value: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("BSN_LOOKUP_KEY is not valid base64.") from exc
    if len(key) < 32:
        raise ImproperlyConfigured("BSN_LOOKUP_KEY must be at least 32 bytes.")
    return key


def development_key(purpose: str) -> str:
    """A fixed, public key for development and tests only (production refuses to start without real keys)."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"justis-development-only|{purpose}".encode()).digest()).decode()


def generate_key() -> str:
    """A new random key in the form the settings expect (without the id)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@cache
def keyring() -> Keyring:
    entries = list(settings.BSN_ENCRYPTION_KEYS)
    if not entries:
        raise ImproperlyConfigured("BSN_ENCRYPTION_KEYS needs at least one key.")
    ciphers: dict[str, AESGCM] = {}
    for entry in entries:
        key_id, key = parse_key(entry, setting="BSN_ENCRYPTION_KEYS")
        if key_id in ciphers:
            raise ImproperlyConfigured(f"BSN_ENCRYPTION_KEYS: key id {key_id!r} appears twice.")
        ciphers[key_id] = AESGCM(key)
    current_id = parse_key(entries[0], setting="BSN_ENCRYPTION_KEYS")[0]
    return Keyring(current_id=current_id, ciphers=ciphers, lookup_key=decode_lookup_key(settings.BSN_LOOKUP_KEY))


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"BSN_ENCRYPTION_KEYS", "BSN_LOOKUP_KEY"}:
        keyring.cache_clear()


def check_keys(app_configs=None, **kwargs):
    """System check: the keys parse, and production does not run on the public development keys."""
    from django.core import checks

    try:
        ring = keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="justis.E202")]
    if getattr(settings, "PRODUCTION", False):
        dev_lookup = development_key("bsn-lookup")
        dev_keys = {development_key("bsn-encryption")}
        used = {parse_key(entry, setting="BSN_ENCRYPTION_KEYS")[1] for entry in settings.BSN_ENCRYPTION_KEYS}
        if (
            settings.BSN_LOOKUP_KEY == dev_lookup
            or "dev" in ring.ciphers
            or any(base64.urlsafe_b64encode(key).decode() in dev_keys for key in used)
        ):
            return [checks.Error("Production uses the public development BSN keys.", id="justis.E203")]
    return []


def current_key_id() -> str:
    return keyring().current_id


def encrypt(bsn: str | None) -> str | None:
    """The stored form of ``bsn``: ``None`` and ``""`` stay as they are."""
    if not bsn:
        return bsn
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.current_id].encrypt(nonce, bsn.encode("utf-8"), AAD)
    return f"{ring.current_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def decrypt(stored: str | None) -> str | None:
    """The BSN in ``stored``; BSNDecryptionError when it cannot be read."""
    if not stored:
        return stored
    key_id, sep, encoded = stored.partition(":")
    cipher = keyring().ciphers.get(key_id)
    if not sep or cipher is None:
        raise BSNDecryptionError(f"BSN encrypted under an unknown key id {key_id[:16]!r}.")
    try:
        raw = base64.urlsafe_b64decode(encoded)
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], AAD).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise BSNDecryptionError(f"BSN under key {key_id!r} fails authentication (tampered or truncated).") from exc


def key_id_of(stored: str | None) -> str | None:
    return stored.partition(":")[0] if stored else None


def digest(bsn: str | None) -> str | None:
    """The lookup digest of ``bsn``: ``None`` and ``""`` stay as they are."""
    if not bsn:
        return bsn
    return hmac.digest(keyring().lookup_key, bsn.encode("utf-8"), "sha256").hex()
