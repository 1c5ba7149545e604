"""The list page's groups, counters, filters, search and keyset pagination."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal import db
from portal.clients import listing, relationship, search, service
from portal.clients.models import Client, ClientStatus, Tag
from portal.clients.phones import PhoneInput
from portal.clients.search import ClientFilters

pytestmark = pytest.mark.usefixtures("ctx")


def _status(name: str) -> int:
    return db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == name))


def _counts():
    return relationship.counts(db.session)


def _exact_counts():
    rows = db.session.execute(select(Client.group, func.count()).group_by(Client.group)).all()
    return {g: dict(rows).get(g, 0) for g in ("active", "lead", "contact", "inactive")}


def test_a_client_moves_from_lead_to_active_to_inactive_and_the_counters_follow(make_client, staff):
    make_client(name="Só contato")
    lead = make_client(name="Cadastrou na loja", email="lead@example.com", password="segredo-123")
    assert _counts() == {"active": 0, "lead": 1, "contact": 1, "inactive": 0}

    service.record_purchase(lead.id, datetime.now(UTC))
    db.session.commit()
    assert _counts() == {"active": 1, "lead": 0, "contact": 1, "inactive": 0}

    data = service.ClientInput(name=lead.name, email=lead.email, status_id=_status("Inativo"))
    service.update(lead.id, data, db.session.get(Client, lead.id).version, staff)
    db.session.commit()
    assert _counts() == {"active": 0, "lead": 0, "contact": 1, "inactive": 1}
    assert _counts() == _exact_counts()


def test_setting_a_password_turns_a_contact_into_a_lead(make_client, staff):
    client = make_client(name="Contato", email="c@example.com")
    assert client.group == "contact"
    data = service.ClientInput(name="Contato", email="c@example.com", password="segredo-123")
    service.update(client.id, data, client.version, staff)
    db.session.commit()
    assert db.session.get(Client, client.id).group == "lead"
    assert _counts()["lead"] == 1 and _counts()["contact"] == 0


def test_no_client_is_in_two_groups(make_client):
    make_client(email="a@example.com", password="segredo-123")
    make_client()
    make_client(status_id=_status("Bloqueado"))
    buyer = make_client(email="b@example.com", password="segredo-123")
    service.record_purchase(buyer.id, datetime.now(UTC))
    db.session.commit()
    assert sum(_counts().values()) == db.session.scalar(select(func.count(Client.id))) == 4
    assert _counts() == _exact_counts() == {"active": 1, "lead": 1, "contact": 1, "inactive": 1}


@pytest.fixture
def population(make_client):
    created = []
    for _n, (name, extra) in enumerate(
        [
            ("José Álvares", dict(document="529.982.247-25", email="jose@exemplo.com.br")),
            ("Maria Conceição", dict(phones=[PhoneInput("(11) 98765-4321")])),
            (
                "Padaria Pão Quente",
                dict(
                    kind="PJ",
                    trade_name="Pão Quente",
                    document="11.222.333/0001-81",
                    tags="atacado",
                ),
            ),
            ("Empresa Alfa", dict(kind="PJ", document="12.ABC.345/01DE-35", is_supplier=True)),
            ("Zélia Duarte", dict(has_conflict=True, tags="vip, atacado")),
        ]
    ):
        created.append(make_client(name=name, **extra))
    return created


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alvares", ["José Álvares"]),  # accents and case ignored
        ("ÁLVA", ["José Álvares"]),
        ("ceicao", ["Maria Conceição"]),  # any part of a word
        ("pao quente", ["Padaria Pão Quente"]),
        ("529.982", ["José Álvares"]),  # CPF prefix with mask
        ("52998224725", ["José Álvares"]),
        ("11.222.333/0001-81", ["Padaria Pão Quente"]),
        ("12.ABC.345/01DE", ["Empresa Alfa"]),  # alphanumeric CNPJ with mask
        ("jose@exemplo", ["José Álvares"]),
        ("98765-4321", ["Maria Conceição"]),
        ("(11) 98765", ["Maria Conceição"]),
        ("ia", ["Maria Conceição", "Padaria Pão Quente", "Zélia Duarte"]),  # short: name order
        ("100%", []),
    ],
)
def test_text_search(population, typed, expected):
    page = listing.list_clients(ClientFilters(q=typed))
    assert [c.name for c in page.items] == expected


def test_filters_combine(population):
    def names(**filters):
        return [c.name for c in listing.list_clients(ClientFilters(**filters)).items]

    assert names(kind="PJ") == ["Empresa Alfa", "Padaria Pão Quente"]
    assert names(is_supplier=True) == ["Empresa Alfa"]
    assert names(has_conflict=True) == ["Zélia Duarte"]
    tag_id = population[2].tags[0].id
    assert names(tag_id=tag_id) == ["Padaria Pão Quente", "Zélia Duarte"]
    assert names(tag_id=tag_id, q="zel") == ["Zélia Duarte"]
    assert names(kind="PJ", group="contact") == ["Empresa Alfa", "Padaria Pão Quente"]
    assert names(group="lead") == []
    today = datetime.now(UTC).date()
    assert len(names(created_from=today, created_to=today)) == 5
    assert names(created_to=today - timedelta(days=1)) == []


def test_keyset_pages_cover_everything_once_forwards_and_backwards(make_client):
    for n in range(23):
        make_client(name=f"Cliente {n:02d}")
    filters = ClientFilters()
    seen, page = [], listing.list_clients(filters, per_page=5)
    assert page.is_first and not page.is_last
    while True:
        seen += [c.name for c in page.items]
        if page.is_last:
            break
        page = listing.list_clients(filters, after=page.next_cursor, per_page=5)
    assert seen == [f"Cliente {n:02d}" for n in range(23)]

    last = listing.list_clients(filters, last=True, per_page=5)
    assert [c.name for c in last.items] == [f"Cliente {n:02d}" for n in range(18, 23)]
    assert last.is_last and not last.is_first
    back = listing.list_clients(filters, before=last.prev_cursor, per_page=5)
    assert [c.name for c in back.items] == [f"Cliente {n:02d}" for n in range(13, 18)]
    assert not back.is_last


def test_sort_by_last_purchase_puts_buyers_first_then_the_rest(make_client):
    now = datetime.now(UTC)
    clients = [make_client(name=f"C{n}") for n in range(6)]
    for offset, client in zip((3, 1, 2), clients[:3], strict=True):
        service.record_purchase(client.id, now - timedelta(days=offset))
    db.session.commit()
    filters = ClientFilters(sort="last_purchase")
    first = listing.list_clients(filters, per_page=4)
    assert [c.name for c in first.items] == ["C1", "C2", "C0", "C5"]
    second = listing.list_clients(filters, after=first.next_cursor, per_page=4)
    assert [c.name for c in second.items] == ["C4", "C3"] and second.is_last


def test_a_search_sorted_by_last_purchase_lists_the_buyers_then_the_others(make_client):
    now = datetime.now(UTC)
    clients = [make_client(name=f"Silva {n}") for n in range(4)] + [make_client(name="Souza")]
    for offset, client in zip((2, 1), clients[:2], strict=True):
        service.record_purchase(client.id, now - timedelta(days=offset))
    db.session.commit()
    page = listing.list_clients(ClientFilters(q="silva", sort="last_purchase"), per_page=10)
    assert [c.name for c in page.items] == ["Silva 1", "Silva 0", "Silva 3", "Silva 2"]
    assert page.is_last


def test_a_tampered_cursor_starts_from_the_first_page(make_client):
    make_client(name="Único")
    page = listing.list_clients(ClientFilters(), after="bm90LWEtY3Vyc29y")
    assert [c.name for c in page.items] == ["Único"]


def test_recount_command_repairs_drifted_counters(app, make_client):
    from sqlalchemy import update

    from portal.clients.models import ClientCounter

    make_client(name="Um")
    db.session.execute(update(ClientCounter).values(count=99))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["clientela", "recount"])
    assert result.exit_code == 0, result.output
    assert "contact: 1" in result.output
    db.session.expire_all()
    assert _counts() == {"active": 0, "lead": 0, "contact": 1, "inactive": 0}


_MAX_PAGES = 200  # more than any test's clients: a pager going round in circles fails


def _all_pages(filters, per_page: int) -> list[str]:
    """Every matching name, following "next" from the first page."""
    names, page = [], listing.list_clients(filters, per_page=per_page)
    for _ in range(_MAX_PAGES):
        names += [c.name for c in page.items]
        if page.is_last:
            return names
        page = listing.list_clients(filters, after=page.next_cursor, per_page=per_page)
    raise AssertionError(f"no last page after {_MAX_PAGES} pages: {names[:10]}...")


def _all_pages_backwards(filters, per_page: int) -> list[str]:
    """Every matching name, following "previous" from the last page."""
    page = listing.list_clients(filters, last=True, per_page=per_page)
    names = []
    for _ in range(_MAX_PAGES):
        names = [c.name for c in page.items] + names
        if page.is_first:
            return names
        page = listing.list_clients(filters, before=page.prev_cursor, per_page=per_page)
    raise AssertionError(f"no first page after {_MAX_PAGES} pages: {names[:10]}...")


def test_chunked_walk_gives_the_same_pages_as_the_candidate_path(make_client, monkeypatch):
    """A text or tag matching many clients is walked in chunks: same rows, same order."""
    for n in range(30):
        make_client(
            name=f"{'Silva' if n % 3 else 'Souza'} {n:02d}",
            tags="vip" if n % 2 else "",
            phones=[PhoneInput(f"({ddd}) 98{n:03d}-4321") for ddd in (11, 21)[: 1 + (n % 5 == 0)]],
        )

    cases = [
        ClientFilters(q="silva"),
        ClientFilters(q="souza"),  # every match after all the Silvas in name order
        ClientFilters(q="silva", tag_id=None, sort="created"),
        ClientFilters(tag_id=db.session.scalar(select(Tag.id))),
        ClientFilters(q="4321"),  # the end of every phone (some clients have it twice)
    ]
    expected = [_all_pages(f, 4) for f in cases]
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 2)  # every source counts as "many"
    monkeypatch.setattr(listing, "WALK_CHUNK", 3)  # and pages span several chunks
    monkeypatch.setattr(listing, "PROBE_ROWS", 6)
    assert [_all_pages(f, 4) for f in cases] == expected
    assert [_all_pages_backwards(f, 4) for f in cases] == expected  # "previous" walks chunks too
    assert len(expected[0]) == 20 and len(expected[1]) == 10 and len(expected[3]) == 15
    assert len(expected[4]) == 30
    last = listing.list_clients(ClientFilters(q="silva"), last=True, per_page=4)
    assert [c.name for c in last.items] == expected[0][-4:]


def test_rare_absent_and_document_searches_give_the_same_pages_whichever_path(
    make_client, monkeypatch
):
    """Past a sample of the newest clients a rare or absent word goes to the index after one
    chunk, and a document search to its B-tree first: the pages are the walk's, row for row."""
    rare = (5, 12, 19, 26, 33, 38)
    for n in range(40):
        client = make_client(name=f"{'Zuleica' if n in rare else 'Ana'} Souza {n:02d}")
        if n in (12, 33):  # buyers: "last purchase" order puts them first, in two segments
            service.record_purchase(client.id, datetime(2026, 3, n % 28 + 1, tzinfo=UTC))
    db.session.commit()
    filler = make_client(name="Bruno Lima", document="52998224725")

    cases = [
        ClientFilters(q="zuleica"),  # rare, and after every "Ana" in name order
        ClientFilters(q="kwyjibo"),  # nobody
        ClientFilters(q="souza"),  # common
        ClientFilters(q="529.982"),  # a CPF prefix
        ClientFilters(q="zuleica", sort="created"),
        ClientFilters(q="zuleica", sort="last_purchase"),
        ClientFilters(q="zuleica", group="active"),
    ]
    monkeypatch.setattr(listing, "SAMPLE_ROWS", 10**9)  # no sample: the walk as before
    expected = [_all_pages(f, 3) for f in cases]
    assert expected[0] == [f"Zuleica Souza {n:02d}" for n in rare] and expected[1] == []
    assert len(expected[2]) == 40 and expected[3] == [filler.name]
    assert expected[5][:2] == ["Zuleica Souza 12", "Zuleica Souza 33"]
    assert expected[6] == ["Zuleica Souza 12", "Zuleica Souza 33"]
    monkeypatch.setattr(listing, "SAMPLE_ROWS", 4)  # 41 clients > 4 x 4: the sample decides
    monkeypatch.setattr(listing, "WALK_CHUNK", 3)
    monkeypatch.setattr(listing, "PROBE_ROWS", 6)
    assert [_all_pages(f, 3) for f in cases] == expected
    assert [_all_pages_backwards(f, 3) for f in cases] == expected


