"""Queue a message in the caller's transaction; deliver it after the commit.

    ids = [mail.queue(to, "confirm_email", link=...)]   # inside the unit of work (flushes)
    db.session.commit()
    outcome = mail.deliver(ids)                           # SENT, RETRY or FILE

`queue` renders the text and HTML bodies from `clientela/shared/emails/<template>.txt|.html`
(the subject is the .txt's first line, `Subject: ...`) in the current locale, so what is
stored is what the client reads. `deliver` sends over SMTP (Flask-Mail's `MAIL_*` settings);
a failure leaves the row pending with its error (`flask clientela send-mail` retries) and is
never raised. Without `MAIL_SERVER` each message is written as an .eml file under
`CLIENTELA_MAIL_DIR` (default `<instance>/mail/`), which is what `make run` does.

Two senders never send one row twice: each claims it first (an UPDATE that only one wins;
a claim older than `CLAIM_SECONDS` is taken over, so a crash never strands a message).
"""

import logging
import smtplib
import ssl
from collections.abc import Iterable
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import func, or_, select, update

from portal import db
from portal.config import setting
from portal.db import utcnow
from portal.mail.models import PENDING, SENT, OutboxMessage

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "clientela/shared/emails"
CLAIM_SECONDS = 120


class Outcome(StrEnum):
    SENT = "sent"  # handed to the SMTP server
    RETRY = "retry"  # the server failed; kept in the outbox for `send-mail`
    FILE = "file"  # no MAIL_SERVER: written as .eml under the mail folder
    NONE = "none"  # nothing to deliver


def queue(recipient: str, template: str, **context) -> int:
    """Store a message for `recipient` rendered from `template`; returns its id (flushed)."""
    text = render_template(f"{TEMPLATE_DIR}/{template}.txt", **context)
    html = render_template(f"{TEMPLATE_DIR}/{template}.html", **context)
    first, _, body = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    message = OutboxMessage(
        recipient=recipient,
        subject=subject[:300],
        text_body=body.lstrip("\n"),
        html_body=html,
        template=template,
    )
    db.session.add(message)
    db.session.flush()
    return message.id


def file_mode() -> bool:
    """True when no SMTP server is configured: messages go to .eml files."""
    return not setting("MAIL_SERVER")


def mail_dir() -> Path:
    return Path(setting("CLIENTELA_MAIL_DIR") or Path(current_app.instance_path) / "mail")


def deliver(ids: Iterable[int]) -> Outcome:
    """Deliver these pending messages now (after the commit that stored them)."""
    ids = list(ids)
    if not ids:
        return Outcome.NONE
    return _deliver(select(OutboxMessage.id).where(OutboxMessage.id.in_(ids)))[0]


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Retry the outbox (the `send-mail` command): (delivered, still pending)."""
    chosen = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == PENDING)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    _outcome, sent = _deliver(chosen)
    pending = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == PENDING)
    )
    return sent, pending or 0


def _claim(message_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == PENDING,
            or_(
                OutboxMessage.claimed_at.is_(None),
                OutboxMessage.claimed_at < now - timedelta(seconds=CLAIM_SECONDS),
            ),
        )
        .values(attempts=OutboxMessage.attempts + 1, last_attempt_at=now, claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _deliver(chosen) -> tuple[Outcome, int]:
    """(outcome, how many were delivered) for the pending messages `chosen` selects."""
    ids = list(db.session.scalars(chosen))
    claimed = [i for i in ids if _claim(i)]
    if not claimed:
        return Outcome.NONE, 0
    messages = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )
    if file_mode():
        folder = mail_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            path = folder / f"{message.created_at:%Y%m%d-%H%M%S}-{message.id:06d}.eml"
            path.write_bytes(bytes(_email(message)))
            _mark_sent(message)
        db.session.commit()
        return Outcome.FILE, len(messages)
    failed = False
    try:
        with _connect() as smtp:
            for message in messages:
                try:
                    smtp.send_message(_email(message))
                except (smtplib.SMTPException, OSError) as exc:
                    failed = True
                    _mark_failed(message, exc)
                else:
                    _mark_sent(message)
                db.session.commit()
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        failed = True
        for message in messages:
            if message.status != SENT:
                _mark_failed(message, exc)
        db.session.commit()
    sent = sum(1 for m in messages if m.status == SENT)
    return (Outcome.RETRY if failed else Outcome.SENT), sent


def _mark_sent(message: OutboxMessage) -> None:
    message.status = SENT
    message.sent_at = utcnow()
    message.last_error = None
    message.claimed_at = None


def _mark_failed(message: OutboxMessage, exc: BaseException) -> None:
    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
    message.claimed_at = None  # released: the next `send-mail` retries it
    logger.warning("mail: message %s to the outbox for a retry (%s)", message.id, exc)


def _connect() -> smtplib.SMTP:
    host = setting("MAIL_SERVER")
    port = int(setting("MAIL_PORT"))
    timeout = float(setting("CLIENTELA_MAIL_TIMEOUT"))
    if setting("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if setting("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
    if setting("MAIL_USERNAME"):
        smtp.login(setting("MAIL_USERNAME"), setting("MAIL_PASSWORD") or "")
    return smtp


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = setting("MAIL_DEFAULT_SENDER")
    email["To"] = message.recipient
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    email["Message-ID"] = make_msgid(f"clientela-{message.id}")
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def expected_outcome() -> Outcome:
    """What a delivery would be now, for a page that queued nothing (same answer anyway)."""
    return Outcome.FILE if file_mode() else Outcome.SENT


def outcome_notice(outcome: Outcome | None) -> str | None:
    """What the page tells about the e-mail it just sent (None: nothing to add)."""
    from portal.i18n import _

    if outcome == Outcome.FILE:
        return _(
            "No mail server is configured (MAIL_SERVER): the e-mail was written as a file "
            "under %(folder)s.",
            folder=str(mail_dir()),
        )
    if outcome == Outcome.RETRY:
        return _(
            "The e-mail could not be sent right now. It is kept and will be sent again "
            "shortly: nothing else to do."
        )
    return None
