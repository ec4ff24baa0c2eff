"""Database triggers that keep `members_member.pin_count` equal to the number
of the member's rows in `pins_pin`, whatever deletes or inserts them (the API,
the admin, a cascade from a deleted project, plain SQL).

The pin limit is checked against this counter inside the statement that
inserts a pin (see `pins.services.pin_create`).

SQLite drops a table's triggers when a migration rebuilds the table: a later
migration that alters `pins_pin` must create them again on SQLite; the test
`test_pin_count_follows_every_insert_and_delete` fails if it does not.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION pins_pin_count_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE members_member SET pin_count = pin_count - 1 WHERE id = OLD.member_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE members_member SET pin_count = pin_count + 1 WHERE id = NEW.member_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER pins_pin_count_sync
AFTER INSERT OR DELETE OR UPDATE OF member_id ON pins_pin
FOR EACH ROW EXECUTE FUNCTION pins_pin_count_sync();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS pins_pin_count_sync ON pins_pin;
DROP FUNCTION IF EXISTS pins_pin_count_sync();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER pins_pin_count_insert AFTER INSERT ON pins_pin
    BEGIN
        UPDATE members_member SET pin_count = pin_count + 1 WHERE id = NEW.member_id;
    END
    """,
    """
    CREATE TRIGGER pins_pin_count_delete AFTER DELETE ON pins_pin
    BEGIN
        UPDATE members_member SET pin_count = pin_count - 1 WHERE id = OLD.member_id;
    END
    """,
    """
    CREATE TRIGGER pins_pin_count_move AFTER UPDATE OF member_id ON pins_pin
    WHEN NEW.member_id <> OLD.member_id
    BEGIN
        UPDATE members_member SET pin_count = pin_count - 1 WHERE id = OLD.member_id;
        UPDATE members_member SET pin_count = pin_count + 1 WHERE id = NEW.member_id;
    END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS pins_pin_count_insert",
    "DROP TRIGGER IF EXISTS pins_pin_count_delete",
    "DROP TRIGGER IF EXISTS pins_pin_count_move",
]

BACKFILL = """
UPDATE members_member SET pin_count = (
    SELECT COUNT(*) FROM pins_pin WHERE pins_pin.member_id = members_member.id
)
"""


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRESQL_FORWARD, BACKFILL])
    elif vendor == "sqlite":
        _run(schema_editor, [*SQLITE_FORWARD, BACKFILL])
    else:
        raise NotImplementedError(f"No pin-count triggers for {vendor}")


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, [POSTGRESQL_BACKWARD])
    else:
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_member_pin_count"),
        ("pins", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
