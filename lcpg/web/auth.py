"""The dashboard's login: needed whenever the server is reachable from other machines.

One shared password from configuration (``LCPG_DASHBOARD_PASSWORD``, or its werkzeug hash in
``LCPG_DASHBOARD_PASSWORD_HASH``) signs a person in for the session. Sessions are signed
cookies (HttpOnly, SameSite=Lax, Secure unless told otherwise); the login form carries a CSRF
token (Flask-WTF). Feeds never need a login: calendar apps cannot sign in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired

F = TypeVar("F", bound=Callable[..., Any])
REQUIRE_LOGIN = "LCPG_REQUIRE_LOGIN"
PASSWORD_HASH = "LCPG_PASSWORD_HASH"

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField("Password", validators=[DataRequired()])


def login_required(view: F) -> F:
    """Send visitors to the login page first, when the server requires a login."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_app.config[REQUIRE_LOGIN] and not session.get("signed_in"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to another host.
    if (
        not target
        or urlsplit(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        if check_password_hash(current_app.config[PASSWORD_HASH], form.password.data or ""):
            session.clear()
            session["signed_in"] = True
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else 200
    return render_template("login.html.j2", form=form, failed=failed), status  # type: ignore[return-value]


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    session.clear()
    return redirect(url_for("auth.login"))


def install(app: Flask) -> None:
    app.register_blueprint(bp)