def test_a_search_an_index_answers_still_checks_a_tag_too_common_to_list(make_client, monkeypatch):
    """A rare word or a phone ending lists its few clients from an index while the tag holds
    more clients than an index answer may list: the tag is still checked on each of those few
    (it was dropped, and clients without the tag were shown)."""
    for n in range(30):
        name = "Zuleica" if n in (3, 13, 24) else "Ana"
        make_client(
            name=f"{name} Souza {n:02d}",
            tags="vip" if n % 2 else "",
            phones=[PhoneInput(f"(11) 98{n:03d}-4321")] if n in (5, 6, 7, 8) else [],
        )
    vip = db.session.scalar(select(Tag.id).where(Tag.name == "vip"))
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 6)  # 15 vip clients: too many to list
    monkeypatch.setattr(listing, "SAMPLE_ROWS", 4)  # the rare word goes to the index
    monkeypatch.setattr(listing, "WALK_CHUNK", 3)
    monkeypatch.setattr(listing, "PROBE_ROWS", 6)

    def names(filters):
        return [c.name for c in listing.list_clients(filters, per_page=10).items]

    assert names(ClientFilters(q="zuleica", tag_id=vip)) == ["Zuleica Souza 03", "Zuleica Souza 13"]
    assert names(ClientFilters(q="4321", tag_id=vip)) == ["Ana Souza 05", "Ana Souza 07"]
    assert names(ClientFilters(q="4321")) == [f"Ana Souza {n:02d}" for n in (5, 6, 7, 8)]


