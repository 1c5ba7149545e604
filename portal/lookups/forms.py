"""The popup form that adds or edits one lookup entry."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField


class LookupEntryForm(FlaskForm):
    name = StringField("Nome", render_kw={"maxlength": 10000})
    extra = TextAreaField(render_kw={"rows": 2})
    is_active = BooleanField("Ativo", default=True)
    version = HiddenField()

    def load(self, kind, entry) -> None:
        self.name.data = entry.name
        self.extra.data = getattr(entry, kind.extra_field) if kind.extra_field else None
        self.is_active.data = entry.is_active
        self.version.data = str(entry.version)
