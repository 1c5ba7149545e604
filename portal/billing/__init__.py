"""Billing: boleto payment codes (FEBRABAN), the six banks' free fields, CNAB 240 remessa and
retorno, and the Pix BR Code. Pure functions over values: nothing here needs a request or a
database (the tables, pages and order integration build on this)."""
