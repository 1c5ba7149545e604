"""A second download of the same order version is not rendered again; a change is."""

from flask_babel import force_locale

from portal import db
from portal.documents import service
from portal.documents.service import order_document
from tests.documents.conftest import pdf_pages


def _change_status(app, order_id, status_id):
    from portal.orders import service as orders
    from portal.staff.models import StaffUser

    with app.app_context():
        staff = db.session.scalars(db.select(StaffUser)).first()
        orders.change_status(order_id, status_id, orders.Actor.of_staff(staff))
        db.session.commit()


def test_the_second_call_comes_from_memory_without_rendering(app, order_of, load):
    order_id = order_of(3)
    with app.app_context():
        first = order_document(load(order_id), "pdf")
    with app.app_context():
        second = order_document(load(order_id), "pdf")
    assert second is first
    assert service.stats["renders"] == 1 and service.stats["memory_hits"] == 1


def test_another_worker_reads_the_file_on_disk(app, order_of, load, document_cache):
    order_id = order_of(3)
    with app.app_context():
        first = order_document(load(order_id), "csv")
    service.clear_memory_cache()  # as a second gunicorn worker, with its own memory
    with app.app_context():
        second = order_document(load(order_id), "csv")
    assert second.body == first.body and second.etag == first.etag
    assert service.stats["renders"] == 1 and service.stats["disk_hits"] == 1
    assert [p.name for p in (document_cache / str(order_id)).iterdir()] == [f"v1-{first.etag}.csv"]


def test_a_changed_order_renders_anew_and_old_files_go(app, order_of, load, lists, document_cache):
    order_id = order_of(3, status="Aguardando pagamento")
    with app.app_context():
        before = order_document(load(order_id), "pdf")
    _change_status(app, order_id, lists["statuses"]["Enviado"])
    with app.app_context():
        after = order_document(load(order_id), "pdf")
    assert service.stats["renders"] == 2
    assert after.etag != before.etag
    assert "Aguardando pagamento" in pdf_pages(before.body)[0]
    assert "Enviado" in pdf_pages(after.body)[0]
    files = [p.name for p in (document_cache / str(order_id)).iterdir()]
    assert files == [f"v2-{after.etag}.pdf"]


def test_formats_and_locales_are_cached_apart(app, order_of, load):
    order_id = order_of(2)
    with app.app_context():
        order = load(order_id)
        etags = {order_document(order, fmt).etag for fmt in service.FORMATS}
    assert len(etags) == 3 and service.stats["renders"] == 3
    with app.test_request_context(), force_locale("en"):
        english = order_document(load(order_id), "csv")
    assert english.etag not in etags and service.stats["renders"] == 4
    assert english.filename == "order-000001.csv"


def test_memory_holds_at_most_the_configured_number(app, order_of, load):
    app.config["CLIENTELA_DOCUMENT_CACHE_SIZE"] = 1
    app.config["CLIENTELA_DOCUMENT_CACHE_DIR"] = ""
    order_id = order_of(2)
    with app.app_context():
        order = load(order_id)
        order_document(order, "csv")
        order_document(order, "xlsx")
        order_document(order, "csv")
    assert service.stats["renders"] == 3 and service.stats["memory_hits"] == 0
