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


def _address(app, client_id: int) -> int:
    from portal.clients.addresses import AddressInput, add_address

    with app.app_context():
        data = AddressInput(
            kind="padrao", is_active=True, cep="01310-100", street="Av. Paulista",
            number="1000", district="Bela Vista", city="São Paulo", uf="SP",
        )  # fmt: skip
        address = add_address(client_id, data, None)
        db.session.commit()
        return address.id


def test_parallel_edits_of_one_address_with_one_version_are_409_not_500(
    server, app, api_key, make_client
):
    client = make_client(name="Endereço Disputado")
    address_id = _address(app, client.id)
    headers = {"Authorization": f"Bearer {api_key}"}
    url = f"{server}/api/v1/clients/{client.id}/addresses/{address_id}"

    def patch(n):
        body = {"number": str(2000 + n), "version": 1}
        return lambda: requests.patch(url, json=body, headers=headers, timeout=60)

    answers = _parallel([patch(n) for n in range(10)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 9, [a.text for a in answers if a.status_code != 409]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert "outra pessoa" in refused["detail"] or "alterado" in refused["detail"]


def test_parallel_status_changes_of_one_order(server, app, api_key, lists, make_client, make_order):
    client = make_client(name="Pedido Disputado")
    order_id = make_order(client.id)
    headers = {"Authorization": f"Bearer {api_key}"}
    url = f"{server}/api/v1/orders/{order_id}/status"
    statuses = [lists["statuses"]["Pago"], lists["statuses"]["Aguardando pagamento"]]

    def change(n, version):
        body = {"status_id": statuses[n % 2], **({"version": version} if version else {})}
        return lambda: requests.post(url, json=body, headers=headers, timeout=60)

    # Without a version the last change wins: every one applies on top of the one before.
    answers = _parallel([change(n, None) for n in range(10)])
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    order = requests.get(f"{server}/api/v1/orders/{order_id}", headers=headers, timeout=30).json()
    # With the version read, the first save wins and the others are told: 409, never 500.
    other = 0 if order["status_id"] == statuses[1] else 1  # every call asks for a change
    answers = _parallel([change(other, order["version"]) for _ in range(8)])
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 7, [a.text for a in answers if a.status_code != 409]