def test_a_sample_that_misjudges_a_word_changes_the_way_not_the_page(make_client, monkeypatch):
    """The newest clients tell a rare word from a common one. When they are not like the
    others, the pages are still every match in order: a word they lack but older clients
    often hold goes to the index, whose answer is too long, and the walk takes over; a word
    they all hold is walked in chunks sized for a common word, past a stretch without it."""
    for n in range(24):
        make_client(name=f"Silva {n:02d}")  # older clients: absent from the sample
    for n in range(4):
        make_client(name=f"Zuleica Ana {n}")  # the newest: each holds "zuleica" and "ana"
    cases = [
        ClientFilters(q="silva"),
        ClientFilters(q="zuleica"),
        ClientFilters(q="ana"),
        ClientFilters(q="silva", sort="created"),
    ]
    monkeypatch.setattr(listing, "SAMPLE_ROWS", 10**9)  # no sample: the walk as before
    expected = [_all_pages(f, 3) for f in cases]
    assert expected[0] == [f"Silva {n:02d}" for n in range(24)]
    assert expected[1] == expected[2] == [f"Zuleica Ana {n}" for n in range(4)]
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 6)  # 24 Silvas: too many for the index
    monkeypatch.setattr(listing, "SAMPLE_ROWS", 4)  # 28 clients > 4 x 4: the sample decides
    monkeypatch.setattr(listing, "WALK_CHUNK", 3)
    monkeypatch.setattr(listing, "PROBE_ROWS", 6)
    assert [_all_pages(f, 3) for f in cases] == expected
    assert [_all_pages_backwards(f, 3) for f in cases] == expected
    make_client(name="Ana Silva")  # newer than the sample the worker keeps: found all the same
    assert _all_pages(ClientFilters(q="silva"), 3) == ["Ana Silva", *expected[0]]
