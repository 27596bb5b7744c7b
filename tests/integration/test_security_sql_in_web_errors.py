"""A database error while `lcpg serve` answers a request is logged as one line without the SQL
(or its values, which may be people's details), and the page is a plain error page
(SECURITY.md, "SQL and personal data in database errors")."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from lcpg.bootstrap import App
from lcpg.web.app import WebSettings, create_app


def test_a_database_error_is_one_line_in_the_log_without_sql(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    client = create_app(app, WebSettings.for_tests()).test_client()
    assert client.get("/").status_code == 200
    with app.engine.begin() as connection:  # a register damaged by hand
        connection.execute(text("DROP TABLE attendance"))

    with caplog.at_level(logging.ERROR):
        response = client.get("/")

    page = response.get_data(as_text=True)
    assert response.status_code in (500, 503), page
    assert "Traceback" not in page and "SELECT" not in page
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "attendance" in logged  # the table, so an administrator knows where to look
    for shown in (caplog.text, logged):
        assert "Traceback" not in shown
        assert "SELECT" not in shown and "FROM" not in shown
    assert all(r.exc_info is None for r in caplog.records)
