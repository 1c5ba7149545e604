"""What a Flask team would otherwise pick: Flask-Admin's stock `ModelView` over the same
client table, for `bench/list_clients.py` to measure side by side with our list page.

`gunicorn -w 2 'bench.flask_admin_app:create()'` with DATABASE_URL set (the bench's seeded
databases). Nothing is tuned: a plain declarative model of the columns the list shows, the
status as a relationship, `column_searchable_list` name/document/email, a status filter,
sortable by name (on `sort_name`, the folded name our index orders by: the same index both
pages use), 25 rows a page like ours. No login: Flask-Admin ships none, so its requests skip
the session lookup ours pay for.
"""

import os
from datetime import datetime

from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Status(db.Model):
    __tablename__ = "clientela_client_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))

    def __str__(self) -> str:
        return self.name


class Client(db.Model):
    __tablename__ = "clientela_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(String(14))
    email: Mapped[str | None] = mapped_column(String(254))
    status_id: Mapped[int] = mapped_column(ForeignKey("clientela_client_statuses.id"))
    last_purchase_at: Mapped[datetime | None]

    status: Mapped[Status] = relationship()


class ClientView(ModelView):
    can_create = can_edit = can_delete = False  # a list to read, as ours is measured
    page_size = 25
    column_list = ("name", "document", "email", "status", "last_purchase_at")
    column_searchable_list = ("name", "document", "email")
    column_filters = ("status_id",)
    column_sortable_list = (("name", "sort_name"),)
    column_default_sort = ("sort_name", False)


def create(url: str | None = None) -> Flask:
    url = url or os.environ["DATABASE_URL"]
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "bench"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["BABEL_DEFAULT_LOCALE"] = "pt_BR"  # with flask-babel installed it must be set up
    Babel(app)
    db.init_app(app)
    admin = Admin(app, name="bench")
    admin.add_view(ClientView(Client, db, name="Clients", endpoint="client"))
    return app
