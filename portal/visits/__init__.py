"""Visit tracking: page views of the storefront (and the host shop's pages), grouped into
visits, linked to the client who logs in and to the order that follows.

Recording happens on the request path (`portal/storefront/tracking.py` builds a record and
hands it to `sink`); writing happens off it (`writer`, from the Redis consumer or the
in-process buffer's thread). Staff read it through `queries`.
"""
