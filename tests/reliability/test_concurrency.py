"""Items 8 and 9 of issue 14: real parallel requests against gunicorn on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests

from portal import db
from portal.clients import relationship

PARALLEL = 20


def _parallel(calls):
    """Run the callables at the same moment (a barrier), each on its own thread."""
    barrier = Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _order(base, key, client_id, status_id):
    body = {
        "client_id": client_id,
        "status_id": status_id,
        "items": [{"code": "SKU-1", "description": "Camiseta", "quantity": "1",
                   "unit_price": "10.00"}],
    }  # fmt: skip
    headers = {"Authorization": f"Bearer {key}"}
    return lambda: requests.post(f"{base}/api/v1/orders", json=body, headers=headers, timeout=60)


def test_parallel_purchases_of_one_client_all_succeed(server, app, api_key, lists, make_client):
    client = make_client(
        name="Maria Compradora", email="maria@loja.example", password="senha-123456"
    )
    paid = lists["statuses"]["Pago"]
    headers = {"Authorization": f"Bearer {api_key}"}
    rename = {"name": "Maria Compradora Silva", "version": 1}

    def staff_edit():
        return requests.patch(f"{server}/api/v1/clients/{client.id}", json=rename,
                              headers=headers, timeout=60)  # fmt: skip

    calls = [_order(server, api_key, client.id, paid) for _ in range(PARALLEL)]
    answers = _parallel([*calls[:10], staff_edit, *calls[10:]])
    edit = answers.pop(10)
    assert [a.status_code for a in answers] == [201] * PARALLEL, [a.text for a in answers]
    assert edit.status_code == 200, edit.text  # purchases are not edits: no conflict
    assert len({a.json()["number"] for a in answers}) == PARALLEL

    got = requests.get(f"{server}/api/v1/clients/{client.id}", headers=headers, timeout=30)
    assert got.json()["name"] == "Maria Compradora Silva"
    assert got.json()["version"] == 2  # the edit bumped it once; 20 purchases did not
    with app.app_context():
        counts = relationship.counts(db.session)
        assert counts == relationship.recount(db.session)  # the counters moved exactly once
        assert counts["active"] == 1 and counts["lead"] == 0
