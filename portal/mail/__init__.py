"""E-mail: an outbox table (nothing is lost when SMTP is down) and its delivery."""
