"""How long each typed client field may be: read by the service's rules (the friendly
"limited to N characters" message) and by the forms (the browser's `maxlength`), so the
screen never accepts more than the server keeps."""

from portal.text import MAX_EMAIL_LENGTH

NAME = 200
TRADE_NAME = 200
NOTES = 5000
TAG = 60
TAGS = 2000  # the comma-separated tags field: up to rules.MAX_TAGS tags of TAG characters
PHONE_KIND = 40
PHONE_NUMBER = 25  # "+55 (11) 98765-4321" and international numbers, typed with a mask
DOCUMENT = 18  # a masked CNPJ: "12.ABC.345/01DE-35"
STATE_REGISTRATION = 20
EMAIL = MAX_EMAIL_LENGTH

STREET = 200
ADDRESS_NUMBER = 20
COMPLEMENT = 120
DISTRICT = 120
CITY = 120
CEP = 9  # "01310-100"

CONTACT_NAME = 200
CONTACT_ROLE = 120
CONTACT_NOTES = 2000
