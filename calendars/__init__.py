"""Meetings to iCalendar feeds, and calendar exports to meeting records (pure).

Feeds and ``lcpg ics`` arrive with the calendars issue; nothing is generated yet.
"""
