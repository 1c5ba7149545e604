"""Brazilian rules shared by every domain, the API and the forms.

One module per idea: `documents` (CPF/CNPJ, numeric and the 2026 alphanumeric CNPJ),
`ufs` (the 27 units of the federation), `cep`, `phones` (E.164) and `ie` (the Inscrição
Estadual indicator). Core layer: imports only `portal.errors`, `portal.i18n` and libraries,
never a domain.

Normalisers take what a person typed and return the stored form, or raise DomainError naming
the field and saying, in the page's language (`portal.i18n`), what to fix; formatters turn
the stored form back into the masked one people read.
"""
