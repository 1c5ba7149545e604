import pytest


@pytest.fixture(autouse=True)
def _portuguese(babel_pt_br):
    """The rules answer in the page's language: these tests read the Portuguese one."""
