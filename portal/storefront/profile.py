"""Meus dados: name, phones and consents, password, delivery addresses, the LGPD export."""

import json

from flask import abort, make_response, redirect, render_template, request, url_for

from portal import db
from portal.brazil.phones import format_phone
from portal.clients import accounts, addresses
from portal.clients.forms import _phone_rows
from portal.clients.models import ADDRESS_DELIVERY
from portal.errors import DomainError
from portal.extension_points import client_saved, send
from portal.i18n import _
from portal.storefront import export, queries
from portal.storefront.auth import current_client, start_session
from portal.storefront.forms import ChangePasswordForm, ClientAddressForm, ProfileForm
from portal.storefront.messages import flash


def _load_profile(form: ProfileForm, client) -> None:
    form.name.data = client.name
    form.email_consent.data = client.email_consent
    form.version.data = str(client.version)
    while len(form.phones):
        form.phones.pop_entry()
    for phone in client.phones:
        form.phones.append_entry(
            {
                "number": format_phone(phone.number),
                "kind": phone.kind,
                "consent_sms": phone.consent_sms,
                "consent_whatsapp": phone.consent_whatsapp,
                "consent_viber": phone.consent_viber,
            }
        )
    form.phones.append_entry()  # a blank row to add one


def _page(form, password_form, status=200):
    client = current_client._get_current_object()
    active = [a for a in client.addresses if a.is_active]
    return (
        render_template(
            "clientela/storefront/profile.html",
            form=form,
            password_form=password_form,
            client=client,
            addresses=active,
        ),
        status,
    )


def profile():
    client = current_client._get_current_object()
    form = ProfileForm()
    if request.method == "GET":
        _load_profile(form, client)
    elif form.validate_on_submit():
        try:
            accounts.update_own_data(
                client,
                name=form.name.data or "",
                phones=_phone_rows(form.phones),
                email_consent=form.email_consent.data,
                expected_version=int(form.version.data or 0),
            )
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            db.session.commit()
            send(client_saved, client=client, created=False, actor=None, source="storefront")
            flash(_("Your data was saved."), "success")
            return redirect(url_for(".profile"))
    status = 422 if request.method == "POST" else 200
    return _page(form, ChangePasswordForm(formdata=None), status)


def change_password():
    client = current_client._get_current_object()
    password_form = ChangePasswordForm()
    if password_form.validate_on_submit():
        try:
            accounts.change_password(
                client, password_form.current_password.data, password_form.new_password.data
            )
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(password_form)
        else:
            db.session.commit()
            start_session(client)  # this browser stays in with the new token; others end
            flash(_("Password changed. Other devices were signed out."), "success")
            return redirect(url_for(".profile"))
    form = ProfileForm(formdata=None)
    _load_profile(form, client)
    return _page(form, password_form, 422)


def _address_form(address=None):
    form = ClientAddressForm(prefix="address")
    if request.method == "GET":
        if address is not None:
            form.load(address)
        else:
            form.kind.data = ADDRESS_DELIVERY
    if form.validate_on_submit():
        try:
            if address is None:
                addresses.add_address(
                    current_client.id, form.to_input(), None, action=accounts.ADDRESS_ADDED
                )
            else:
                addresses.update_address(
                    address.id,
                    form.to_input(),
                    int(form.version.data or 0),
                    None,
                    action=accounts.ADDRESS_UPDATED,
                )
        except DomainError as exc:
            db.session.rollback()
            exc.attach_to(form)
        else:
            db.session.commit()
            flash(_("Address saved."), "success")
            return redirect(url_for(".profile"))
    status = 422 if request.method == "POST" else 200
    return (
        render_template("clientela/storefront/address.html", form=form, address=address),
        status,
    )


def address_new():
    return _address_form()


def address_edit(address_id: int):
    address = queries.own_address(current_client.id, address_id) or abort(404)
    return _address_form(address)


def address_deactivate(address_id: int):
    address = queries.own_address(current_client.id, address_id) or abort(404)
    form = ClientAddressForm(formdata=None, prefix="address")
    form.load(address)
    data = form.to_input()
    data.is_active = False
    try:
        addresses.update_address(
            address.id, data, address.version, None, action=accounts.ADDRESS_UPDATED
        )
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(_("Address deactivated."), "success")
    return redirect(url_for(".profile"))


def export_data():
    """Meus dados (LGPD): everything the shop holds about the client, as JSON."""
    data = export.everything_about(current_client._get_current_object())
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    response.mimetype = "application/json"
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"meus-dados-{current_client.id}.json"
    )
    return response
