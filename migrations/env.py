"""Alembic environment: runs on the engine handed over by testimonials.migrate."""

from __future__ import annotations

from alembic import context

from testimonials.migrate import include_name, render_item
from testimonials.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise SystemExit("Run migrations through the app: flask --app app db upgrade")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        # Search tables, triggers and columns live in migrations only; leave them alone.
        include_name=include_name,
        # Our column types are written as plain SQLAlchemy ones: a migration never imports the app.
        render_item=render_item,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
