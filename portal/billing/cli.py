"""`flask clientela boleto parse CODE`: read a linha digitável or barcode, answer JSON.

Exit codes: 0 the code checks (JSON with kind, bank_code, value, due_date, barcode,
linha_digitavel on stdout); 1 it does not (JSON naming the failing check digit on stdout,
the message on stderr).
"""

from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import with_appcontext

from portal.billing import codes
from portal.i18n import _

EXIT_INVALID = 1


def _echo_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def cli_group() -> click.Group:
    @click.group("boleto", help="Boletos: lê linhas digitáveis e códigos de barras.")
    def boleto() -> None:
        pass

    @boleto.command("parse", help="Lê uma linha digitável ou código de barras e mostra JSON.")
    @click.argument("code", nargs=-1, required=True)
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Data de referência (AAAA-MM-DD) para resolver o vencimento; padrão: hoje.",
    )
    @with_appcontext
    @click.pass_context
    def parse_command(ctx: click.Context, code: tuple[str, ...], today) -> None:
        reference: date | None = today.date() if today else None
        try:
            parsed = codes.parse(" ".join(code), today=reference)
        except codes.InvalidCode as exc:
            _echo_json(
                {
                    "valid": False,
                    "error": exc.code,
                    "check_digit": exc.check_digit,
                    "message": exc.message,
                }
            )
            click.echo(_("Invalid code: %(message)s", message=exc.message), err=True)
            ctx.exit(EXIT_INVALID)
        _echo_json({"valid": True, **parsed.to_json_dict()})

    return boleto
