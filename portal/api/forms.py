"""The back-office form that creates an API key."""

from flask_wtf import FlaskForm
from wtforms import StringField


class ApiKeyForm(FlaskForm):
    name = StringField(
        "Nome da chave",
        description="Para quem é a chave, como “loja-producao”.",
        render_kw={"maxlength": 1000},
    )
