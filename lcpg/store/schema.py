"""The database tables, as SQLAlchemy 2 typed ORM classes.

Natural keys are enforced by unique constraints so that two writers (two imports, two planners)
cannot create duplicates: people by e-mail, memberships by (body, person, sector, start),
meetings by (body, start), attendance by (meeting, person). A schema change needs a new Alembic
revision in ``lcpg/store/migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class BodyRow(Base):
    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(80))
    # The body's own meeting preferences for the planner (Monday is 0); NULL: the blueprint's.
    preferred_weekday: Mapped[int | None] = mapped_column(SmallInteger)
    preferred_time: Mapped[time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(Text, default="", server_default="")


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("body_id", "person_id", "sector", "start", name="uq_memberships_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    sector: Mapped[str] = mapped_column(String(80))
    # Role slugs separated by ";", sorted: the roles held for exactly this membership's span.
    roles: Mapped[str] = mapped_column(String(400), default="")
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)

    body: Mapped[BodyRow] = relationship()
    person: Mapped[PersonRow] = relationship()


# NULLs are distinct in a unique constraint, so memberships with no start date need their own
# (partial) unique index to keep the natural key unique on both SQLite and PostgreSQL.
Index(
    "uq_memberships_key_open_start",
    MembershipRow.body_id,
    MembershipRow.person_id,
    MembershipRow.sector,
    unique=True,
    sqlite_where=MembershipRow.start.is_(None),
    postgresql_where=MembershipRow.start.is_(None),
)


class MeetingRow(Base):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("body_id", "start", name="uq_meetings_body_start"),)

    # The stable identity (a UUID string): never changes when the meeting moves.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    # Wall-clock times in the blueprint's time zone (see domain.model).
    start: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    end: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    venue: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    # Calendar revision: SEQUENCE rises each time the meeting moves or changes, and
    # modified_at (UTC) is when it last did; feeds publish both so calendars update in place.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    modified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))

    body: Mapped[BodyRow] = relationship()


Index("ix_meetings_start", MeetingRow.start)


class AttendanceRow(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", name="uq_attendance_meeting_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))


class SettingRow(Base):
    """Facts about the database itself, such as which blueprint initialised it."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CheckRunRow(Base):
    """A recorded compliance check: what it found as of a date, kept to compare and reproduce."""

    __tablename__ = "check_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    blueprint: Mapped[str] = mapped_column(String(200))


class CheckFindingRow(Base):
    __tablename__ = "check_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("check_runs.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(80))
    message: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(Text)
    # The finding's evidence as JSON text (portable between SQLite and PostgreSQL).
    evidence: Mapped[str] = mapped_column(Text)


class FeedTokenRow(Base):
    """A personal feed's secret, stored only as its SHA-256 (the secret itself is shown once)."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))


class OutboxRow(Base):
    """An e-mail on its way: written before it is delivered, marked when it was, so that
    nothing is lost and nothing is sent twice. (week, recipient, kind) is unique."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("week", "recipient", "kind", name="uq_outbox_week_recipient_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(10), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    # The whole message as sent (RFC 5322 bytes, as text), so a resend is the same message.
    message: Mapped[str] = mapped_column(Text)
    # pending, sending, sent, or expired (left unsent longer than a run looks back).
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # Counts the claims: a run claims a message only if it still has the count it saw.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    # The claiming process (services.outbox_claims.ClaimOwner); None before revision 0008.
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))


class SchoolTermRow(Base):
    """A school term the team imported (``lcpg terms import``), first and last day included.
    Terms are kept by academic year (``"2026/27"``): an import replaces whole years, which then
    replace the shipped term-date files' years of the same label."""

    __tablename__ = "school_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date, unique=True)
    end: Mapped[date] = mapped_column(Date)
    # The file the year was imported from, as the command was given it.
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
