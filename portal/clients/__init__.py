"""Clients: registration, addresses, contacts, relationship groups and the list page."""

from portal.clients import relationship as _relationship  # noqa: F401  (flush hook)
