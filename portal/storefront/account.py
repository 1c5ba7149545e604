"""Criar conta, e-mail confirmation, Esqueci minha senha, and the password links."""

from flask import current_app, redirect, render_template, request, url_for

from portal import db
from portal.clients import accounts
from portal.errors import DomainError
from portal.extension_points import client_saved, send
from portal.extensions import limiter
from portal.i18n import _
from portal.mail import service as mail
from portal.storefront import emails
from portal.storefront.auth import current_client, start_session
from portal.storefront.forms import EmailForm, NewPasswordForm, SignupForm
from portal.storefront.messages import flash


def _notice(title: str, text: str = "", outcome=None, status: int = 200):
    return (
        render_template(
            "clientela/storefront/notice.html",
            title=title,
            text=text,
            mail_notice=mail.outcome_notice(outcome) if outcome else None,
        ),
        status,
    )


# Per address, like the sign-in (each POST may send an e-mail).
_post_limit = limiter.limit(
    lambda: current_app.config["CLIENTELA_LOGIN_LIMIT_IP"], methods=["POST"]
)


@_post_limit
def signup():
    if current_client:
        return redirect(url_for(".orders"))
    form = SignupForm()
    if form.validate_on_submit():
        data = accounts.SignupInput(
            name=form.name.data or "",
            email=form.email.data or "",
            password=form.password.data or "",
            document=form.document.data or "",
            phone=form.phone.data,
            consent_sms=form.consent_sms.data,
            consent_whatsapp=form.consent_whatsapp.data,
            consent_viber=form.consent_viber.data,
            email_consent=form.email_consent.data,
        )
        try:
            result = accounts.signup(data)
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            ids = []
            if result.client is not None:
                ids.append(emails.queue_confirmation(result.client))
            elif result.existing is not None:
                ids.append(emails.queue_existing_account(result.existing))
            db.session.commit()
            outcome = mail.deliver(ids) if ids else mail.expected_outcome()
            if result.client is not None:
                send(
                    client_saved,
                    client=result.client,
                    created=True,
                    actor=None,
                    source="storefront",
                )
            # The same page whether the account was created or already existed.
            text = _(
                "We sent a confirmation link to %(email)s. Open it to activate your account, "
                "then sign in.",
                email=data.email.strip().lower(),
            )
            if not result.grants_access:
                text += " " + _(
                    "Your account will then await the shop's approval: we will let you know "
                    "when you can sign in."
                )
            return _notice(_("Account created"), text, outcome)
    status = 422 if request.method == "POST" else 200
    return render_template("clientela/storefront/signup.html", form=form), status


def confirm_email(token: str):
    client = accounts.confirm_email(token)
    if client is None:
        db.session.rollback()
        return _notice(
            _("Link not valid"),
            _(
                "This link is invalid, expired or was already used. Sign in, or ask for a new "
                "password if you forgot it."
            ),
            status=404,
        )
    db.session.commit()
    if client.status.grants_access:
        flash(_("E-mail confirmed. You can sign in now."), "success")
        return redirect(url_for(".login"))
    return _notice(
        _("E-mail confirmed"),
        _("Your account awaits the shop's approval: we will let you know when you can sign in."),
    )


@_post_limit
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        client = accounts.client_by_email(form.email.data)
        ids = []
        if client is not None and accounts.password_link_allowed(client):
            ids.append(emails.queue_reset(client))
        db.session.commit()
        mail.deliver(ids)  # its outcome is not shown: an outage must not tell addresses apart
        # The same answer whether the address is registered or not.
        text = _(
            "If an account uses %(email)s, we sent it a link to choose a new password. The "
            "link works once and expires in %(hours)s hours.",
            email=(form.email.data or "").strip().lower(),
            hours=accounts.link_hours(accounts.RESET),
        )
        file_notice = mail.outcome_notice(mail.Outcome.FILE) if mail.file_mode() else None
        return (
            render_template(
                "clientela/storefront/notice.html",
                title=_("Check your e-mail"),
                text=text,
                mail_notice=file_notice,
            ),
            200,
        )
    return render_template("clientela/storefront/forgot.html", form=form)


def _password_link(token: str, purpose: str):
    client = accounts.client_for_link(token, purpose)
    if client is None:
        return _notice(
            _("Link not valid"),
            _("This link is invalid, expired or was already used. Ask for a new one."),
            status=404,
        )
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            client = accounts.set_password_from_link(token, purpose, form.password.data or "")
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            db.session.commit()
            if accounts.may_sign_in(client):
                start_session(client)
                flash(_("Password saved. Welcome!"), "success")
                return redirect(url_for(".orders"))
            return _notice(_("Password saved"), _("Your account awaits the shop's approval."))
    status = 422 if request.method == "POST" else 200
    return (
        render_template("clientela/storefront/new_password.html", form=form, client=client),
        status,
    )


def reset_password(token: str):
    return _password_link(token, accounts.RESET)


def set_password(token: str):
    """The link staff send with "Enviar acesso" (longer-lived than a reset link)."""
    return _password_link(token, accounts.ACCESS)
