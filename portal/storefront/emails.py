"""The storefront's e-mails: queued in the view's transaction, delivered after its commit."""

from flask import url_for

from portal.clients import accounts
from portal.clients.models import Client
from portal.config import setting
from portal.mail import service as mail


def queue_confirmation(client: Client) -> int:
    link = url_for(
        "clientela_storefront.confirm_email",
        token=accounts.link_token(client, accounts.CONFIRM),
        _external=True,
    )
    return mail.queue(
        client.email,
        "confirm_email",
        name=client.name,
        link=link,
        hours=accounts.link_hours(accounts.CONFIRM),
        shop_name=setting("CLIENTELA_SHOP_NAME"),
    )


def queue_existing_account(owner: Client) -> int:
    """Somebody tried to sign up with this owner's e-mail or document."""
    return mail.queue(
        owner.email,
        "signup_existing",
        name=owner.name,
        login_link=url_for("clientela_storefront.login", _external=True),
        reset_link=url_for("clientela_storefront.forgot_password", _external=True),
        shop_name=setting("CLIENTELA_SHOP_NAME"),
    )


def queue_reset(client: Client) -> int:
    link = url_for(
        "clientela_storefront.reset_password",
        token=accounts.link_token(client, accounts.RESET),
        _external=True,
    )
    return mail.queue(
        client.email,
        "reset_password",
        name=client.name,
        link=link,
        hours=accounts.link_hours(accounts.RESET),
        shop_name=setting("CLIENTELA_SHOP_NAME"),
    )
