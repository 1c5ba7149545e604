"""Runs inside the wheel's venv, in a copy of this folder: drives the host shop with Flask's
test client and prints one JSON object of observations for tests/plugin/test_host_shop.py."""

import json
import re
import sys
from pathlib import Path

from host import Order, User, create_app, db

import admin
import portal
import portal.admin

seen: dict = {
    "portal_file": portal.__file__,
    "admin_file": admin.__file__,
    "admin_is_the_shops": getattr(admin, "IS_THE_SHOPS_ADMIN", False),
    "portal_admin_file": portal.admin.__file__,
}

app = create_app()
PORTAL_DIR = str(Path(portal.__file__).parent)

with app.app_context():
    db.create_all()
    called: set[str] = set()

    def _profile(frame, event, _arg):
        if event == "call" and frame.f_code.co_filename.startswith(PORTAL_DIR):
            called.add(f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}")

    sys.setprofile(_profile)
    try:  # the shop flushes its own order and customer
        db.session.add(Order(total_cents=1990))
        db.session.add(User(email="cliente@loja.example"))
        db.session.commit()
    finally:
        sys.setprofile(None)
    seen["clientela_code_on_host_flush"] = sorted(called)
    seen["host_users"] = sorted(db.session.scalars(db.select(User.email)))


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


LOGIN = "/backoffice/clientes/login"
STAFF = {"email": "equipe@loja.example", "password": "senha-forte-123"}

# The shop's token-less form still works; ours still demand a token.
shopper = app.test_client()
seen["host_form_post"] = shopper.post("/login", data={"email": "cliente@loja.example"}).status_code
seen["host_account_page"] = shopper.get("/conta").text
seen["shopper_opens_back_office"] = shopper.get("/backoffice/clientes/clientes").headers.get(
    "Location"
)
anonymous = app.test_client()
seen["our_login_without_token"] = anonymous.post(LOGIN, data=STAFF).status_code
seen["our_logout_without_token"] = anonymous.post("/backoffice/clientes/logout").status_code

# The shop's flashes never reach the back office, and stay queued for the shop's pages.
visitor = app.test_client()
seen["visitor_account"] = visitor.get("/conta").status_code  # flask-login: "Please log in..."
visitor.get("/promo")
login_page = visitor.get(LOGIN).text
seen["back_office_shows_host_flashes"] = (
    "Please log in" in login_page or "Promoção da loja" in login_page
)
seen["host_template_won"] = "Login da Loja do Zé" in login_page
seen["host_messages_after_back_office"] = visitor.get("/mensagens").text

# Staff sign in with a token; our own flash shows in the back office, not on the shop's pages.
staff = app.test_client()
page = staff.get(LOGIN)
seen["staff_login"] = staff.post(
    LOGIN, data={**STAFF, "csrf_token": token_of(page.text)}
).status_code
clients_page = staff.get("/backoffice/clientes/clientes")
seen["staff_clients_page"] = clients_page.status_code
seen["staff_opens_shop_account"] = staff.get("/conta").headers.get("Location")
logout = staff.post("/backoffice/clientes/logout", data={"csrf_token": token_of(clients_page.text)})
seen["staff_logout"] = logout.status_code
seen["back_office_after_logout"] = staff.get(LOGIN).text
seen["shop_messages_after_logout"] = staff.get("/mensagens").text

print(json.dumps(seen))
