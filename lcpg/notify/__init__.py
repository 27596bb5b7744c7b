"""The weekly compliance emails: composing them, delivering them exactly once, on a schedule.

``messages`` holds the plain records; ``compose`` builds a week's messages from a compliance
report (pure); ``mime`` turns one into an ``email.message.EmailMessage``; ``transport`` delivers
(SMTP, or ``.eml`` files in an outbox folder); ``scheduler`` runs the weekly send and the
nightly feed export with APScheduler 3. Delivery goes through the outbox table
(``lcpg.services.email``): written first, delivered, then marked sent, so nothing is lost or sent
twice.
"""
