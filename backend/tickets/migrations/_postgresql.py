"""SQL a migration runs on PostgreSQL only (not a migration itself: the loader skips modules
whose name starts with an underscore). SQLite has no GIN indexes, pg_trgm or storage
parameters; searching and counting there need none of them."""

from typing import Any

from django.db import migrations


def on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A `RunPython` that executes `forward` (and, reversed, `backward`) on PostgreSQL only."""

    def run(statements: list[str]) -> Any:
        def execute(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                for sql in statements:
                    schema_editor.execute(sql)

        return execute

    return migrations.RunPython(run(forward), run(backward))
