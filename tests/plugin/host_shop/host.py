"""A small shop that mounts Clientela the way README's "Mounting in a shop" says.

Its own `admin` package, flask-login users, Flask-SQLAlchemy models (an `orders` table among
them), a `create-staff` command and a login form without a CSRF token. Used by
tests/plugin/test_host_shop.py against Clientela installed from the wheel.
"""

import click
from flask import Flask, flash, get_flashed_messages, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy

import admin  # the shop's own back office
from portal import Clientela

db = SQLAlchemy()
login_manager = LoginManager()
clientela = Clientela()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(200), unique=True, nullable=False)


class Order(db.Model):
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)
    total_cents = db.Column(db.Integer, nullable=False)


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_DATABASE_URL, ...
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["DATABASE_URL"])
    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "login"  # flashes "Please log in to access this page."
    login_manager.user_loader(lambda user_id: db.session.get(User, int(user_id)))
    app.register_blueprint(admin.bp)
    clientela.init_app(app, admin_prefix="/backoffice/clientes")

    @app.route("/login", methods=["GET", "POST"])
    def login():  # no CSRF token: the shop never ran CSRFProtect
        if request.method == "POST":
            user = db.session.scalar(db.select(User).filter_by(email=request.form["email"]))
            if user is None:
                return "Usuário desconhecido", 404
            login_user(user)
            return redirect(url_for("account"))
        return '<form method="post"><input name="email"><button>Entrar</button></form>'

    @app.route("/conta")
    @login_required
    def account():
        return f"Conta de {current_user.email}"

    @app.route("/mensagens")
    def messages():
        return " | ".join(get_flashed_messages())

    @app.route("/promo")
    def promo():
        flash("Promoção da loja!")
        return "ok"

    @app.cli.command("create-staff")
    @click.option("--email", required=True)
    def create_staff(email):
        """The shop's own staff command (its users table)."""
        db.create_all()
        db.session.add(User(email=email))
        db.session.commit()
        click.echo(f"Loja: funcionário {email} criado")

    return app
