"""Chaves de API: staff create (the key is shown once) and revoke keys the shop uses."""

from flask import abort, redirect, render_template, url_for

from portal.admin import unit_of_work
from portal.admin.auth import current_staff
from portal.admin.messages import flash
from portal.api import keys
from portal.api.forms import ApiKeyForm
from portal.errors import DomainError, NotFound
from portal.i18n import _


def api_keys():
    form = ApiKeyForm(prefix="key")
    created = None
    if form.validate_on_submit():
        try:
            key, plain = keys.create_key(form.name.data, created_by=current_staff)
        except DomainError as exc:
            unit_of_work.reject(exc, form)
        else:
            created = (key, plain)  # shown in this answer only, never stored in plain text
            form = ApiKeyForm(prefix="key", formdata=None)
    return render_template(
        "clientela/admin/api/keys.html", form=form, keys=keys.all_keys(), created=created
    ), (422 if form.errors else 200)


def api_key_revoke(key_id: int):
    try:
        key = keys.revoke(key_id)
    except NotFound:
        abort(404)
    flash(_("Key “%(name)s” revoked: it can no longer access the API.", name=key.name), "success")
    return redirect(url_for(".api_keys"))
