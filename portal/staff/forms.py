"""Back-office login form."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField


class LoginForm(FlaskForm):
    email = StringField("E-mail", render_kw={"autocomplete": "username", "maxlength": 254})
    password = PasswordField(
        "Senha", render_kw={"autocomplete": "current-password", "maxlength": 128}
    )
