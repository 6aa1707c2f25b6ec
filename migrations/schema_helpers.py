"""Table, column and constraint helpers of the migrations in versions/.

Frozen: past migrations depend on it, and the schema they create must stay the same to the byte on SQLite and
PostgreSQL. Add a new helper rather than changing one; a migration that needs another shape writes it out.
Names follow recours.store.metadata's naming convention (pk_/uq_/fk_/ck_/ix_ + table + columns).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_table(table: str, *columns_and_constraints: sa.Column | sa.Constraint) -> None:
    """``op.create_table`` with the integer ``id`` every table of the store has as its primary key."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        *columns_and_constraints,
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    )


def delivery_state() -> list[sa.Column]:
    """The columns of an outbox row's delivery (recours/outbox.py), shared by every outbox table."""
    return [
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=64), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    ]


def one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    """``column IN ('a', 'b', …)``, named ``ck_<table>_<column>``."""
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    """A unique constraint named ``uq_<table>_<columns>``."""
    return sa.UniqueConstraint(*columns, name=f"uq_{table}_{'_'.join(columns)}")


def foreign_key(table: str, column: str, target: str, *, ondelete: str) -> sa.ForeignKeyConstraint:
    """``column`` referencing ``target`` (``"table.column"``), named ``fk_<table>_<column>``."""
    return sa.ForeignKeyConstraint([column], [target], name=f"fk_{table}_{column}", ondelete=ondelete)


def create_index(table: str, *columns: str) -> None:
    """One index on ``columns`` (several make a composite index), named ``ix_<table>_<columns>``."""
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def drop_index(table: str, *columns: str) -> None:
    """Drops the index ``create_index(table, *columns)`` made."""
    op.drop_index(f"ix_{table}_{'_'.join(columns)}", table_name=table)
