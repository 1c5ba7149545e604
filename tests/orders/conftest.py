from tests.orders.factories import api, api_key, lists, make_order, order_lists  # noqa: F401
