"""Helpers for the migrations that move plain BSN columns to EncryptedBSNField (batched, raw SQL).

Raw SQL because the historical models already carry the encrypting field classes: going through the
ORM would try to decrypt plain values. Each batch is one UPDATE ... FROM (VALUES ...).
"""

from __future__ import annotations

import json

from psycopg2 import sql
from psycopg2.extras import execute_values

from . import bsn_crypto

BATCH = 2000


def _settle(connection) -> None:
    """Run the deferred foreign-key checks the updates queued now, so the ALTER TABLEs that follow in
    the same migration do not fail with "pending trigger events"; then defer them again as before."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _query(cursor, template: str, **identifiers) -> str:
    """``template`` with its {placeholders} filled by quoted identifiers (table and column names)."""
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    named = {name: sql.Identifier(value) for name, value in identifiers.items()}
    return sql.SQL(template).format(**named).as_string(raw)


def _batches(connection, table: str, column: str):
    last = 0
    with connection.cursor() as cursor:
        query = _query(
            cursor,
            "SELECT id, {column} FROM {table} WHERE id > %s AND {column} IS NOT NULL AND {column} <> '' "
            "ORDER BY id LIMIT %s",
            table=table,
            column=column,
        )
        while True:
            cursor.execute(query, [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last = rows[-1][0]


def _update(cursor, table: str, columns: tuple[str, ...], values: list[tuple]) -> None:
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    query = sql.SQL("UPDATE {table} AS t SET {assignments} FROM (VALUES %s) AS v(id, {names}) WHERE t.id = v.id")
    assignments = sql.SQL(", ").join(
        sql.SQL("{column} = v.{column}").format(column=sql.Identifier(column)) for column in columns
    )
    names = sql.SQL(", ").join(sql.Identifier(column) for column in columns)
    statement = query.format(table=sql.Identifier(table), assignments=assignments, names=names).as_string(raw)
    execute_values(raw, statement, values, page_size=BATCH)


def encrypt_rows(apps, schema_editor, *, model: str, plain: str, cipher: str, digest: str) -> None:
    table = apps.get_model(model)._meta.db_table
    for cursor, rows in _batches(schema_editor.connection, table, plain):
        values = [(pk, bsn_crypto.encrypt(bsn), bsn_crypto.digest(bsn)) for pk, bsn in rows]
        _update(cursor, table, (cipher, digest), values)
    _settle(schema_editor.connection)


def decrypt_rows(apps, schema_editor, *, model: str, plain: str, cipher: str) -> None:
    table = apps.get_model(model)._meta.db_table
    for cursor, rows in _batches(schema_editor.connection, table, cipher):
        _update(cursor, table, (plain,), [(pk, bsn_crypto.decrypt(stored)) for pk, stored in rows])
    _settle(schema_editor.connection)


def _identities(connection, table: str, column: str, transform) -> None:
    last = 0
    with connection.cursor() as cursor:
        select = _query(
            cursor,
            "SELECT id, {column}::text FROM {table} WHERE id > %s AND jsonb_typeof({column}) = 'array' "
            "AND jsonb_array_length({column}) > 0 ORDER BY id LIMIT %s",
            table=table,
            column=column,
        )
        update = _query(
            cursor,
            "UPDATE {table} AS t SET {column} = v.doc::jsonb FROM (VALUES %s) AS v(id, doc) WHERE t.id = v.id",
            table=table,
            column=column,
        )
        while True:
            cursor.execute(select, [last, BATCH])
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
                execute_values(cursor.cursor if hasattr(cursor, "cursor") else cursor, update, values, page_size=BATCH)
            last = rows[-1][0]
    _settle(connection)


def encrypt_identities(apps, schema_editor, *, model: str, column: str) -> None:
    def seal(value):  # idempotent: a value already under a key stays as it is
        return value if ":" in str(value) else bsn_crypto.encrypt(str(value))

    _identities(schema_editor.connection, apps.get_model(model)._meta.db_table, column, seal)


def decrypt_identities(apps, schema_editor, *, model: str, column: str) -> None:
    _identities(schema_editor.connection, apps.get_model(model)._meta.db_table, column, bsn_crypto.decrypt)
