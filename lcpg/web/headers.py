"""The security headers every response of ``lcpg serve`` carries.

The pages are self-contained: inline ``<style>`` and inline SVG, no scripts, no images, fonts
or stylesheets from anywhere, and forms that post back to this site. So the Content Security
Policy allows exactly that: nothing may load (``default-src 'none'``) except inline styles,
forms go to this site only, and no other site may frame a page (``frame-ancestors 'none'``,
and ``X-Frame-Options: DENY`` for older browsers), so no page can be clickjacked. Browsers may
not guess another type than the one sent (``nosniff``), and send the address of a page only to
this site (``same-origin``: the CSRF check over HTTPS needs the Referer of our own forms).

Pages name members, so nothing stores them (``Cache-Control: no-store``): every response that
sets no ``Cache-Control`` of its own. The feeds set theirs (``public, max-age=900``; personal
ones ``private, no-cache``) and keep them.
"""

from __future__ import annotations

from typing import Final

from flask import Flask
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
NO_STORE: Final = "no-store"


def add_security_headers(response: Response) -> Response:
    """``response`` with ``SECURITY_HEADERS``, and ``no-store`` unless it says how to cache."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = NO_STORE
    return response


def install(flask: Flask) -> None:
    flask.after_request(add_security_headers)
