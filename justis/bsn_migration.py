"""Helpers for the migrations that move plain BSN columns to EncryptedBSNField (batched, raw SQL).

Raw SQL because the historical models already carry the encrypting field classes: going through the
ORM would try to decrypt plain values. Each batch is one UPDATE ... FROM (VALUES ...).
"""

from __future__ import annotations

import json

from psycopg2.extras import execute_values

from . import bsn_crypto

BATCH = 2000


def _batches(connection, table: str, column: str):
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f'SELECT id, "{column}" FROM "{table}" WHERE id > %s AND "{column}" IS NOT NULL '
                f"AND \"{column}\" <> '' ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last = rows[-1][0]


def _update(cursor, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
    assignments = ", ".join(f'"{column}" = v."{column}"' for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    execute_values(
        cursor.cursor if hasattr(cursor, "cursor") else cursor,
        f'UPDATE "{table}" AS t SET {assignments} FROM (VALUES %s) AS v(id, {names}) WHERE t.id = v.id',
        values,
        page_size=BATCH,
    )


def encrypt_rows(apps, schema_editor, *, model: str, plain: str, cipher: str, digest: str) -> None:
    table = apps.get_model(model)._meta.db_table
    for cursor, rows in _batches(schema_editor.connection, table, plain):
        values = [(pk, bsn_crypto.encrypt(bsn), bsn_crypto.digest(bsn)) for pk, bsn in rows]
        _update(cursor, table, (cipher, digest), values)


def decrypt_rows(apps, schema_editor, *, model: str, plain: str, cipher: str) -> None:
    table = apps.get_model(model)._meta.db_table
    for cursor, rows in _batches(schema_editor.connection, table, cipher):
        _update(cursor, table, (plain,), [(pk, bsn_crypto.decrypt(stored)) for pk, stored in rows])


def _identities(connection, table: str, column: str, transform) -> None:
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f'SELECT id, "{column}"::text FROM "{table}" WHERE id > %s AND jsonb_typeof("{column}") = \'array\' '
                f'AND jsonb_array_length("{column}") > 0 ORDER BY id LIMIT %s',
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            values = []
            for pk, text in rows:
                identities = json.loads(text)
                changed = [
                    {**item, "bsn": transform(item["bsn"])} if isinstance(item, dict) and item.get("bsn") else item
                    for item in identities
                ]
                if changed != identities:
                    values.append((pk, json.dumps(changed)))
            if values:
                execute_values(
                    cursor.cursor if hasattr(cursor, "cursor") else cursor,
                    f'UPDATE "{table}" AS t SET "{column}" = v.doc::jsonb FROM (VALUES %s) AS v(id, doc) '
                    "WHERE t.id = v.id",
                    values,
                    page_size=BATCH,
                )
            last = rows[-1][0]


def encrypt_identities(apps, schema_editor, *, model: str, column: str) -> None:
    def seal(value):  # idempotent: a value already under a key stays as it is
        return value if ":" in str(value) else bsn_crypto.encrypt(str(value))

    _identities(schema_editor.connection, apps.get_model(model)._meta.db_table, column, seal)


def decrypt_identities(apps, schema_editor, *, model: str, column: str) -> None:
    _identities(schema_editor.connection, apps.get_model(model)._meta.db_table, column, bsn_crypto.decrypt)
