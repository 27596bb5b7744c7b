"""E-mail addresses: the one check every way in uses, and the register's form of an address.

An address reaches lcpg from the workbook import (people, memberships, attendance), from the
command line (``feeds token create EMAIL``, ``email preview --to``) and from the e-mail
settings (``LCPG_TEAM_EMAILS``, ``LCPG_MAIL_FROM``); the weekly send checks each recipient
again before it builds a message (an address stored by an older lcpg was never checked). All
of them call ``normalise_address``, so an address the register holds can always be put into a
header and given to an SMTP server.

The check is email-validator's (syntax only: ``check_deliverability=False``, no DNS). It
refuses what an SMTP server without SMTPUTF8, or Python's ``email`` package, cannot take or
would read differently: quoted local parts (``"x,y"@...``), ``;`` ``:`` ``(`` and other
specials, a non-ASCII local part, display names, IP-address domains, host names without a
dot, reserved names (``.invalid``, ``.localhost``) and invisible or unsafe characters
(zero-width and no-break spaces, soft hyphens, direction overrides, control characters).
Only ASCII spaces, tabs and line breaks around the address are trimmed.
"""

from __future__ import annotations

from typing import Final

__all__ = ["AddressError", "normalise_address"]

# What a cell or an argument may have around an address (a space typed after it, a line end):
# anything else, a no-break space included, is refused rather than quietly dropped.
_TRIMMED: Final = " \t\r\n"


class AddressError(ValueError):
    """Not an e-mail address lcpg can send to; ``str()`` says which and why."""


def normalise_address(text: str) -> str:
    """The register's form of the address ``text``: trimmed of ASCII spaces and line breaks,
    lower case (addresses are keys), and the domain in its ASCII form (``bücher.example``
    becomes ``xn--bcher-kva.example``). Pure; no DNS.

    Raises ``AddressError`` (``not an email address: 'text': reason``) for anything else,
    email-validator's reason naming the character or part that is wrong."""
    from email_validator import EmailNotValidError, validate_email

    candidate = text.strip(_TRIMMED)
    if not candidate:
        raise AddressError("not an email address: a value is required")
    try:
        valid = validate_email(
            candidate,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as exc:
        raise AddressError(f"not an email address: {text!r}: {exc}") from None
    # Without SMTPUTF8 the local part is ASCII, so the ASCII form always exists.
    return (valid.ascii_email or valid.normalized).lower()
