"""Back-office login form."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from portal.i18n import _l


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), render_kw={"autocomplete": "username", "maxlength": 254})
    password = PasswordField(
        _l("Password"), render_kw={"autocomplete": "current-password", "maxlength": 128}
    )
