"""The back-office form that creates an API key."""

from flask_wtf import FlaskForm
from wtforms import StringField

from portal.api.keys import MAX_NAME
from portal.i18n import _l


class ApiKeyForm(FlaskForm):
    name = StringField(
        _l("Key name"),
        description=_l("Who the key is for, like “loja-producao”."),
        render_kw={"maxlength": MAX_NAME},
    )
