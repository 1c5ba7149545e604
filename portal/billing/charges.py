"""What a boleto paid late costs: the amount plus multa (fine) and juros (interest).

    amount_due(Decimal("600.00"), date(2026, 3, 10), date(2026, 3, 20),
               fine_percent=Decimal("2"), interest_percent_per_day=Decimal("0.033"))
    # 600.00 + 12.00 (2 % once) + 1.98 (0.033 % x 600.00 x 10 days) = 613.98

The rule, as printed in the boleto's instructions and as banks apply it to a registered
boleto ("cobrança registrada"):

- Paid on or before the due date: the boleto's amount, nothing added.
- A due date on a Saturday or Sunday is paid without charges up to the next Monday (the
  first business day; national holidays are not known here, so a boleto due on a holiday
  may show charges the bank would not take for one day: the bank's value prevails).
- Later than that: the **multa** once, `fine_percent` % of the amount; plus the **juros**,
  simple interest, `interest_percent_per_day` % of the amount per calendar day counted
  from the day after the due date up to the payment day (`(on_date - due_date).days`).
  Interest is on the amount only, never on the fine or on earlier interest.
- Each part is rounded to the cent, half up, as the banks print it; the total is their sum.

Pure functions: no database, no request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Charges:
    amount: Decimal  # the boleto's value
    fine: Decimal  # multa
    interest: Decimal  # juros
    days_late: int  # calendar days after the due date (0 when on time)

    @property
    def total(self) -> Decimal:
        return self.amount + self.fine + self.interest

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


def grace_date(due_date: date) -> date:
    """The last day paying without charges: the due date, or the Monday after a weekend."""
    weekday = due_date.weekday()  # Monday 0 ... Sunday 6
    if weekday >= 5:
        return due_date + timedelta(days=7 - weekday)
    return due_date


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def charges(
    boleto_amount: Decimal,
    due_date: date | None,
    on_date: date,
    fine_percent: Decimal | None = None,
    interest_percent_per_day: Decimal | None = None,
) -> Charges:
    """The boleto's amount and what is added on `on_date` (see the module's rule)."""
    amount = _cents(Decimal(boleto_amount))
    if due_date is None or on_date <= grace_date(due_date):
        return Charges(amount, Decimal("0.00"), Decimal("0.00"), 0)
    days = (on_date - due_date).days
    fine = _cents(amount * Decimal(fine_percent or 0) / HUNDRED)
    interest = _cents(amount * Decimal(interest_percent_per_day or 0) / HUNDRED * days)
    return Charges(amount, fine, interest, days)


def amount_due(
    boleto_amount: Decimal,
    due_date: date | None,
    on_date: date,
    fine_percent: Decimal | None = None,
    interest_percent_per_day: Decimal | None = None,
) -> Decimal:
    """The updated value to pay on `on_date`: amount + multa + juros when past due."""
    return charges(boleto_amount, due_date, on_date, fine_percent, interest_percent_per_day).total
