"""What a boleto paid late costs: multa once, juros simples per calendar day."""

from datetime import date
from decimal import Decimal

import pytest

from portal.billing.charges import amount_due, charges, grace_date

D = Decimal


def test_on_or_before_the_due_date_nothing_is_added():
    due = date(2026, 3, 10)  # a Tuesday
    for day in (date(2026, 3, 1), due):
        assert amount_due(D("600.00"), due, day, D("2"), D("0.033")) == D("600.00")


def test_one_day_late_adds_the_fine_and_one_day_of_interest():
    # 600.00 + 2 % (12.00) + 0.033 % of 600.00 (0.198 -> 0.20)
    assert amount_due(D("600.00"), date(2026, 3, 10), date(2026, 3, 11), D("2"), D("0.033")) == D(
        "612.20"
    )


def test_interest_is_simple_and_counts_calendar_days():
    found = charges(D("600.00"), date(2026, 3, 10), date(2026, 3, 20), D("2"), D("0.033"))
    assert (found.fine, found.interest, found.days_late) == (D("12.00"), D("1.98"), 10)
    assert found.total == D("613.98")
    # 100 days: 0.033 % x 100 = 3.3 % of the amount, not compounded.
    later = charges(D("1000.00"), date(2026, 1, 1), date(2026, 4, 11), D("2"), D("0.033"))
    assert (later.days_late, later.interest, later.total) == (100, D("33.00"), D("1053.00"))


def test_a_weekend_due_date_is_paid_without_charges_on_monday():
    saturday = date(2026, 3, 14)
    assert grace_date(saturday) == date(2026, 3, 16)
    assert grace_date(date(2026, 3, 15)) == date(2026, 3, 16)
    assert amount_due(D("100.00"), saturday, date(2026, 3, 16), D("2"), D("1")) == D("100.00")
    # On Tuesday the days count from the due date itself: 3 days.
    late = charges(D("100.00"), saturday, date(2026, 3, 17), D("2"), D("1"))
    assert (late.days_late, late.fine, late.interest) == (3, D("2.00"), D("3.00"))


def test_rounding_is_half_up_to_the_cent():
    # 0.5 % of 10.01 = 0.05005 -> 0.05; 0.035 % of 10.01 x 1 = 0.0035035 -> 0.00
    found = charges(D("10.01"), date(2026, 3, 10), date(2026, 3, 11), D("0.5"), D("0.035"))
    assert (found.fine, found.interest) == (D("0.05"), D("0.00"))
    # 2.5 % of 0.10 = 0.0025 -> 0.00 ; 2.5 % of 0.30 = 0.0075 -> 0.01 (half up)
    assert charges(D("0.30"), date(2026, 3, 10), date(2026, 3, 11), D("2.5"), None).fine == D(
        "0.01"
    )


@pytest.mark.parametrize("fine, interest", [(None, None), (D("0"), D("0"))])
def test_an_account_without_fine_or_interest_charges_the_amount(fine, interest):
    assert amount_due(D("50.00"), date(2026, 3, 10), date(2026, 5, 1), fine, interest) == D("50.00")


def test_no_due_date_means_never_late():
    assert charges(D("50.00"), None, date(2030, 1, 1), D("2"), D("1")).overdue is False
