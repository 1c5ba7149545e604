"""The shop's OWN `admin` package (its product back office), not Clientela's."""

from flask import Blueprint

IS_THE_SHOPS_ADMIN = True

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
def index():
    return "Painel da loja"
