"""Billing: boleto payment codes (FEBRABAN), the six banks' free fields, CNAB 240 remessa and
retorno, and the Pix BR Code (pure functions over values); the collection accounts and
boletos tables (`models`), reading them (`service`), issuing an order's boletos (`issuing`),
their status and history (`status`) and the CNAB files of an account (`cnab`)."""
