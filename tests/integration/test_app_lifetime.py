"""An app that nobody holds any more is freed: nothing process-wide keeps it alive.

The test suite builds an app per test; one listener of the session factory holding its app
strongly kept every one of them (and its URL map, templates and engine) for the whole run,
each worker growing past 1 GB and the garbage collector walking all of it (issue 19).
"""

from __future__ import annotations

import gc
import weakref

from sqlalchemy import text

from testimonials import create_app


def test_an_app_no_one_holds_is_freed(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "ENV_NAME": "testing"})
    with app.app_context(), app.extensions["waitline.sessionmaker"]() as session:
        session.execute(text("SELECT 1"))
        session.commit()  # the session factory's listeners have run
    app.extensions["waitline.engine"].dispose()
    gone = weakref.ref(app)
    del app
    gc.collect()
    assert gone() is None
