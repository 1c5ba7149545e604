"""Orders: types, statuses, orders with items, numbering and status history."""
