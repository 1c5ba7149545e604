"""`flask clientela visits-worker` without Redis says what to set, in the app's language."""

import pytest


@pytest.mark.config(REDIS_URL=None)
def test_the_visits_worker_without_redis_says_to_set_redis_url(app):
    result = app.test_cli_runner().invoke(args=["clientela", "visits-worker", "--burst"])
    assert result.exit_code == 1
    assert "Defina REDIS_URL: o visits-worker lê as visitas do Redis." in result.output
    assert "Traceback" not in result.output
