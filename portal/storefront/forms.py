"""Storefront forms; every rule lives in `portal.clients` (the back office's rules)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, HiddenField, PasswordField, StringField

from portal.clients.forms import AddressForm, PhoneForm
from portal.i18n import _l
from portal.security.passwords import MAX_PASSWORD_LENGTH

_PASSWORD = {"maxlength": MAX_PASSWORD_LENGTH}


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), render_kw={"autocomplete": "username", "maxlength": 254})
    password = PasswordField(
        _l("Password"), render_kw={"autocomplete": "current-password", **_PASSWORD}
    )
    remember = BooleanField(_l("Remember me"))


class SignupForm(FlaskForm):
    name = StringField(
        _l("Name/Company name"), render_kw={"autocomplete": "name", "maxlength": 200}
    )
    email = StringField(
        _l("E-mail"), render_kw={"autocomplete": "email", "inputmode": "email", "maxlength": 254}
    )
    password = PasswordField(
        _l("Password"), render_kw={"autocomplete": "new-password", **_PASSWORD}
    )
    document = StringField(
        _l("CPF/CNPJ"), render_kw={"data-mask": "document", "autocomplete": "off", "maxlength": 30}
    )
    phone = StringField(
        _l("Phone"), render_kw={"data-mask": "phone", "inputmode": "tel", "autocomplete": "tel"}
    )
    consent_sms = BooleanField("SMS")
    consent_whatsapp = BooleanField("WhatsApp")
    consent_viber = BooleanField("Viber")
    email_consent = BooleanField(_l("I accept e-mails from the shop"))


class EmailForm(FlaskForm):
    email = StringField(
        _l("E-mail"), render_kw={"autocomplete": "email", "inputmode": "email", "maxlength": 254}
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), render_kw={"autocomplete": "new-password", **_PASSWORD}
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), render_kw={"autocomplete": "current-password", **_PASSWORD}
    )
    new_password = PasswordField(
        _l("New password"), render_kw={"autocomplete": "new-password", **_PASSWORD}
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Name/Company name"), render_kw={"maxlength": 200})
    email_consent = BooleanField(_l("I accept e-mails from the shop"))
    phones = FieldList(FormField(PhoneForm), min_entries=0, max_entries=20)
    version = HiddenField()


class ClientAddressForm(AddressForm):
    """The back office's address form (same rules); the client picks main or delivery."""
