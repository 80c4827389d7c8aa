"""Validation tests: the ``slow`` marker (deselect with ``-m "not slow"``)."""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~20 s (a synthetic corpus)")
